"""Keys for identity details and notes encrypted at rest, and for backups (issue 6; docs/security.md).

FIELD_ENCRYPTION_KEYS: Fernet keys, comma-separated, newest first. The first encrypts, every one
decrypts, so a key is rotated by putting a new one in front and running `manage.py
rotate_encryption_keys`; the old one can go once that has finished. BACKUP_ENCRYPTION_KEY: one Fernet
key for the files `manage.py backup` writes, its own so that a backup file and the database's keys
are never given away together. Unset (development, tests), both are derived from SECRET_KEY;
production requires them (config/django/production.py). A Fernet key:
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_list, env_str

ENCRYPTION_APPS: list[str] = []


def _derived_key(purpose: bytes) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only."""
    secret = env_str("SECRET_KEY").encode()
    return base64.urlsafe_b64encode(hmac.new(secret, purpose, hashlib.sha256).digest()).decode()


def _fernet_keys(name: str, keys: list[str]) -> list[str]:
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # The key itself is never printed: this line may end up in a log.
            raise ImproperlyConfigured(
                f"{name}: key {position} of {len(keys)} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return keys


FIELD_ENCRYPTION_KEYS = _fernet_keys(
    "FIELD_ENCRYPTION_KEYS", env_list("FIELD_ENCRYPTION_KEYS", []) or [_derived_key(b"field-encryption")]
)
BACKUP_ENCRYPTION_KEY = _fernet_keys(
    "BACKUP_ENCRYPTION_KEY", [env_str("BACKUP_ENCRYPTION_KEY", None) or _derived_key(b"backup-encryption")]
)[0]
