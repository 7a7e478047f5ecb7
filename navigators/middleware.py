"""Sign-in rules applied to every request: session limits and compulsory two-factor authentication."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from navigators.sessions import LAST_SEEN_AT, MFA_ENROLLED, SIGNED_IN_AT, has_authenticator_app

# The last request is written to the session at most once a minute: saving the session on every
# request would cost a database write per page. So the idle limit may end a session up to a minute
# early, never late.
ACTIVITY_RESOLUTION = 60


def _redirect(request, url):
    # An htmx request would swap the sign-in page into part of the page: send the whole page there.
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SessionLimitsMiddleware:
    """End a session 15 minutes after its last request or 12 hours after signing in, and at once
    when its person has been deactivated.

    Django's session cookie age is moved on at every save, so it cannot give an absolute limit by
    itself: the sign-in time is kept in the session and checked here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            if SESSION_KEY in request.session:
                # A signed-in session whose person was deactivated (Django already treats them as
                # signed out): delete it, so that reactivating the account does not bring it back.
                request.session.flush()
            return self.get_response(request)

        session, now = request.session, time.time()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.setdefault(LAST_SEEN_AT, now)
        if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            reason = _("You were signed out: a session lasts at most %(hours)g hours. Please sign in again.") % {
                "hours": settings.SESSION_COOKIE_AGE / 3600
            }
        elif now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT:
            reason = _("You were signed out after %(minutes)g minutes without activity. Please sign in again.") % {
                "minutes": settings.SESSION_IDLE_TIMEOUT / 60
            }
        else:
            if now - last_seen_at >= ACTIVITY_RESOLUTION:
                session[LAST_SEEN_AT] = now
            return self.get_response(request)
        logout(request)
        messages.info(request, reason)
        return _redirect(request, redirect_to_login(request.get_full_path()).url)


class MfaEnrolmentMiddleware:
    """A signed-in person with no authenticator app may only set one up, or sign out.

    Someone who has one was asked for its code by allauth before being signed in; someone who has
    none (a new account, or one an administrator reset) is signed in by password and sent here.
    """

    ALLOWED = {"mfa_activate_totp", "account_reauthenticate", "mfa_reauthenticate", "account_logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.session.get(MFA_ENROLLED):
            if has_authenticator_app(request.user):
                request.session[MFA_ENROLLED] = True
            elif not self._allowed(request):
                return _redirect(request, reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _allowed(self, request) -> bool:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            return resolve(request.path_info).url_name in self.ALLOWED
        except Resolver404:
            return False
