"""Who may use the M&E pages: holders of the M&E role, nobody else (docs/access.md).

They see counts, never identities; administrators and country leads have their own pages.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from navigators.models import RoleGrant


def is_monitoring_evaluation(user) -> bool:
    """Whether `user` holds the M&E role (an active account)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role_grants.filter(role=RoleGrant.Role.MONITORING_EVALUATION).exists()
    )


def me_required(view):
    """Sign in first; then only M&E get through (superuser status counts for nothing)."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not is_monitoring_evaluation(request.user):
            raise PermissionDenied(_("These pages are for monitoring and evaluation staff."))
        return view(request, *args, **kwargs)

    return checked
