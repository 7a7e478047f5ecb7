"""Settings shared by every environment. Values come from the environment (see config/env.py)."""

import hashlib
import hmac
from pathlib import Path

from config.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
# Keys the blind index of survivors' names (survivors/blind_index.py). Set it apart from SECRET_KEY in
# production: rotating SECRET_KEY must not silently empty the duplicate check. A new key needs
# `manage.py blind_index_rebuild`. Unset (development, tests), it is derived from SECRET_KEY.
BLIND_INDEX_KEY = (
    env_str("BLIND_INDEX_KEY", None) or hmac.new(SECRET_KEY.encode(), b"blind-index", hashlib.sha256).hexdigest()
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "simple_history",
    "allauth",
    "allauth.account",
    "django_htmx",
    "navigators",
    "survivors",
    "casework",
    "reporting",
    "dataprotection",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the vendored htmx included) served by the app itself: no CDN, no internet.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "navigators.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "navigators.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-allauth: username sign-in; accounts are created by administrators, never by sign-up.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "navigators.adapters.NoSignupAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-guardian: no anonymous user row; object permissions are never granted to anonymous.
ANONYMOUS_USER_NAME = None
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "guardian.GroupObjectPermission"

LANGUAGE_CODE = "en-gb"
# Every user-facing string is marked for translation; Romanian and Bengali catalogues follow.
LANGUAGES = [("en-gb", "English"), ("ro", "Română"), ("bn", "বাংলা")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "casework@localhost")
# Where the site is reached, for links in e-mails sent outside a request (the daily reminders).
SITE_URL = env_url("SITE_URL", ("http", "https"), "http://127.0.0.1:8000").rstrip("/")

# Breakdowns exported for use outside the charity show no count from 1 to this minus one (the CTDC's
# k-anonymity practice, ../shared/spec/indicators.md "Small numbers and anonymity"); printed on every
# export that applies it.
REPORTING_SUPPRESSION_THRESHOLD = env_int("REPORTING_SUPPRESSION_THRESHOLD", 10, minimum=2)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60, minimum=60)

# Sign-in, MFA, lockout and sessions; security headers and logging; encryption keys. Each module may
# add apps and middleware through AUTH_/SECURITY_/ENCRYPTION_ lists, joined here in one place.
from config.settings.auth import *  # noqa: E402,F403
from config.settings.celery import *  # noqa: E402,F403
from config.settings.database import *  # noqa: E402,F403
from config.settings.encryption import *  # noqa: E402,F403
from config.settings.security import *  # noqa: E402,F403

INSTALLED_APPS += AUTH_APPS + SECURITY_APPS + ENCRYPTION_APPS  # noqa: F405
# First: before everything else (headers on every response); last: after authentication and sessions.
MIDDLEWARE = SECURITY_MIDDLEWARE_FIRST + MIDDLEWARE + AUTH_MIDDLEWARE_LAST + SECURITY_MIDDLEWARE_LAST  # noqa: F405
