"""Celery with Redis: REDIS_URL, or the embedded Redis when it is unset."""

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
CELERY_BEAT_SCHEDULE: dict = {}
