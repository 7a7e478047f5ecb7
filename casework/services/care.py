"""The survivor's care: follow-ups, support, wellbeing assessments, NRM steps, removals from
exploitation, re-trafficking and the care plan.

Each write takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from casework import choices
from casework.models import (
    CarePlan,
    CarePlanGoal,
    Case,
    FollowUp,
    NrmEvent,
    RemovalFromExploitation,
    RetraffickingEvent,
    SupportService,
    WellbeingAssessment,
)
from casework.services.cases import _record, _save
from navigators.history import change_by
from navigators.versioning import check_version


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
