"""Sessions: when each began and was last used, whether its person has an authenticator, ending them.

The stamps are written when someone signs in (`session_begin`, on Django's user_logged_in, which
every sign-in sends: allauth's form after the code, and the test client's force_login), so that
the requests that follow only read the session they load anyway.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession

SIGNED_IN_AT = "casework.signed_in_at"
LAST_SEEN_AT = "casework.last_seen_at"
MFA_ENROLLED = "casework.mfa_enrolled"


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_begin(sender, request, user, **kwargs) -> None:
    """Stamp a new session with its start (for the 12-hour limit) and whether MFA is set up."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[MFA_ENROLLED] = has_authenticator_app(user)


def sessions_end(*, user) -> int:
    """End every session of `user`: each browser they signed in with is signed out at its next request.

    allauth.usersessions records every session begun through the sign-in form; ending one deletes
    it from the session store, so nothing is left to come back if the account is reactivated.
    """
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    get_usersessions_adapter().end_sessions(sessions)
    return len(sessions)
