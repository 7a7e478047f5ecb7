"""Writes to reporting: M&E's training sessions, prevention sessions and aggregate returns.

Each takes `acting_user`, runs in one transaction (`change_by`) so that history names who entered or
corrected what, and validates everything with `full_clean()` before saving anything: bad input raises
ValidationError, field by field, and nothing is saved. Who may call them is the pages' business
(reporting.entry.views: M&E only); the admin and the seeders write these rows too.
"""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navigators.history import change_by
from navigators.models import Country, Partner, Team
from reporting.choices import Indicator, ReturnSource
from reporting.models import AggregateReturn, AggregateReturnValue, PreventionSession, TrainingSession
from reporting.periods import Period


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _direct_work_team_check(team: Team | None) -> None:
    """Sessions count towards the direct-work countries' figures, so only their teams hold them."""
    if team is not None and not team.country.is_direct_work:
        raise ValidationError(
            {
                "team": ValidationError(
                    _("%(team)s is not a team of the charity's own direct work."), params={"team": team.name}
                )
            }
        )


def _session_save(model, *, acting_user, session, fields: dict):
    with change_by(acting_user):
        if session is None:
            session = model(recorded_by=acting_user)
        else:  # a correction: the recorder stays; the history says who corrected what
            session = model.objects.select_for_update().get(pk=session.pk)
        for name, value in fields.items():
            setattr(session, name, value)
        _direct_work_team_check(session.team if session.team_id else None)
        return _save(session)


def training_session_save(
    *,
    acting_user,
    session: TrainingSession | None = None,
    team: Team,
    held_on: date,
    audience: str,
    attendee_count: int,
    topic: str = "",
) -> TrainingSession:
    """Record a training session delivered by a direct-work team, or correct one (`session` given)."""
    return _session_save(
        TrainingSession,
        acting_user=acting_user,
        session=session,
        fields={
            "team": team,
            "held_on": held_on,
            "audience": audience,
            "attendee_count": attendee_count,
            "topic": topic,
        },
    )


def prevention_session_save(
    *,
    acting_user,
    session: PreventionSession | None = None,
    team: Team,
    held_on: date,
    reach: str,
    participants: int,
    description: str = "",
) -> PreventionSession:
    """Record a prevention session (direct or indirect reach) of a direct-work team, or correct one."""
    return _session_save(
        PreventionSession,
        acting_user=acting_user,
        session=session,
        fields={
            "team": team,
            "held_on": held_on,
            "reach": reach,
            "participants": participants,
            "description": description,
        },
    )


def _duplicate_message(source: str, partner: Partner | None, country: Country | None, period: Period):
    """Whose return for which period already exists, in words: the unique constraint's own message names columns."""
    if source == ReturnSource.PARTNER:
        message = _(
            "There is already a return from %(who)s for %(period)s. Correct that return instead of entering a second one."
        )
    elif country is not None:
        message = _(
            "There is already a legacy return for %(who)s for %(period)s. Correct that return instead of entering a second one."
        )
    else:
        message = _(
            "There is already a legacy return for direct work as a whole for %(period)s. Correct that return instead of "
            "entering a second one."
        )
    who = partner.name if partner else (country.name if country else "")
    return ValidationError(message, code="duplicate", params={"who": who, "period": period.label})


def _return_checks(aggregate_return: AggregateReturn, period: Period) -> None:
    """The rules a return must meet beyond its model's own: raised as one ValidationError, by field."""
    errors = {}
    if (
        aggregate_return.source == ReturnSource.LEGACY
        and aggregate_return.country_id
        and not aggregate_return.country.is_direct_work
    ):
        errors["country"] = [
            _(
                "Legacy returns are for the charity's own direct-work countries; "
                "a partner's figures go in a partner return."
            )
        ]
    if period.start > timezone.localdate():
        errors["period"] = [ValidationError(_("%(period)s has not begun yet."), params={"period": period.label})]
    duplicate = AggregateReturn.objects.filter(
        source=aggregate_return.source,
        partner=aggregate_return.partner_id,
        country=aggregate_return.country_id,
        period_start=period.start,
        period_end=period.end,
    ).exclude(pk=aggregate_return.pk)
    if duplicate.exists():
        errors.setdefault("period", []).append(
            _duplicate_message(aggregate_return.source, aggregate_return.partner, aggregate_return.country, period)
        )
    if errors:
        raise ValidationError(errors)


def _value_rows(aggregate_return: AggregateReturn, values: dict) -> tuple[list, list]:
    """(rows to save, rows to delete) for `values`, validated; errors are keyed by indicator id."""
    unknown = set(values) - set(Indicator.values)
    if unknown:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    ValidationError(_("Unknown indicators: %(ids)s."), params={"ids": ", ".join(sorted(unknown))})
                ]
            }
        )
    if all(value is None for value in values.values()):
        raise ValidationError({NON_FIELD_ERRORS: [_("Enter at least one figure: a return with none says nothing.")]})
    existing = {row.indicator: row for row in aggregate_return.values.all()} if aggregate_return.pk else {}
    to_save, to_delete, errors = [], [], {}
    for indicator in Indicator.values:
        value, row = values.get(indicator), existing.get(indicator)
        if value is None:
            if row is not None:
                to_delete.append(row)
            continue
        if row is not None and row.value == value:
            continue  # unchanged: no history row for it
        row = row or AggregateReturnValue(aggregate_return=aggregate_return, indicator=indicator)
        row.value = value
        try:
            row.full_clean(exclude=["aggregate_return"])  # the return may not be saved yet
        except ValidationError as error:
            errors[indicator] = [message for messages in error.message_dict.values() for message in messages]
        to_save.append(row)
    if errors:
        raise ValidationError(errors)
    return to_save, to_delete


def aggregate_return_save(
    *,
    acting_user,
    aggregate_return: AggregateReturn | None = None,
    source: str,
    period: Period,
    partner: Partner | None = None,
    country: Country | None = None,
    funded: bool = False,
    notes: str = "",
    values: dict[str, int | None],
) -> AggregateReturn:
    """Enter a partner's or a legacy return with its figures, or correct one (`aggregate_return` given).

    `values` maps indicator ids to figures; an indicator left out or None has no figure in this return
    (a figure it had is removed). Everything is checked, and every error reported, before anything is
    written. A second return for the same partner (or country, or direct work as a whole) and period is
    refused on the period.
    """
    with change_by(acting_user):
        if aggregate_return is None:
            aggregate_return = AggregateReturn(entered_by=acting_user)
        else:
            aggregate_return = AggregateReturn.objects.select_for_update().get(pk=aggregate_return.pk)
        aggregate_return.source, aggregate_return.partner, aggregate_return.country = source, partner, country
        aggregate_return.period_start, aggregate_return.period_end = period.start, period.end
        aggregate_return.funded, aggregate_return.notes = funded, notes

        errors: dict[str, list] = {}

        def collect(check):
            try:
                return check()
            except ValidationError as error:
                for field, messages in error.error_dict.items():
                    errors.setdefault(field, []).extend(messages)

        collect(lambda: _return_checks(aggregate_return, period))
        # The model's clean() says in words what its check constraints hold; the duplicate is checked above.
        collect(lambda: aggregate_return.full_clean(validate_constraints=False))
        rows = collect(lambda: _value_rows(aggregate_return, values))
        if errors:
            raise ValidationError(errors)

        try:
            with transaction.atomic():  # a savepoint: someone may have entered the same return meanwhile
                aggregate_return.save()
        except IntegrityError as error:
            if (
                getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
                != "one_return_per_source_and_period"
            ):
                raise
            raise ValidationError({"period": [_duplicate_message(source, partner, country, period)]}) from None
        to_save, to_delete = rows
        for row in to_delete:
            row.delete()
        for row in to_save:
            row.aggregate_return = aggregate_return
            row.save()
        return aggregate_return
