"""Database: DATABASE_URL, or the embedded PostgreSQL when it is unset. Never SQLite."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import embedded
from config.env import env_url

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"), None) or embedded.postgres_url()
# One connection per request in development and tests (runserver's thread per request would strand
# persistent ones); production keeps connections open (config/django/production.py). A kept connection
# is checked before a request uses it, so one the server dropped (a restart, a failover) is replaced
# instead of failing the next request.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
