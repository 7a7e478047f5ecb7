"""Sign-in, multi-factor authentication, lockout, passwords and sessions (issue 6)."""

AUTH_APPS: list[str] = []
AUTH_MIDDLEWARE_LAST: list[str] = []
