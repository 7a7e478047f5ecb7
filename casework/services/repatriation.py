"""Repatriations, step by step, and the handover of a case to the team that receives the survivor.

Each write takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import remove_perm

from casework import choices
from casework.models import (
    Case,
    Repatriation,
    RepatriationStep,
)
from casework.services.cases import _save, case_open, case_stage_change
from navigators.history import change_by
from navigators.models import Team
from survivors.choices import ConsentTopic
from survivors.selectors import survivor_consent_in_force


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
