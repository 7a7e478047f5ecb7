"""Production: every secret and server comes from the environment; missing ones stop start-up."""

from config.env import env_bool, env_int, env_str, env_url

env_url("DATABASE_URL", ("postgres", "postgresql"))  # required here: no embedded server
env_url("REDIS_URL", ("redis", "rediss"))
env_str("SECRET_KEY")
# Its own key: rotating SECRET_KEY must not silently change the duplicate check's digests.
env_str("BLIND_INDEX_KEY")
# Reminder e-mails link here; the development default would send people to their own machine.
env_url("SITE_URL", ("https",))
# Identity details and notes are encrypted with these (newest first), backups with their own key;
# derived from SECRET_KEY they would change with it and leave the data unreadable (docs/security.md).
env_str("FIELD_ENCRYPTION_KEYS")
env_str("BACKUP_ENCRYPTION_KEY")

from config.django.base import *  # noqa: E402,F403

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
