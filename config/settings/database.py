"""Database: DATABASE_URL, or the embedded PostgreSQL when it is unset. Never SQLite."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import embedded
from config.env import env_url

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql"), None) or embedded.postgres_url()
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
