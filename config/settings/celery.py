"""Celery with Redis: REDIS_URL, or the embedded Redis when it is unset."""

from celery.schedules import crontab

from config import embedded
from config.env import env_bool, env_url

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "redis+socket"), None)
if REDIS_URL is None and not env_bool("CELERY_TASK_ALWAYS_EAGER", False):
    REDIS_URL = embedded.redis_url()

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {
    # Each Navigator's digest of overdue follow-ups and care-plan reviews due, before the working day
    # (CELERY_TIMEZONE). Safe to run twice: a Navigator gets at most one digest a day.
    "reminders-daily": {"task": "casework.tasks.reminders_send_daily", "schedule": crontab(hour=6, minute=30)},
}
