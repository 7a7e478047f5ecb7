"""Development on one machine: embedded servers, console email, a fixed throw-away secret."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-0f5c1b9e7a4d4c2b8e6f")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from config.django.base import *  # noqa: E402,F403

# Static files straight from the app folders: no collectstatic step in development.
WHITENOISE_USE_FINDERS, STATIC_ROOT = True, None
