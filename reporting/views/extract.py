"""M&E's anonymised case-level extract: a page that says what is in it, and the CSV, streamed. Only M&E
(403 for everyone else, like every M&E page); each download is a line of the access trail."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reporting.access import me_required
from reporting.exports.case_extract import COLUMNS, case_extract_downloaded, case_extract_response
from reporting.exports.forms import CaseExtractForm


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def case_extract(request):
    """GET: the form and the columns. POST with a period: the CSV (a POST, so no link or prefetch downloads it)."""
    form = CaseExtractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["report_period"]
        case_extract_downloaded(user=request.user, period=period, request=request)
        return case_extract_response(period)
    return render(
        request,
        "reporting/exports/case_extract.html",
        {
            "form": form,
            "columns": COLUMNS,
            "threshold": settings.REPORTING_SUPPRESSION_THRESHOLD,
            "nav": "exports",
        },
    )
