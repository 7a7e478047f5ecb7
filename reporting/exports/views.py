"""M&E's export pages: ask for an export, watch it being built, download it. Only M&E use them (403
for everyone else); a job is seen and downloaded only by the person who asked for it (404 otherwise)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from reporting.access import me_required
from reporting.exports.case_extract import COLUMNS, case_extract_downloaded, case_extract_response
from reporting.exports.forms import CaseExtractForm, ExportForm
from reporting.exports.jobs import ExportRequest, export_job_downloaded
from reporting.exports.selectors import access_export_job, export_jobs_of
from reporting.models import ExportJob
from reporting.tasks import export_request


@require_http_methods(["GET", "POST"])
@me_required
@never_cache
def export_new(request):
    """Choose the period, format, breakdown and suppression; the job page follows the build."""
    # The headline table links here with its period (?period=… or ?start=…&end=…) to start from.
    initial = {key: request.GET[key] for key in ("period", "start", "end") if request.GET.get(key)}
    form = ExportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = export_request(acting_user=request.user, export=form.export_request(), request=request)
        return redirect("reporting:export_detail", job.pk)
    return render(
        request,
        "reporting/exports/new.html",
        {
            "form": form,
            "jobs": export_jobs_of(request.user)[:10],
            "threshold": settings.REPORTING_SUPPRESSION_THRESHOLD,
            "nav": "exports",
        },
    )


@require_GET
@me_required
@never_cache
def export_detail(request, job_id):
    """The job's progress; htmx asks for the progress fragment every two seconds until the file is ready."""
    job = access_export_job(request.user, job_id)
    context = {"job": job, "export": ExportRequest.from_parameters(job.parameters), "nav": "exports"}
    if request.htmx:
        return render(request, "reporting/exports/_progress.html", context)
    return render(request, "reporting/exports/detail.html", context)


@require_GET
@me_required
@never_cache
def export_download(request, job_id):
    """The file, for the person who asked for it; each download is a line of the access trail."""
    job = access_export_job(request.user, job_id, with_file=True)
    if job.status != ExportJob.Status.DONE or job.content is None:
        raise Http404("This export has no file yet.")
    export_job_downloaded(user=request.user, job=job, request=request)
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


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
