"""Who is acting: the user recorded on every history row, in a request or outside one.

In a request, simple-history's middleware supplies the signed-in user. Services called from
commands and Celery tasks have no request, so each service runs inside `acting_as(acting_user)`
and history rows written inside it carry that user.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from simple_history.models import HistoricalRecords

_acting_user: ContextVar = ContextVar("acting_user", default=None)


@contextmanager
def acting_as(user):
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


@contextmanager
def change_by(acting_user):
    """One transaction whose history rows all record `acting_user`: the frame of every service."""
    with transaction.atomic(), acting_as(acting_user):
        yield


def _history_user(instance=None, request=None, **kwargs):
    user = _acting_user.get()
    if user is not None:
        return user
    return getattr(request, "user", None)


def audit_history(**kwargs) -> HistoricalRecords:
    """simple-history for a model that holds case data, resolving the acting user as above."""
    return HistoricalRecords(get_user=_history_user, **kwargs)
