"""Case pages. Every case is fetched through casework.selectors; every look at it is in the access trail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework.access import access_case, may_see_identity
from casework.change_history import case_change_history
from casework.forms import CaseloadFilterForm
from casework.records import record_kinds_for
from casework.selectors import case_requests_of, case_sections, caseload
from casework.timeline import case_timeline, timeline_html
from dataprotection.services import access_record
from navigators.selectors import countries_led_by
from survivors.models import AccessRecord


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def case_list(request):
    """My caseload: overdue follow-ups first; filters by scope, case reference, stage and overdue.

    The filter form is POSTed, so a name searched for never lands in a URL, the browser's history or a
    server log; links from the dashboard still filter with GET (they carry no name)."""
    is_lead = bool(countries_led_by(request.user))
    data = request.POST if request.method == "POST" else request.GET
    filters = CaseloadFilterForm(data or None, initial={"scope": "all" if is_lead else "mine"})
    wanted = filters.cleaned_data if filters.is_valid() else {}
    scope = wanted.get("scope") or ("all" if is_lead else "mine")
    cases = caseload(
        request.user,
        scope=scope,
        query=wanted.get("q", ""),
        stage=wanted.get("stage", ""),
        overdue_only=wanted.get("overdue", False),
        name=wanted.get("name", ""),
        **(filters.drill_down() if wanted else {}),
    )
    page = Paginator(cases, 50).get_page(data.get("page"))
    template = "casework/_caseload_rows.html" if request.htmx else "casework/case_list.html"
    return render(request, template, {"page": page, "filters": filters, "nav": "cases", "today": timezone.localdate()})


@require_GET
@login_required
@never_cache
def case_detail(request, case_id):
    """The survivor's case page: the timeline of everything, newest first, and a section per kind of record."""
    case = access_case(request.user, case_id)
    access_record(
        user=request.user, survivor=case.survivor, case=case, action=AccessRecord.Action.VIEWED, request=request
    )
    today = timezone.localdate()
    timeline = case_timeline(case, today=today)
    # access_case answered both permission questions in the case's own query (object permissions only,
    # superuser status counting for nothing, as everywhere for case data).
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "today": today,
            "timeline": timeline,
            "timeline_html": timeline_html(timeline),
            **case_sections(case),
            "may_see_identity": may_see_identity(request.user, case),
            "may_change": case.may_change,
            "record_kinds": record_kinds_for(case),
            "case_requests": case_requests_of(case),
            "nav": "cases",
        },
    )


@require_GET
@login_required
@never_cache
def case_history(request, case_id):
    """Who changed what on this case, from what to what (from the audit history)."""
    case = access_case(request.user, case_id)
    access_record(
        user=request.user, survivor=case.survivor, case=case, action=AccessRecord.Action.VIEWED, request=request
    )
    return render(
        request, "casework/case_history.html", {"case": case, "versions": case_change_history(case), "nav": "cases"}
    )


@require_GET
@login_required
@never_cache
def case_identity(request, case_id):
    case = access_case(request.user, case_id)
    if not may_see_identity(request.user, case):
        raise PermissionDenied("Only the assigned Navigators and the country lead see who the survivor is.")
    access_record(
        user=request.user,
        survivor=case.survivor,
        case=case,
        action=AccessRecord.Action.VIEWED_IDENTITY,
        request=request,
    )
    identity = getattr(case.survivor, "identity", None)
    return render(request, "casework/case_identity.html", {"case": case, "identity": identity, "nav": "cases"})
