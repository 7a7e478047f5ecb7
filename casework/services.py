"""Writes to casework. Each takes `acting_user`, runs in one transaction and leaves history.

Every write validates with `full_clean()` first, so bad input raises ValidationError (field by field)
and nothing is saved.
"""

from datetime import date

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import choices
from casework.models import (
    AccusedPerson,
    Arrest,
    CarePlan,
    CarePlanGoal,
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseRequest,
    CaseUserObjectPermission,
    CourtHearing,
    FollowUp,
    NrmEvent,
    PoliceEngagementEvent,
    Prosecution,
    RemovalFromExploitation,
    Repatriation,
    RepatriationStep,
    RetraffickingEvent,
    StageChange,
    SupportService,
    WellbeingAssessment,
    check_event_date,
)
from navigators.history import change_by
from navigators.models import Team, TeamMembership, User
from navigators.selectors import countries_led_by, teams_for_registration
from navigators.versioning import check_version
from survivors.choices import ConsentTopic
from survivors.models import Survivor
from survivors.selectors import survivor_consent_in_force
from survivors.services import survivor_register


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


def follow_up_log(
    *,
    acting_user,
    case: Case,
    occurred_on: date,
    mode: str,
    outcome: str = choices.FollowUpOutcome.REACHED,
    purposes: list[str] = (),
    duration_minutes: int | None = None,
    notes: str = "",
    next_due_on: date | None = None,
) -> FollowUp:
    """Log a follow-up (reached or only attempted) and when the next one is due."""
    return _record(
        FollowUp,
        acting_user=acting_user,
        case=case,
        occurred_on=occurred_on,
        mode=mode,
        outcome=outcome,
        purposes=list(purposes),
        duration_minutes=duration_minutes,
        notes=notes,
        next_due_on=next_due_on,
    )


def support_service_record(
    *, acting_user, case: Case, occurred_on: date, service_type: str, notes: str = ""
) -> SupportService:
    """Record a support service delivered to the survivor."""
    return _record(
        SupportService,
        acting_user=acting_user,
        case=case,
        occurred_on=occurred_on,
        service_type=service_type,
        notes=notes,
    )


def assessment_record(*, acting_user, case: Case, occurred_on: date, **scores: int) -> WellbeingAssessment:
    """Record a wellbeing assessment scoring all six domains 1–4."""
    return _record(WellbeingAssessment, acting_user=acting_user, case=case, occurred_on=occurred_on, **scores)


def police_engagement_record(
    *, acting_user, case: Case, occurred_on: date, level: int, is_withdrawal: bool = False, notes: str = ""
) -> PoliceEngagementEvent:
    """Record the survivor's police engagement moving to `level` (a withdrawal lowers it)."""
    return _record(
        PoliceEngagementEvent,
        acting_user=acting_user,
        case=case,
        occurred_on=occurred_on,
        level=level,
        is_withdrawal=is_withdrawal,
        notes=notes,
    )


def nrm_event_record(*, acting_user, case: Case, occurred_on: date, status: str, **details) -> NrmEvent:
    """Record a step in the UK National Referral Mechanism."""
    return _record(NrmEvent, acting_user=acting_user, case=case, occurred_on=occurred_on, status=status, **details)


def retrafficking_record(*, acting_user, case: Case, occurred_on: date, notes: str = "") -> RetraffickingEvent:
    """Record that the survivor was trafficked again."""
    return _record(RetraffickingEvent, acting_user=acting_user, case=case, occurred_on=occurred_on, notes=notes)


def removal_record(
    *, acting_user, case: Case, occurred_on: date, support_type: str, notes: str = ""
) -> RemovalFromExploitation:
    """Record a removal from exploitation (a rescue) and what the team did to support it."""
    return _record(
        RemovalFromExploitation,
        acting_user=acting_user,
        case=case,
        occurred_on=occurred_on,
        support_type=support_type,
        notes=notes,
    )


def accused_register(
    *, acting_user, team: Team, reference: str, gender: str = "unknown", citizenship: str = ""
) -> AccusedPerson:
    """Register a suspected trafficker under a pseudonymous reference."""
    with change_by(acting_user):
        return _save(AccusedPerson(reference=reference, recorded_by_team=team, gender=gender, citizenship=citizenship))


def accused_find_or_register(*, acting_user, team: Team, reference: str) -> AccusedPerson:
    """The accused person known by `reference`, registered for `team` when nobody has recorded them yet."""
    reference = reference.strip().upper()
    return AccusedPerson.objects.filter(reference=reference).first() or accused_register(
        acting_user=acting_user, team=team, reference=reference
    )


def court_hearing_schedule(
    *,
    acting_user,
    prosecution: Prosecution,
    scheduled_for: date,
    kind: str,
    survivor_attending: bool = False,
    notes: str = "",
) -> CourtHearing:
    """Add a court date to a prosecution (it may lie ahead: hearings are scheduled)."""
    with change_by(acting_user):
        return _save(
            CourtHearing(
                prosecution=prosecution,
                scheduled_for=scheduled_for,
                kind=kind,
                survivor_attending=survivor_attending,
                notes=notes,
            )
        )


def arrest_record(
    *, acting_user, case: Case, accused: AccusedPerson, occurred_on: date, support_type: str, notes: str = ""
) -> Arrest:
    """Record an arrest of an accused person connected with this survivor's exploitation."""
    return _record(
        Arrest,
        acting_user=acting_user,
        case=case,
        accused=accused,
        occurred_on=occurred_on,
        support_type=support_type,
        notes=notes,
    )


def prosecution_record(
    *, acting_user, case: Case, accused: AccusedPerson, offence: str, support_kinds: list[str], **dates
) -> Prosecution:
    """Record a prosecution the team supports (dates and outcome may follow later)."""
    with change_by(acting_user):
        return _save(
            Prosecution(
                case=case,
                accused=accused,
                offence=offence,
                support_kinds=list(support_kinds),
                recorded_by=acting_user,
                **dates,
            )
        )


def prosecution_update(*, acting_user, prosecution: Prosecution, version: int | None = None, **changes) -> Prosecution:
    """Record a trial start, an outcome or a sentence on a prosecution.

    With `version` (the one the editor started from), a save made meanwhile by someone else raises
    EditConflict instead of being overwritten.
    """
    with change_by(acting_user):
        prosecution = Prosecution.objects.select_for_update().get(pk=prosecution.pk)
        check_version(prosecution, version, changes)
        for field, value in changes.items():
            setattr(prosecution, field, value)
        prosecution.version += 1
        return _save(prosecution)


def care_plan_save(
    *,
    acting_user,
    case: Case,
    started_on: date,
    next_review_on: date,
    summary: str = "",
    goals: list[dict] = (),
    last_reviewed_on: date | None = None,
    goal_statuses: dict | None = None,
    version: int | None = None,
) -> CarePlan:
    """Create or update the case's care plan; `goals` are added to it, `goal_statuses` ({goal id: status}) update its goals.

    With `version` (the one the editor started from), a save made meanwhile by someone else raises
    EditConflict instead of being overwritten.
    """
    with change_by(acting_user):
        plan = CarePlan.objects.select_for_update().filter(case=case).first()
        if plan is None:
            plan = CarePlan(case=case)
        else:
            check_version(plan, version, ["started_on", "next_review_on", "last_reviewed_on", "summary"])
            plan.version += 1
        plan.started_on, plan.next_review_on, plan.summary = started_on, next_review_on, summary
        plan.last_reviewed_on = last_reviewed_on
        _save(plan)
        for goal in plan.goals.filter(pk__in=(goal_statuses or {}).keys()):
            if goal.status != goal_statuses[goal.pk]:
                goal.status = goal_statuses[goal.pk]
                _save(goal)
        for goal in goals:
            _save(CarePlanGoal(care_plan=plan, **goal))
        return plan


def repatriation_plan(*, acting_user, case: Case, requested_on: date, **sides) -> Repatriation:
    """Start a repatriation on a case at the 'requested' step."""
    with change_by(acting_user):
        repatriation = _save(Repatriation(case=case, requested_on=requested_on, **sides))
        _save(
            RepatriationStep(
                repatriation=repatriation,
                stage=choices.RepatriationStage.REQUESTED,
                occurred_on=requested_on,
                recorded_by=acting_user,
            )
        )
        return repatriation


def repatriation_advance(
    *, acting_user, repatriation: Repatriation, stage: str, occurred_on: date, notes: str = ""
) -> RepatriationStep:
    """Move a repatriation to its next step; departure and arrival dates come from the steps."""
    with change_by(acting_user):
        repatriation = Repatriation.objects.select_for_update().get(pk=repatriation.pk)
        order = choices.REPATRIATION_ORDER
        if repatriation.stage in (choices.RepatriationStage.CANCELLED, choices.RepatriationStage.POST_RETURN_FOLLOW_UP):
            raise ValidationError({"stage": _("This repatriation is finished; no further step can be added.")})
        if stage == choices.RepatriationStage.CANCELLED:
            if repatriation.arrived_on:
                raise ValidationError(
                    {"stage": _("The survivor has already arrived; the repatriation cannot be cancelled.")}
                )
        elif order.index(stage) <= order.index(repatriation.stage):
            raise ValidationError(
                {
                    "stage": ValidationError(
                        _("The repatriation is already at '%(stage)s'."),
                        params={"stage": repatriation.get_stage_display()},
                    )
                }
            )
        step = _save(
            RepatriationStep(
                repatriation=repatriation, stage=stage, occurred_on=occurred_on, notes=notes, recorded_by=acting_user
            )
        )
        repatriation.stage = stage
        if stage == choices.RepatriationStage.IN_TRANSIT:
            repatriation.departed_on = occurred_on
        elif stage == choices.RepatriationStage.ARRIVED:
            repatriation.arrived_on = occurred_on
            repatriation.departed_on = repatriation.departed_on or occurred_on
        _save(repatriation)
        return step


def repatriation_hand_over(*, acting_user, repatriation: Repatriation, receiving_case: Case) -> Repatriation:
    """Link the receiving team's new case to a completed repatriation."""
    with change_by(acting_user):
        repatriation = Repatriation.objects.select_for_update().get(pk=repatriation.pk)
        if not repatriation.arrived_on:
            raise ValidationError(_("A case is handed over only after the survivor has arrived."))
        if receiving_case.survivor_id != repatriation.case.survivor_id:
            raise ValidationError(_("The receiving case is for another survivor."))
        repatriation.receiving_case = receiving_case
        repatriation.receiving_team = repatriation.receiving_team or receiving_case.team
        return _save(repatriation)


def _case_hand_on(*, acting_user, from_case: Case, to_team: Team, opened_on: date, navigators, read_only_for) -> Case:
    """The part of every handover: the new team's linked case opens, the old one closes, and the groups
    in `read_only_for` keep only read access to it. Runs inside the caller's transaction."""
    new_case = case_open(
        acting_user=acting_user,
        survivor=from_case.survivor,
        team=to_team,
        opened_on=opened_on,
        navigators=navigators,
        transferred_from=from_case,
    )
    if from_case.is_open:
        case_stage_change(
            acting_user=acting_user,
            case=from_case,
            stage=choices.Stage.CLOSED,
            occurred_on=max(opened_on, from_case.opened_on),
            closure_reason=choices.ClosureReason.MOVED_OUT_OF_AREA,
        )
    for group in read_only_for:
        remove_perm("casework.change_case", group, from_case)
    return new_case


def case_transfer(*, acting_user, from_case: Case, to_team: Team, opened_on: date, navigators=()) -> Case:
    """Hand a survivor's case to a team in another country: a new case for them, linked to the old one.

    Only with the survivor's recorded consent to share across borders. The sending team keeps read
    access to its own case, which closes, and gets none on the new one.
    """
    if to_team.country_id == from_case.team.country_id:
        raise ValidationError(
            {"to_team": _("A handover goes to a team in another country; reassign within the country instead.")}
        )
    if not survivor_consent_in_force(survivor=from_case.survivor, topic=ConsentTopic.SHARE_CROSS_BORDER):
        raise ValidationError(
            _("The survivor has not consented to their case being shared with a team in another country.")
        )
    with change_by(acting_user):
        new_case = _case_hand_on(
            acting_user=acting_user,
            from_case=from_case,
            to_team=to_team,
            opened_on=opened_on,
            navigators=navigators,
            read_only_for=(from_case.team.group, from_case.team.country.group),
        )
        arrived = from_case.repatriations.filter(arrived_on__isnull=False, receiving_case__isnull=True).first()
        if arrived is not None:
            repatriation_hand_over(acting_user=acting_user, repatriation=arrived, receiving_case=new_case)
        return new_case


def _lead_check(acting_user, case: Case) -> None:
    """Reassigning and deciding requests are the country lead's: refused (403) for anyone else."""
    if case.team.country_id not in countries_led_by(acting_user):
        raise PermissionDenied(_("Only the lead of this case's country may do this."))


def _open_case_check(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed."))


def case_reassign(*, acting_user, case: Case, navigators, on: date) -> list[CaseAssignment]:
    """Make `navigators` (of the case's team) the case's assigned Navigators from `on`: the others' assignments
    end, the new ones start, in one transaction. Only the case's country leads may."""
    _lead_check(acting_user, case)
    with change_by(acting_user):
        case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)  # one reassignment at a time
        _open_case_check(case)
        check_event_date(case, on, field="on")
        wanted = {navigator.pk: navigator for navigator in navigators}
        members = set(
            case.team.memberships.filter(ended_on__isnull=True, user__in=wanted).values_list("user_id", flat=True)
        )
        strangers = [str(navigator) for pk, navigator in wanted.items() if pk not in members]
        if strangers:
            raise ValidationError(
                {"navigators": _("Not in %(team)s: %(names)s.") % {"team": case.team, "names": ", ".join(strangers)}}
            )
        current = list(
            CaseAssignment.objects.filter(case=case, ended_on__isnull=True).select_related("case", "navigator")
        )
        for assignment in current:
            if assignment.navigator_id in wanted:
                continue
            if on < assignment.started_on:
                raise ValidationError(
                    {
                        "on": _("%(who)s was assigned on %(day)s; their assignment cannot end before that.")
                        % {"who": assignment.navigator, "day": date_format(assignment.started_on)}
                    }
                )
            assignment_end(acting_user=acting_user, assignment=assignment, ended_on=on)
        assigned = {assignment.navigator_id for assignment in current}
        for pk, navigator in wanted.items():
            if pk not in assigned:
                case_assign(acting_user=acting_user, case=case, navigator=navigator, started_on=on)
        return list(CaseAssignment.objects.filter(case=case, ended_on__isnull=True).select_related("navigator"))


def case_transfer_within_country(
    *, acting_user, from_case: Case, to_team: Team, opened_on: date, navigators=()
) -> Case:
    """Hand a case to another team of the same country: a new case for them, linked to the old one, which closes.

    No cross-border consent is needed. The old team keeps read access to its closed case; the country's
    leads keep theirs on both.
    """
    if to_team.country_id != from_case.team.country_id:
        raise ValidationError({"to_team": _("This team is in another country: that is a cross-border handover.")})
    with change_by(acting_user):
        return _case_hand_on(
            acting_user=acting_user,
            from_case=from_case,
            to_team=to_team,
            opened_on=opened_on,
            navigators=navigators,
            read_only_for=(from_case.team.group,),
        )


def _pending_check(case: Case, kind: str) -> None:
    """A clear message before the database constraint would refuse a second waiting request."""
    waiting = (
        CaseRequest.objects.filter(case=case, kind=kind, status=CaseRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    if waiting is None:
        return
    details = {"who": waiting.requested_by, "day": date_format(waiting.requested_on)}
    if kind == CaseRequest.Kind.CLOSURE:
        message = _(
            "A request to close this case is already waiting for the country lead (asked by %(who)s on %(day)s)."
        )
    else:
        message = _(
            "A request to transfer this case is already waiting for the country lead (asked by %(who)s on %(day)s)."
        )
    raise ValidationError(message % details)


def _closing_date_check(case: Case, closes_on: date | None) -> None:
    """A closure dated before the latest stage change would not be the case's stage: refuse it."""
    latest = StageChange.objects.filter(case=case).order_by("-occurred_on", "-id").first()
    if closes_on and latest and closes_on < latest.occurred_on:
        raise ValidationError(
            {
                "closes_on": _("The case moved to “%(stage)s” on %(day)s; it cannot close before that.")
                % {"stage": latest.get_stage_display(), "day": date_format(latest.occurred_on)}
            }
        )


def _transfer_check(case: Case, to_team: Team | None) -> None:
    """The receiving team can take the case now: active, no open case of its own for the survivor, and
    across a border only with the survivor's consent in force."""
    if to_team is None or to_team.pk == case.team_id:
        return  # the request's own validation names the problem
    if not to_team.is_active:
        raise ValidationError({"to_team": _("%(team)s no longer takes cases.") % {"team": to_team}})
    if Case.objects.filter(survivor=case.survivor_id, team=to_team).exclude(stage=choices.Stage.CLOSED).exists():
        raise ValidationError(
            {"to_team": _("%(team)s already has an open case for this survivor.") % {"team": to_team}}
        )
    if to_team.country_id != case.team.country_id and not survivor_consent_in_force(
        survivor=case.survivor, topic=ConsentTopic.SHARE_CROSS_BORDER
    ):
        raise ValidationError(
            {
                "to_team": _(
                    "%(team)s is in another country, and the survivor's consent to share their case across a border is not "
                    "on record. Record their consent first, or choose a team in this country."
                )
                % {"team": to_team}
            }
        )


def closure_request(*, acting_user, case: Case, closure_reason: str, closes_on: date, notes: str = "") -> CaseRequest:
    """Ask the country lead to close a case, with the reason and the day it should close."""
    with change_by(acting_user):
        case = Case.objects.select_for_update().get(pk=case.pk)  # one request at a time per case
        _open_case_check(case)
        _pending_check(case, CaseRequest.Kind.CLOSURE)
        request = CaseRequest(
            case=case,
            kind=CaseRequest.Kind.CLOSURE,
            requested_by=acting_user,
            closure_reason=closure_reason,
            closes_on=closes_on,
            notes=notes,
        )
        request.full_clean()
        _closing_date_check(case, closes_on)
        request.save()
        return request


def transfer_request(*, acting_user, case: Case, to_team: Team, notes: str = "") -> CaseRequest:
    """Ask the country lead to hand a case to another team, in this country or (with consent) across a border."""
    with change_by(acting_user):
        case = Case.objects.select_for_update().select_related("team", "survivor").get(pk=case.pk)
        _open_case_check(case)
        _pending_check(case, CaseRequest.Kind.TRANSFER)
        request = CaseRequest(
            case=case, kind=CaseRequest.Kind.TRANSFER, requested_by=acting_user, to_team=to_team, notes=notes
        )
        request.full_clean()
        _transfer_check(case, to_team)
        request.save()
        return request


def _pending_request(acting_user, case_request: CaseRequest) -> CaseRequest:
    """The request, locked, if it still waits and `acting_user` leads its case's country."""
    case_request = (
        CaseRequest.objects.select_for_update(of=("self",))
        .select_related("case__team__country", "case__survivor", "to_team__country")
        .get(pk=case_request.pk)
    )
    _lead_check(acting_user, case_request.case)
    if case_request.status != CaseRequest.Status.PENDING:
        raise ValidationError(
            _("This request was already decided (%(status)s).") % {"status": case_request.get_status_display()}
        )
    return case_request


def case_request_approve(*, acting_user, case_request: CaseRequest, note: str = "") -> CaseRequest:
    """Approve a request: the case closes, or goes to the other team (across a border through `case_transfer`,
    which also hands over an arrived repatriation). Checked again now: the approver leads the case's country,
    and a cross-border transfer still has the survivor's consent."""
    with change_by(acting_user):
        case_request = _pending_request(acting_user, case_request)
        case = case_request.case
        _open_case_check(case)
        if case_request.kind == CaseRequest.Kind.CLOSURE:
            _closing_date_check(case, case_request.closes_on)
            case_stage_change(
                acting_user=acting_user,
                case=case,
                stage=choices.Stage.CLOSED,
                occurred_on=case_request.closes_on,
                closure_reason=case_request.closure_reason,
                notes=case_request.notes,
            )
        else:
            _transfer_check(case, case_request.to_team)
            transfer = (
                case_transfer
                if case_request.to_team.country_id != case.team.country_id
                else case_transfer_within_country
            )
            case_request.new_case = transfer(
                acting_user=acting_user, from_case=case, to_team=case_request.to_team, opened_on=timezone.localdate()
            )
        case_request.status = CaseRequest.Status.APPROVED
        case_request.decided_by, case_request.decided_at, case_request.decision_note = acting_user, timezone.now(), note
        return _save(case_request)


def case_request_return(*, acting_user, case_request: CaseRequest, note: str) -> CaseRequest:
    """Send a request back to the Navigator with the lead's comment; the case stays as it was."""
    with change_by(acting_user):
        case_request = _pending_request(acting_user, case_request)
        case_request.status = CaseRequest.Status.RETURNED
        case_request.decided_by, case_request.decided_at, case_request.decision_note = acting_user, timezone.now(), note
        return _save(case_request)


# ---- people moving between teams, and registration (casework builds on navigators and survivors) ------


def membership_change(
    *, acting_user, user: User, team: Team | None, started_on: date | None = None
) -> TeamMembership | None:
    """Move a Navigator to `team` (or out of every team with None), ending their old memberships.

    Leaving a team ends its access at once: the user leaves the team's group, and their assignments
    to the old team's cases end.
    """
    day = started_on or timezone.localdate()
    with change_by(acting_user):
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
    """
    with change_by(acting_user):
        if not teams_for_registration(acting_user).filter(pk=team.pk).exists():
            raise ValidationError(
                {"team": _("You may register survivors only for your own team, or for a team of a country you lead.")}
            )
        survivor = survivor_register(acting_user=acting_user, identity=identity, exploitations=exploitations, **details)
        # A lead outside the team has the case through their country; only a member of the team can be assigned.
        is_member = acting_user.memberships.filter(team=team, ended_on__isnull=True).exists()
        return case_open(
            acting_user=acting_user,
            survivor=survivor,
            team=team,
            opened_on=opened_on or timezone.localdate(),
            navigators=[acting_user] if is_member else [],
        )
