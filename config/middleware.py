"""Project middleware (issue 6)."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    """Every response to someone signed in is sent with `Cache-Control: no-store`.

    Nearly every page a signed-in user sees holds case data, and a shared or stolen computer's browser
    cache must not keep a copy; listing the pages that do not would be a rule to get wrong. Static files
    are answered by WhiteNoise before this runs and keep their long cache. A request carrying a session
    cookie counts as signed in without asking the database, so that the rule holds also on the error
    page shown when the database is away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._signed_in(request) and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return True
        user = getattr(request, "user", None)  # just signed in: the cookie comes with this response
        return bool(user is not None and user.is_authenticated)
