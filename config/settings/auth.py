"""Sign-in, multi-factor authentication, lockout, passwords and sessions (issue 6).

Imported at the end of config/django/base.py: what is set here replaces base.py's value. See
docs/security.md, "Sign-in and sessions".
"""

import base64
import hashlib
import hmac
from datetime import timedelta

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_list, env_str

AUTH_APPS: list[str] = [
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
]
AUTH_MIDDLEWARE_LAST: list[str] = [
    # Ends a session whose person was deactivated, idle 15 minutes or signed in 12 hours ago.
    "navigators.middleware.SessionLimitsMiddleware",
    # A signed-in person without an authenticator app may only enrol one (or sign out).
    "navigators.middleware.MfaEnrolmentMiddleware",
    # Turns a sign-in refused by the lockout into the lockout page (axes: last, after authentication).
    "axes.middleware.AxesMiddleware",
]

# Replaces base.py's list: axes must come first so that a locked-out username and address is refused
# before any backend checks the password. Axes only watches; ModelBackend signs people in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]

# --- Multi-factor authentication: an authenticator app (TOTP) for everyone, with recovery codes. ---
# No security keys (WebAuthn): one method the charity can support in every country.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "navigators.adapters.EncryptedSecretsMFAAdapter"
MFA_TOTP_ISSUER = "Survivor casework"
# No code from the period before or after: a code works only in its own 30 seconds, and once.
MFA_TOTP_TOLERANCE = 0
# No "trust this browser": the code is asked at every sign-in.
MFA_TRUST_ENABLED = False
# Accounts are made by administrators and addresses are not verified by e-mail here; allauth's rule
# (no MFA while an address is unverified) guards against self sign-up, which is closed.
MFA_ALLOW_UNVERIFIED_EMAIL = True


def _mfa_encryption_keys() -> list[str]:
    """Fernet keys for the TOTP secrets and recovery-code seeds: the first encrypts, all decrypt.

    Required in production (config/django/production.py). Unset (development, tests), one key is
    derived from SECRET_KEY, so a development database's secrets are still not stored in the clear.
    """
    keys = env_list("MFA_ENCRYPTION_KEYS", [])
    if not keys:
        secret = env_str("SECRET_KEY").encode()
        return [base64.urlsafe_b64encode(hmac.new(secret, b"mfa-encryption", hashlib.sha256).digest()).decode()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # Its position, never the key itself: start-up errors end up in logs.
            raise ImproperlyConfigured(
                f"MFA_ENCRYPTION_KEYS: key {position} of {len(keys)} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return keys


MFA_ENCRYPTION_KEYS = _mfa_encryption_keys()

# --- Lockout (django-axes): 5 failed sign-ins in 15 minutes for one username from one address. ---
# Only the pair: a guessed password from one address cannot lock the real person out from another.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
# The connection's own address, never X-Forwarded-For: a made-up header must neither reset nor dodge it.
AXES_CLIENT_IP_CALLABLE = "navigators.lockout.client_address"
AXES_USERNAME_CALLABLE = "navigators.lockout.attempted_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# A full sign-in (password and code) clears that username and address's failures.
AXES_RESET_ON_SUCCESS = True

# Password failures are counted by axes alone (navigators.adapters.NoSignupAccountAdapter skips
# allauth's own count); allauth's "login_failed" limit still guards the code asked after the password.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key"}

# --- Sessions. ---
# Idle: no request for this long ends the session (navigators.middleware.SessionLimitsMiddleware).
# Absolute: SESSION_COOKIE_AGE (base.py, 12 hours) after signing in, however busy the session.
SESSION_IDLE_TIMEOUT = 15 * 60
# allauth.usersessions lists each person's sessions (by browser and address at sign-in) and ends them.
USERSESSIONS_TRACK_ACTIVITY = False
