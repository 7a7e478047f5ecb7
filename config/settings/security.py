"""Security headers, Content-Security-Policy and logging (issue 6)."""

SECURITY_APPS: list[str] = []
SECURITY_MIDDLEWARE_FIRST: list[str] = []
SECURITY_MIDDLEWARE_LAST: list[str] = []
