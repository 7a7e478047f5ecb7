"""Celery tasks of reporting: each takes plain values and calls a service; asking for an export queues one."""

from functools import partial

from celery import shared_task
from django.db import transaction

from reporting.exports.jobs import ExportRequest, export_job_build, export_job_create
from reporting.models import ExportJob


@shared_task(name="reporting.tasks.export_build", acks_late=True)
def export_build(job_id: int) -> str:
    """Build an export's file (reporting.exports.jobs); safe to deliver twice: a finished job is left alone."""
    return export_job_build(job_id)


def export_request(*, acting_user, export: ExportRequest, request=None) -> ExportJob:
    """Ask for an export: the job and its line of the access trail, and the build queued once they are committed."""
    with transaction.atomic():
        job = export_job_create(acting_user=acting_user, export=export, request=request)
        transaction.on_commit(partial(export_build.delay, job.pk))
    return job
