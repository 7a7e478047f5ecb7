"""Reporting periods: the financial year runs 1 September – 31 August ("21/22"), in halves ("21/22 H1")."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

# The half-years the trends page shows and the period pickers offer.
TREND_HALF_YEARS = 10

_LABEL = re.compile(r"^(\d{2})/(\d{2})(?: H([12]))?$")


@dataclass(frozen=True)
class Period:
    label: str | None
    start: date
    end: date


def _last_day_of_february(year: int) -> date:
    return date(year, 3, 1) - timedelta(days=1)


def financial_year(start_year: int) -> Period:
    return Period(
        f"{start_year % 100:02d}/{(start_year + 1) % 100:02d}", date(start_year, 9, 1), date(start_year + 1, 8, 31)
    )


def half_year(start_year: int, half: int) -> Period:
    fy = financial_year(start_year)
    if half == 1:
        return Period(f"{fy.label} H1", fy.start, _last_day_of_february(start_year + 1))
    return Period(f"{fy.label} H2", date(start_year + 1, 3, 1), fy.end)


def parse_period(label: str) -> Period:
    """'21/22' or '21/22 H1' → the Period; ValueError with a readable message otherwise."""
    match = _LABEL.match(label.strip())
    if not match:
        raise ValueError(f"{label!r} is not a period like '21/22' or '21/22 H1'")
    first, second, half = int(match[1]), int(match[2]), match[3]
    if (first + 1) % 100 != second:
        raise ValueError(f"{label!r}: a financial year spans two consecutive years, such as 21/22")
    start_year = 2000 + first
    return half_year(start_year, int(half)) if half else financial_year(start_year)


def financial_year_of(day: date) -> Period:
    return financial_year(day.year if day.month >= 9 else day.year - 1)


def half_year_of(day: date) -> Period:
    fy = financial_year_of(day)
    return half_year(fy.start.year, 1 if day <= _last_day_of_february(fy.start.year + 1) else 2)


def named_period(start: date, end: date) -> Period | None:
    """The financial year or half-year that is exactly start–end, or None."""
    for candidate in (financial_year_of(start), half_year_of(start)):
        if candidate.start == start and candidate.end == end:
            return candidate
    return None


def half_years_up_to(day: date, count: int) -> list[Period]:
    """The `count` financial half-years ending with the one that contains `day`, oldest first."""
    halves = [half_year_of(day)]
    while len(halves) < count:
        halves.append(half_year_of(halves[-1].start - timedelta(days=1)))
    return halves[::-1]


def half_year_choices(today: date, count: int = 10) -> list[tuple[str, str]]:
    """The financial half-years of the last `count`, and their years, offered in a period picker, newest first."""
    choices = []
    for half in half_years_up_to(today, count)[::-1]:
        choices.append((half.label, half.label))
        if half.label.endswith("H1"):
            year = half.label.removesuffix(" H1")
            choices.append((year, year))
    return choices
