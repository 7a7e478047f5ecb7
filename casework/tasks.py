"""Celery tasks of casework: each takes plain values and calls a service."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from casework.reminders import reminders_send_daily as send_daily


@shared_task(name="casework.tasks.reminders_send_daily")
def reminders_send_daily(day: str | None = None) -> int:
    """The daily reminder digests (beat schedule in config/settings/celery.py); `day` as YYYY-MM-DD re-runs a day."""
    return send_daily(today=date.fromisoformat(day) if day else timezone.localdate())
