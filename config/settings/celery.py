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
# A task is acknowledged when it has finished, not when a worker takes it, and a worker that dies
# mid-task hands it back: a crash or a deploy never drops a reminder run or an export. So a task can
# run twice, and every task is safe to run twice (tests/test_reliability.py runs each one twice).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per worker process: with late acks, prefetched tasks would wait behind a long export.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker keeps Django's LOGGING (config/settings/security.py) and its filters instead of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # Each Navigator's digest of overdue follow-ups and care-plan reviews due, before the working day
    # (CELERY_TIMEZONE). Safe to run twice: a Navigator gets at most one digest a day.
    "reminders-daily": {"task": "casework.tasks.reminders_send_daily", "schedule": crontab(hour=6, minute=30)},
    # Cases closed longer than the retention period are anonymised unless on legal hold (dataprotection).
    "retention-nightly": {
        "task": "dataprotection.tasks.retention_anonymise_due",
        "schedule": crontab(hour=2, minute=15),
    },
}
