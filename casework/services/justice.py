"""Police and courts: police engagement, accused persons, arrests, prosecutions and court hearings.

Each write takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from casework.models import (
    AccusedPerson,
    Arrest,
    Case,
    CourtHearing,
    PoliceEngagementEvent,
    Prosecution,
)
from casework.services.cases import _record, _save
from navigators.history import change_by
from navigators.models import Team
from navigators.versioning import check_version


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
    *,
    acting_user,
    case: Case,
    occurred_on: date,
    support_type: str,
    accused: AccusedPerson | None = None,
    accused_reference: str = "",
    notes: str = "",
) -> Arrest:
    """Record an arrest of an accused person connected with this survivor's exploitation; the accused is
    given, or named by reference (found, or registered for the case's team, in the same transaction)."""
    with change_by(acting_user):
        accused = accused or accused_find_or_register(
            acting_user=acting_user, team=case.team, reference=accused_reference
        )
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
    *,
    acting_user,
    case: Case,
    offence: str,
    support_kinds: list[str],
    accused: AccusedPerson | None = None,
    accused_reference: str = "",
    **dates,
) -> Prosecution:
    """Record a prosecution the team supports (dates and outcome may follow later); the accused is given,
    or named by reference as for an arrest."""
    with change_by(acting_user):
        accused = accused or accused_find_or_register(
            acting_user=acting_user, team=case.team, reference=accused_reference
        )
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
