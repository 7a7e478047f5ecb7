"""Celery tasks of reporting: each takes plain values and calls a service."""

from celery import shared_task

from reporting.exports.jobs import export_job_build


@shared_task(name="reporting.tasks.export_build", acks_late=True)
def export_build(job_id: int) -> str:
    """Build an export's file (reporting.exports.jobs); safe to deliver twice: a finished job is left alone."""
    return export_job_build(job_id)
