"""Tests: the same PostgreSQL (a separate test database), Celery tasks run eagerly, email kept in memory."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-8d2a6c3f")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from config.django.base import *  # noqa: E402,F403
from config.env import env_str  # noqa: E402

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production

# A separate name lets two test runs share one PostgreSQL server without dropping each other's database.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_casework")}  # noqa: F405

# Static files straight from the app folders, as in development (browser tests load htmx and the CSS).
WHITENOISE_USE_FINDERS, STATIC_ROOT = True, None
