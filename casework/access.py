"""The one choke point through which a case or a survivor is fetched.

Nothing else calls `Case.objects.get` or `Survivor.objects.get` on a user's behalf: views, exports and
other apps go through `access_case`, `cases_visible_to`, `access_survivor` and `survivors_visible_to`,
so the permission check cannot be forgotten. A record the user may not see and one that does not exist
give the same 404. A survivor's record is reached through a case: whoever may see one of their cases
may see the survivor, and whoever may see their identity through one of those cases may see who they
are. One rule, rather than a second set of grants to keep in step with it.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission
from navigators.models import User
from survivors.models import Survivor


def cases_visible_to(user, permission: str = "casework.view_case") -> QuerySet[Case]:
    """The cases `user` holds `permission` on, through their team, their country or an assignment.

    Global permissions and superuser status give nothing here: case data is reached only by object
    permission (an administrator sees no case unless also given a case role). This replaces guardian's
    `get_objects_for_user`, whose `pk IN (user grants) OR pk IN (group grants)` joined the permission
    names in each branch and could only be hashed whole: a lead opening one case built a hash of every
    grant of their country (60,000 rows) first, and a lead's count took 20-30× a plain foreign key.
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    # The rule of get_objects_for_user(accept_global_perms=False, with_superuser=False), read directly from
    # the case's own permission tables: a grant on this case to the user or to one of their groups. EXISTS
    # lets PostgreSQL choose per query: an index probe by case for a page or one case (access_case), a hash
    # of the grants for a whole country. The permission is a sub-query of the same query (no extra query,
    # nothing cached to go stale) and the content type comes from Django's own cache, as in guardian.
    return Case.objects.select_related("survivor", "team__country").filter(_holds(user, permission))


def _holds(user, permission: str):
    """The condition "`user` holds `permission` on the case" (of an outer case query), for filter or annotate.

    The rule of get_objects_for_user(accept_global_perms=False, with_superuser=False), read directly from
    the case's own permission tables: a grant on this case to the user or to one of their groups. EXISTS
    lets PostgreSQL choose per query: an index probe by case for a page or one case (access_case), a hash
    of the grants for a whole country. The permission is a sub-query of the same query (no extra query,
    nothing cached to go stale) and the content type comes from Django's own cache, as in guardian.
    """
    app_label, codename = permission.split(".")
    if app_label != Case._meta.app_label:
        raise ValueError(f"{permission} is not a case permission")
    held = {
        "permission_id": Subquery(
            Permission.objects.filter(content_type=ContentType.objects.get_for_model(Case), codename=codename)
            .order_by()
            .values("pk")
        )
    }
    granted_to_user = CaseUserObjectPermission.objects.filter(content_object=OuterRef("pk"), user=user, **held)
    granted_to_group = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__in=User.groups.through.objects.filter(user=user).values("group_id"),
        **held,
    )
    # Groups first: most cases are seen through a team or country group, so most rows stop at the first test.
    return Exists(granted_to_group) | Exists(granted_to_user)


def access_case(user, case_id, *, for_change: bool = False) -> Case:
    """The case, if `user` may see it (404 otherwise); with `for_change`, 403 unless they may change it.

    The case comes with `may_change` and `may_see_identity` answered in the same query, so a page or a
    write needs no further permission query (`may_see_identity(user, case)` reads the answer)."""
    case = (
        cases_visible_to(user)
        .filter(pk=case_id)
        .annotate(
            may_change=ExpressionWrapper(_holds(user, "casework.change_case"), output_field=BooleanField()),
            may_see_identity=ExpressionWrapper(_holds(user, "casework.view_identity"), output_field=BooleanField()),
        )
        .first()
    )
    if case is None:
        raise Http404("No such case.")
    case._access_user_id = user.pk  # whose permissions the two answers are
    if for_change and not case.may_change:
        raise PermissionDenied(_("You may see this case but not change it."))
    return case


def may_see_identity(user, case: Case) -> bool:
    """Assigned Navigators and the country's leads may see who the survivor is; the team may not.
    A case from `access_case` for the same user already carries the answer."""
    if getattr(case, "may_see_identity", None) is not None and getattr(case, "_access_user_id", None) == user.pk:
        return case.may_see_identity
    return cases_visible_to(user, "casework.view_identity").filter(pk=case.pk).exists()


def access_case_record(case: Case, model, record_id):
    """A record (prosecution, repatriation…) of a case already fetched through `access_case`; 404 if not of it."""
    record = model.objects.filter(case=case, pk=record_id).first()
    if record is None:
        raise Http404("No such record on this case.")
    return record


# ---- survivors, through their cases --------------------------------------------------------------


def survivors_visible_to(user, permission: str = "casework.view_case") -> QuerySet[Survivor]:
    """Survivors with a case `user` holds `permission` on (`casework.view_identity` for who they are)."""
    return Survivor.objects.filter(pk__in=cases_visible_to(user, permission).values("survivor_id"))


def access_survivor(user, survivor_id, *, identity: bool = False) -> Survivor:
    """The survivor, if `user` may see them (with `identity`, who they are); the same 404 otherwise."""
    permission = "casework.view_identity" if identity else "casework.view_case"
    survivor = survivors_visible_to(user, permission).filter(pk=survivor_id).first()
    if survivor is None:
        raise Http404("No such survivor.")
    return survivor


def survivor_case_for(user, survivor: Survivor, *permissions: str):
    """The user's most recent case for the survivor on which they hold every one of `permissions`; None if none."""
    cases = cases_visible_to(user, permissions[0]).filter(survivor=survivor)
    for permission in permissions[1:]:
        cases = cases.filter(pk__in=cases_visible_to(user, permission).values("pk"))
    return cases.order_by("-opened_on", "-id").first()


def possible_duplicates_seen_by(user, matches: QuerySet[Survivor]) -> list[Survivor]:
    """The matches `user` may see, each with `case_id` (their latest case the user may see).

    Only these: whether a match exists that the user may not see is not for them to know (it would
    tell anyone with an account who is on the charity's books); registering puts such a match up for
    the data protection lead's review instead (`casework.services.survivor_register_with_case`)."""
    latest_case = cases_visible_to(user).filter(survivor=OuterRef("pk")).order_by("-opened_on", "-id").values("pk")[:1]
    return list(matches.filter(pk__in=survivors_visible_to(user).values("pk")).annotate(case_id=Subquery(latest_case)))
