"""A country lead's decisions: reassigning a case, transfers within the country, and the closure and
transfer requests Navigators send them.

Each write takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework import choices
from casework.models import (
    Case,
    CaseAssignment,
    CaseRequest,
    StageChange,
    check_event_date,
)
from casework.services.cases import _save, assignment_end, case_assign, case_stage_change
from casework.services.repatriation import _case_hand_on, case_transfer
from navigators import plausible
from navigators.history import change_by
from navigators.models import Team
from navigators.selectors import countries_led_by
from survivors.choices import ConsentTopic
from survivors.selectors import survivor_consent_in_force


def _lead_check(acting_user, case: Case) -> None:
    """Reassigning and deciding requests are the country lead's: refused (403) for anyone else."""
    if case.team.country_id not in countries_led_by(acting_user):
        raise PermissionDenied(_("Only the lead of this case's country may do this."))


def _open_case_check(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed."))


def _on_plausible(day: date) -> None:
    """The day a reassignment takes effect is an event's day (navigators.plausible), reported on its field."""
    try:
        plausible.validate_event_date(day)
    except ValidationError as error:
        raise ValidationError({"on": error.messages}) from None


def case_reassign(*, acting_user, case: Case, navigators, on: date) -> list[CaseAssignment]:
    """Make `navigators` (of the case's team) the case's assigned Navigators from `on`: the others' assignments
    end, the new ones start, in one transaction. Only the case's country leads may."""
    _lead_check(acting_user, case)
    with change_by(acting_user):
        case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)  # one reassignment at a time
        _open_case_check(case)
        _on_plausible(on)
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
