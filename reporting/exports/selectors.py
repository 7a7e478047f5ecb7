"""Reads of M&E's exports: their own jobs, and one of them."""

from django.http import Http404

from reporting.models import ExportJob


def export_jobs_of(user):
    """The user's own exports, newest first, without their files."""
    return ExportJob.objects.filter(requested_by=user).defer("content")


def access_export_job(user, job_id: int, *, with_file: bool = False) -> ExportJob:
    """One of the user's own exports; anyone else's is the same 404 as one that does not exist."""
    jobs = ExportJob.objects.filter(requested_by=user)
    job = (jobs if with_file else jobs.defer("content")).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such export.")
    return job
