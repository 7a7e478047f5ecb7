"""Production: every secret and server comes from the environment; missing ones stop start-up."""

from config.env import env_bool, env_int, env_str, env_url

env_url("DATABASE_URL", ("postgres", "postgresql"))  # required here: no embedded server
env_url("REDIS_URL", ("redis", "rediss"))
env_str("SECRET_KEY")
# Its own key: rotating SECRET_KEY must not silently change the duplicate check's digests.
env_str("BLIND_INDEX_KEY")
# Reminder e-mails link here; the development default would send people to their own machine.
env_url("SITE_URL", ("https",))
# Sign-in (config/settings/auth.py): its own keys for the authenticator-app secrets, never derived.
env_str("MFA_ENCRYPTION_KEYS")
# Identity details and notes are encrypted with these (newest first), backups with their own key;
# derived from SECRET_KEY they would change with it and leave the data unreadable (docs/security.md).
env_str("FIELD_ENCRYPTION_KEYS")
env_str("BACKUP_ENCRYPTION_KEY")

from config.django.base import *  # noqa: E402,F403

DEBUG = False

# --- HTTPS (the headers valid everywhere are in config/settings/security.py; docs/security.md). ---
# Plain HTTP is redirected to HTTPS. Behind a proxy that ends TLS, set TRUST_X_FORWARDED_PROTO=true
# (only if the proxy overwrites X-Forwarded-Proto on every request) so that Django sees HTTPS; a proxy
# that redirects by itself may set SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Browsers remember for a year to use HTTPS only, on every subdomain; the site may be submitted to the
# preload list (https://hstspreload.org) once every subdomain serves HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Forms posted from the address people use (SITE_URL), also when a proxy hides the scheme from Django.
CSRF_TRUSTED_ORIGINS = [SITE_URL]  # noqa: F405
# Browsers load nothing over plain HTTP from a page of ours.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True  # noqa: F405

# Connections kept open between requests (DATABASES is in config/settings/database.py, checked before reuse).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60, minimum=0)  # noqa: F405

# Sign-in: a used authenticator code and allauth's count of wrong codes live in the cache, which every
# web process must share, or a code could be used again on another process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}  # noqa: F405
