"""Opening a case, who is assigned to it and the permissions that come with that, its stage; moving a
Navigator between teams; registering a survivor with their first case.

Each write takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import choices
from casework.access import survivors_visible_to
from casework.models import (
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    StageChange,
)
from navigators.history import change_by
from navigators.models import RoleGrant, Team, TeamMembership, User
from navigators.selectors import teams_for_registration
from survivors import blind_index
from survivors.models import Survivor
from survivors.selectors import possible_duplicates
from survivors.services import possible_duplicates_record, survivor_register


def _save(instance, *, exclude=None):
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def _record(model, *, acting_user, case: Case, **fields):
    with change_by(acting_user):
        # The case and the acting user are rows the caller has just read (access_case, the signed-in
        # user): full_clean would ask the database again whether each exists, a query apiece on every
        # record logged. No constraint names them; their foreign keys still guard the insert.
        return _save(model(case=case, recorded_by=acting_user, **fields), exclude={"case", "recorded_by"})


# Who holds which permission on a case. Groups share access; users hold it only by assignment.
TEAM_PERMISSIONS = ["casework.view_case", "casework.change_case"]


COUNTRY_PERMISSIONS = ["casework.view_case", "casework.change_case", "casework.view_identity"]


ASSIGNED_PERMISSIONS = ["casework.view_case", "casework.change_case", "casework.view_identity"]


def case_open(
    *, acting_user, survivor: Survivor, team: Team, opened_on: date, navigators=(), transferred_from: Case | None = None
) -> Case:
    """Open a team's case for a survivor, in the crisis stage, with its assigned Navigators.

    The team and the country's leads get access to it in the same transaction.
    """
    with change_by(acting_user):
        case = _save(
            Case(
                survivor=survivor,
                team=team,
                opened_on=opened_on,
                opened_by=acting_user,
                transferred_from=transferred_from,
            )
        )
        _save(StageChange(case=case, occurred_on=opened_on, stage=choices.Stage.CRISIS, recorded_by=acting_user))
        for permission in TEAM_PERMISSIONS:
            assign_perm(permission, team.group, case)
        for permission in COUNTRY_PERMISSIONS:
            assign_perm(permission, team.country.group, case)
        for navigator in navigators:
            case_assign(acting_user=acting_user, case=case, navigator=navigator, started_on=opened_on)
        return case


def case_open_for_team(*, acting_user, survivor: Survivor, team: Team, opened_on: date, assign_me: bool) -> Case:
    """A Navigator or country lead opens a case for a survivor they already see, for a team they may register
    for (their own, or one of the country they lead), assigned to it if they asked and are of the team."""
    with change_by(acting_user):
        if not teams_for_registration(acting_user).filter(pk=team.pk).exists():
            raise PermissionDenied(_("You may open cases only for your own team, or for a team of a country you lead."))
        navigators = [acting_user] if assign_me and _is_member(acting_user, team) else []
        return case_open(
            acting_user=acting_user, survivor=survivor, team=team, opened_on=opened_on, navigators=navigators
        )


def _is_member(user, team: Team) -> bool:
    """A lead outside the team has its cases through their country; only a member of the team is assigned."""
    return user.memberships.filter(team=team, ended_on__isnull=True).exists()


def case_permissions_by_name() -> dict:
    """The case permissions by their dotted name, for building permission rows in bulk."""
    return {
        f"casework.{p.codename}": p
        for p in Permission.objects.filter(content_type__app_label="casework", content_type__model="case")
    }


def case_permission_rows(case: Case, navigators=(), *, by_name: dict) -> list:
    """The permission rows `case_open` and `case_assign` would grant, for bulk loading (the demo seeder)."""
    rows = [
        CaseGroupObjectPermission(group=case.team.group, permission=by_name[p], content_object=case)
        for p in TEAM_PERMISSIONS
    ]
    rows += [
        CaseGroupObjectPermission(group=case.team.country.group, permission=by_name[p], content_object=case)
        for p in COUNTRY_PERMISSIONS
    ]
    rows += [
        CaseUserObjectPermission(user=n, permission=by_name[p], content_object=case)
        for n in navigators
        for p in ASSIGNED_PERMISSIONS
    ]
    return rows


def case_assign(*, acting_user, case: Case, navigator, started_on: date | None = None) -> CaseAssignment:
    """Assign a Navigator of the case's team to it (in addition to anyone already assigned)."""
    with change_by(acting_user):
        if not navigator.memberships.filter(team=case.team, ended_on__isnull=True).exists():
            raise ValidationError(
                {
                    "navigator": ValidationError(
                        _("%(navigator)s is not a member of %(team)s."),
                        params={"navigator": navigator, "team": case.team},
                    )
                }
            )
        assignment = _save(
            CaseAssignment(case=case, navigator=navigator, started_on=started_on or timezone.localdate())
        )
        for permission in ASSIGNED_PERMISSIONS:
            assign_perm(permission, navigator, case)
        return assignment


def assignment_end(*, acting_user, assignment: CaseAssignment, ended_on: date | None = None) -> CaseAssignment:
    """End a Navigator's assignment to a case; their personal access to it ends with it."""
    with change_by(acting_user):
        assignment.ended_on = ended_on or timezone.localdate()
        _save(assignment)  # saved one by one, not QuerySet.update(), so the end is in the history
        if not CaseAssignment.objects.filter(
            case=assignment.case, navigator=assignment.navigator, ended_on__isnull=True
        ).exists():
            for permission in ASSIGNED_PERMISSIONS:
                remove_perm(permission, assignment.navigator, assignment.case)
        return assignment


def assignments_end_outside_team(*, acting_user, navigator, team: Team | None, ended_on: date) -> None:
    """End a Navigator's assignments to cases of any team but `team` (they moved team or left)."""
    current = CaseAssignment.objects.filter(navigator=navigator, ended_on__isnull=True).select_related(
        "case", "navigator"
    )
    if team is not None:
        current = current.exclude(case__team=team)
    for assignment in current:
        assignment_end(acting_user=acting_user, assignment=assignment, ended_on=max(ended_on, assignment.started_on))


def case_stage_change(
    *, acting_user, case: Case, stage: str, occurred_on: date, closure_reason: str = "", notes: str = ""
) -> StageChange:
    """Move a case to a reintegration stage (or close it, with a reason); the case shows the latest stage."""
    with change_by(acting_user):
        case = Case.objects.select_for_update().get(pk=case.pk)
        change = _save(
            StageChange(
                case=case,
                occurred_on=occurred_on,
                stage=stage,
                closure_reason=closure_reason,
                notes=notes,
                recorded_by=acting_user,
            )
        )
        latest = StageChange.objects.filter(case=case).order_by("-occurred_on", "-id").first()
        case.stage = latest.stage
        is_closed = latest.stage == choices.Stage.CLOSED
        case.closed_on = latest.occurred_on if is_closed else None
        case.closure_reason = latest.closure_reason if is_closed else ""
        _save(case)
        if is_closed:
            for assignment in CaseAssignment.objects.filter(case=case, ended_on__isnull=True).select_related(
                "case", "navigator"
            ):
                assignment_end(acting_user=acting_user, assignment=assignment, ended_on=latest.occurred_on)
        return change


def membership_change_check(*, acting_user, user: User, team: Team | None) -> None:
    """Refuse a move into a team that no one may make (the admin's form asks before saving; the move asks again).

    Joining a team opens its cases, so it follows the Navigator role, which a second person approved
    (dataprotection.roles), and nobody moves themselves in. Leaving needs no one's approval.
    """
    if team is None:
        return
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(_("Nobody moves themselves into a team: another person does."))
    if not user.role_grants.filter(role=RoleGrant.Role.NAVIGATOR).exists():
        raise ValidationError({"user": _("Only a Victim Navigator joins a team: grant the role first.")})


def membership_change(
    *, acting_user, user: User, team: Team | None, started_on: date | None = None
) -> TeamMembership | None:
    """Move a Navigator to `team` (or out of every team with None), ending their old memberships.

    Leaving a team ends its access at once: the user leaves the team's group, and their assignments
    to the old team's cases end.
    """
    day = started_on or timezone.localdate()
    with change_by(acting_user):
        membership_change_check(acting_user=acting_user, user=user, team=team)
        for membership in TeamMembership.objects.filter(user=user, ended_on__isnull=True).select_related("team"):
            if team is not None and membership.team_id == team.pk:
                return membership
            membership.ended_on = day
            membership.full_clean()
            membership.save()
            user.groups.remove(membership.team.group)
        assignments_end_outside_team(acting_user=acting_user, navigator=user, team=team, ended_on=day)
        if team is None:
            return None
        membership = TeamMembership(user=user, team=team, started_on=day)
        membership.full_clean()
        membership.save()
        user.groups.add(team.group)
        return membership


def survivor_register_with_case(
    *, acting_user, team, identity: dict, exploitations: list[dict] = (), opened_on: date | None = None, **details
):
    """Register a survivor and open their first case with `team`, the registering Navigator assigned to it.

    A Navigator registers for their own team, a country lead for a team of their country. All or nothing.
    A possible match the registering user may not see is put up for the data protection lead's review
    (never shown to the user: that would tell them who is on the charity's books elsewhere).
    """
    with change_by(acting_user):
        if not teams_for_registration(acting_user).filter(pk=team.pk).exists():
            raise ValidationError(
                {"team": _("You may register survivors only for your own team, or for a team of a country you lead.")}
            )
        survivor = survivor_register(acting_user=acting_user, identity=identity, exploitations=exploitations, **details)
        case = case_open(
            acting_user=acting_user,
            survivor=survivor,
            team=team,
            opened_on=opened_on or timezone.localdate(),
            navigators=[acting_user] if _is_member(acting_user, team) else [],
        )
        possible_duplicates_record(
            acting_user=acting_user, survivor=survivor, matches=_matches_out_of_sight(acting_user, survivor)
        )
        return case


def _matches_out_of_sight(user, survivor: Survivor) -> list[Survivor]:
    """Survivors who may be `survivor` (see `possible_duplicates`) that `user` may not see."""
    identity = survivor.identity
    matches = possible_duplicates(
        names=blind_index.identity_names(identity.legal_name, identity.aliases),
        birth_year=survivor.birth_year,
        citizenships=survivor.citizenships,
        exclude_survivor_id=survivor.pk,
    )
    return list(matches.exclude(pk__in=survivors_visible_to(user).values("pk")))
