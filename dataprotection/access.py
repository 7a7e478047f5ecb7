"""Who may use the data protection pages: holders of the data protection lead role, nobody else (docs/access.md).

They reach every survivor's record through these pages, and only through them: the role gives no
case permission, so the caseload and case pages stay closed to them as to an administrator.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from navigators.models import RoleGrant


def is_data_protection_lead(user) -> bool:
    """Whether `user` holds the data protection lead role (an active account)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role_grants.filter(role=RoleGrant.Role.DATA_PROTECTION_LEAD).exists()
    )


def dpl_required(view):
    """Sign in first; then only data protection leads get through (superuser status counts for nothing)."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not is_data_protection_lead(request.user):
            raise PermissionDenied(_("These pages are for the data protection lead."))
        return view(request, *args, **kwargs)

    return checked
