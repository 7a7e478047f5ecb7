"""Celery tasks of data protection: the nightly retention run."""

from dataclasses import asdict
from datetime import date

from celery import shared_task
from django.utils import timezone

from dataprotection.services import retention_run


@shared_task(name="dataprotection.tasks.retention_anonymise_due", acks_late=True)
def retention_anonymise_due(today: str | None = None) -> dict:
    """Anonymise the survivors due under RETENTION_YEARS (beat schedule in config/settings/celery.py).

    `today` as YYYY-MM-DD runs for another day. Safe to run twice (acks_late may deliver it again):
    one run a day, and nobody is anonymised twice. Returns the counts, also logged and kept as a
    RetentionRun row.
    """
    day = date.fromisoformat(today) if today else timezone.localdate()
    return {
        key: str(value) if isinstance(value, date) else value for key, value in asdict(retention_run(today=day)).items()
    }
