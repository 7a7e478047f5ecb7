"""How django-axes names the one trying to sign in: the connection's address and the username typed."""


def client_address(request) -> str | None:
    """The address of the connection itself. X-Forwarded-For is whatever the client chose to send, so
    trusting it would let anyone reset their count or lock out someone else's address."""
    return request.META.get("REMOTE_ADDR")


def attempted_username(request, credentials) -> str | None:
    """The username as typed, in lower case: sign-in accepts any casing (allauth matches usernames
    case-insensitively), so "Admin" and "admin" must count as one."""
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("login") or request.POST.get("username")
    return username.strip().lower() if username else username
