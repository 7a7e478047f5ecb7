"""Reads of casework, and the one choke point through which a case is fetched.

Nothing else calls `Case.objects.get`: views, exports and other apps go through `access_case` and
`cases_visible_to`, so the permission check cannot be forgotten. A case the user may not see and a
case that does not exist give the same 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from casework.models import Case


def cases_visible_to(user, permission: str = "casework.view_case") -> QuerySet[Case]:
    """The cases `user` holds `permission` on, through their team, their country or an assignment.

    Global permissions and superuser status give nothing here: case data is reached only by object
    permission (an administrator sees no case unless also given a case role).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return get_objects_for_user(
        user, permission, klass=Case.objects.select_related("survivor", "team__country"),
        accept_global_perms=False, with_superuser=False,
    )


def access_case(user, case_id, *, for_change: bool = False) -> Case:
    """The case, if `user` may see it (404 otherwise); with `for_change`, 403 unless they may change it."""
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    if for_change and not user.has_perm("casework.change_case", case):
        raise PermissionDenied("You may see this case but not change it.")
    return case


def may_see_identity(user, case: Case) -> bool:
    """Assigned Navigators and the country's leads may see who the survivor is; the team may not."""
    return cases_visible_to(user, "casework.view_identity").filter(pk=case.pk).exists()
