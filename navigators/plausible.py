"""What a plausible value is: the one place for the ranges of dates, numbers and free text.

Every date, number and free-text field of the project's models carries one of these validators
(tests/test_plausible_values.py fails on a field that does not), so a form, a service's full_clean()
and, later, the API refuse the same values with the same message, which names the range. Here, on
the ground floor, because every app's models use them.

- The charity's case records began after RECORDS_BEGAN: no event, period or plan is dated before it
  (the earliest reporting period, 19/20, and every legacy return lie well after it).
- A date of birth gives an age between 0 and OLDEST_AGE.
- Something planned (the next follow-up, a review, a hearing, a document's expiry) lies at most
  PLAN_AHEAD_YEARS ahead.
- A note holds at most NOTE_MAX_LENGTH characters: a long account of a follow-up fits many times over;
  a pasted document does not belong in a case note.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

RECORDS_BEGAN = date(2010, 1, 1)
OLDEST_AGE = 110
PLAN_AHEAD_YEARS = 10
NOTE_MAX_LENGTH = 5000
SHORT_TEXT_MAX_LENGTH = 2000  # a reason, an error message, a return's notes


def check_constraint(name: str, condition, message) -> models.CheckConstraint:
    """A database constraint holding a range the validators above already give a message for: the last
    word, for writes that skip full_clean() (a bulk load, a raw update)."""
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _day(value: date) -> str:
    return date_format(value, "j M Y")


def _refuse(message, **params):
    raise ValidationError(message, code="implausible", params=params)


def validate_event_date(value: date) -> None:
    """Something that happened: not before the records began, not in the future."""
    if value is None:
        return
    if not RECORDS_BEGAN <= value <= timezone.localdate():
        _refuse(_("Enter a date between %(first)s and today."), first=_day(RECORDS_BEGAN))


def validate_planned_date(value: date) -> None:
    """Something planned or that lasts (a review, a hearing, an expiry): from the records' start to some years ahead."""
    if value is None:
        return
    last = _years_from(timezone.localdate(), PLAN_AHEAD_YEARS)
    if not RECORDS_BEGAN <= value <= last:
        _refuse(_("Enter a date between %(first)s and %(last)s."), first=_day(RECORDS_BEGAN), last=_day(last))


def validate_birth_date(value: date) -> None:
    """A date of birth gives an age between 0 and OLDEST_AGE."""
    if value is None:
        return
    today = timezone.localdate()
    first = _years_from(today, -OLDEST_AGE)
    if not first <= value <= today:
        _refuse(
            _("A date of birth gives an age between 0 and %(oldest)s: enter a date between %(first)s and today."),
            oldest=OLDEST_AGE,
            first=_day(first),
        )


def validate_birth_year(value: int) -> None:
    """A year of birth gives an age between 0 and OLDEST_AGE."""
    if value is None:
        return
    this_year = timezone.localdate().year
    if not this_year - OLDEST_AGE <= value <= this_year:
        _refuse(
            _("A year of birth gives an age between 0 and %(oldest)s: enter a year between %(first)s and %(last)s."),
            oldest=OLDEST_AGE,
            first=this_year - OLDEST_AGE,
            last=this_year,
        )


@deconstructible
class NumberRange:
    """A whole number between `low` and `high`, both included."""

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def __call__(self, value):
        if value is not None and not self.low <= value <= self.high:
            _refuse(
                _("Enter a number between %(low)s and %(high)s."),
                low=number_format(self.low, force_grouping=True),
                high=number_format(self.high, force_grouping=True),
            )

    def __eq__(self, other):
        return isinstance(other, NumberRange) and (self.low, self.high) == (other.low, other.high)


def note_length() -> MaxLengthValidator:
    """The longest free-text note (its message says the limit and how long the text is)."""
    return MaxLengthValidator(NOTE_MAX_LENGTH)


def short_text_length() -> MaxLengthValidator:
    """The longest reason or comment on a record about the records (a hold, an erasure, a return)."""
    return MaxLengthValidator(SHORT_TEXT_MAX_LENGTH)
