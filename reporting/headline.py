"""The headline table of a period, computed in PostgreSQL from the case records and the returns.

A report costs a fixed number of queries whatever the data size: the direct-work countries, one query
for every indicator of each period involved (the period itself and its comparator's half-years), one for
the outcomes, one for the aggregate returns. The rules are in reporting.indicators; the choices the
spec leaves open are in docs/indicators.md.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.db import connection
from django.db.models import Q

from navigators.models import Country
from reporting import periods
from reporting.choices import ReturnSource
from reporting.figures import HeadlineReport, IndicatorRow, OutcomeRow, PartnerValue, Ratio, ReportPeriod
from reporting.indicators import HEADLINE_BY_ID, HEADLINE_INDICATORS, OUTCOME_COLUMNS, OUTCOME_INDICATORS, OUTCOMES_SQL
from reporting.models import AggregateReturnValue

TOTAL = "*"  # the direct-work total's key in computed values (the grouping set with no country)


class PeriodError(ValueError):
    """A period that cannot be reported on, with a message for the person who asked."""


# ---- periods -------------------------------------------------------------------------------------


def _report_period(period: periods.Period) -> ReportPeriod:
    return ReportPeriod(period.label, period.start, period.end)


def period_for_label(label: str) -> ReportPeriod:
    """'21/22 H1' or '21/22' → the period; PeriodError otherwise."""
    try:
        return _report_period(periods.parse_period(label))
    except ValueError as error:
        raise PeriodError(str(error)) from None


def period_for_range(start: date, end: date) -> ReportPeriod:
    """An inclusive date range; named like a financial year or half-year when it is exactly one."""
    if end < start:
        raise PeriodError(f"the period ends ({end}) before it starts ({start})")
    named = periods.named_period(start, end)
    return ReportPeriod(named.label if named else None, start, end)


# Everything up to a day: "to date" starts before any record the charity holds.
EARLIEST = date(2000, 1, 1)


def period_to_date(day: date) -> ReportPeriod:
    return ReportPeriod(f"to date ({day.isoformat()})", EARLIEST, day)


def comparator_for(period: ReportPeriod) -> ReportPeriod | None:
    """A half-year's comparator is the previous financial year's half-year average; a financial year's
    the previous financial year; any other range has none."""
    named = periods.named_period(period.start, period.end)
    if named is None:
        return None
    previous = periods.financial_year_of(periods.financial_year_of(named.start).start - timedelta(days=1))
    if named.label.endswith(("H1", "H2")):
        return ReportPeriod(f"{previous.label} HY average", previous.start, previous.end)
    return _report_period(previous)


def half_years_of(financial_year: ReportPeriod) -> list[ReportPeriod]:
    start_year = financial_year.start.year
    return [_report_period(periods.half_year(start_year, 1)), _report_period(periods.half_year(start_year, 2))]


def is_half_year_average(comparator: ReportPeriod) -> bool:
    return bool(comparator.label and comparator.label.endswith("HY average"))


# ---- the computed values -------------------------------------------------------------------------


def indicator_subjects_sql(indicator_id: str, period: ReportPeriod) -> tuple[str, dict]:
    """The rows (country_id, subject_id, amount) behind an indicator in a period, as SQL and parameters."""
    indicator = HEADLINE_BY_ID[indicator_id]
    return indicator.sql, {"start": period.start, "end": period.end}


def _indicator_values(period: ReportPeriod) -> dict[str, dict[str, int]]:
    """{indicator id: {country code or TOTAL: value}} from the case records, in one query."""
    parts = []
    for indicator in HEADLINE_INDICATORS:
        value = "count(DISTINCT subject_id)" if indicator.person_based else "coalesce(sum(amount), 0)"
        parts.append(
            f"SELECT '{indicator.id}' AS indicator, coalesce(country_id, '{TOTAL}') AS country_key, {value} AS value "
            f"FROM ({indicator.sql}) AS contributions GROUP BY GROUPING SETS ((country_id), ())"
        )
    values: dict[str, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute("\nUNION ALL\n".join(parts), {"start": period.start, "end": period.end})
        for indicator_id, country, value in cursor.fetchall():
            values[indicator_id][country] = int(value)
    return values


def _outcome_values(period: ReportPeriod) -> dict[str, dict[str, int]]:
    """{country code or TOTAL: {outcome column: value}} in one query."""
    with connection.cursor() as cursor:
        cursor.execute(OUTCOMES_SQL, {"start": period.start, "end": period.end})
        return {row[0]: dict(zip(OUTCOME_COLUMNS, (int(v) for v in row[1:]), strict=True)) for row in cursor.fetchall()}


# ---- returns: partners and legacy figures --------------------------------------------------------


@dataclass
class Returns:
    """The aggregate-return values that fall inside one period."""

    # legacy[indicator][country code, or TOTAL for "direct work as a whole"]
    legacy: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # partners[indicator][(partner name, country)] = [value, funded value]
    partners: dict[str, dict[tuple[str, str], list[int]]] = field(default_factory=lambda: defaultdict(dict))

    def legacy_for_total(self, indicator_id: str) -> int:
        """A legacy return for direct work as a whole stands for the total; otherwise the countries' add up."""
        values = self.legacy.get(indicator_id, {})
        if TOTAL in values:
            return values[TOTAL]
        return sum(values.values())


def _returns_values(first_day: date, last_day: date) -> list[AggregateReturnValue]:
    return list(
        AggregateReturnValue.objects.filter(
            aggregate_return__period_start__gte=first_day, aggregate_return__period_end__lte=last_day
        )
        .select_related("aggregate_return__partner")
        .order_by("aggregate_return__partner__name", "aggregate_return__period_start")
    )


def _returns_within(values: list[AggregateReturnValue], period: ReportPeriod, *, exactly: bool = False) -> Returns:
    """The returns whose period lies inside `period` (or is exactly it)."""
    returns = Returns()
    for value in values:
        r = value.aggregate_return
        inside = (
            (r.period_start, r.period_end) == (period.start, period.end)
            if exactly
            else (r.period_start >= period.start and r.period_end <= period.end)
        )
        if not inside:
            continue
        if r.source == ReturnSource.LEGACY:
            returns.legacy[value.indicator][r.country_id or TOTAL] += value.value
        else:
            key = (r.partner.name, r.partner.country_id)
            totals = returns.partners[value.indicator].setdefault(key, [0, 0])
            totals[0] += value.value
            if r.funded:
                totals[1] += value.value
    return returns


# ---- the report ----------------------------------------------------------------------------------


def direct_work_countries() -> list[str]:
    """The columns: countries where the charity works directly, and any other country with a team."""
    return list(
        Country.objects.filter(Q(is_direct_work=True) | Q(teams__isnull=False))
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )


def _total(computed: dict[str, int], returns: Returns, indicator_id: str) -> int:
    return computed.get(TOTAL, 0) + returns.legacy_for_total(indicator_id)


def headline_report(
    period: ReportPeriod, *, comparator: ReportPeriod | None | str = "auto", with_outcomes: bool = True
) -> HeadlineReport:
    """The headline table for `period`: every indicator and outcome of the spec, zeros included.

    `with_outcomes=False` leaves the outcomes out (for the to-date column and the trends, which show
    only the headline figures)."""
    if comparator == "auto":
        comparator = comparator_for(period)
    countries = direct_work_countries()

    first_day = min(period.start, comparator.start) if comparator else period.start
    last_day = max(period.end, comparator.end) if comparator else period.end
    return_values = _returns_values(first_day, last_day)
    returns = _returns_within(return_values, period)
    computed = _indicator_values(period)

    comparator_values = _comparator_values(comparator, return_values) if comparator else {}

    rows = []
    for indicator in HEADLINE_INDICATORS:
        values = computed.get(indicator.id, {})
        legacy = returns.legacy.get(indicator.id, {})
        by_country = {code: values.get(code, 0) + legacy.get(code, 0) for code in countries}
        overlap = [code for code in countries if legacy.get(code) is not None and values.get(code, 0) > 0]
        if TOTAL in legacy and values.get(TOTAL, 0) > 0:
            overlap.append("direct")
        partners = [
            PartnerValue(partner=name, country=country, value=value, funded=funded_value > 0, funded_value=funded_value)
            for (name, country), (value, funded_value) in sorted(returns.partners.get(indicator.id, {}).items())
        ]
        row = IndicatorRow(
            id=indicator.id,
            label=indicator.label,
            unit=indicator.unit,
            definition=indicator.definition,
            by_country=by_country,
            direct_total=_total(values, returns, indicator.id),
            comparator_value=comparator_values.get(indicator.id) if comparator else None,
            partners=partners,
            legacy_overlap=overlap,
        )
        rows.append(row)

    return HeadlineReport(
        period=period,
        comparator=comparator,
        countries=countries,
        indicators=rows,
        outcomes=_outcomes(period, countries) if with_outcomes else [],
    )


def _comparator_values(comparator: ReportPeriod, return_values) -> dict[str, Fraction]:
    """The direct-work comparator of every indicator.

    The half-year average: each half-year computed on its own (legacy half-year returns included), plus
    a legacy return for the whole year, halved. A financial year: that year computed as one period.
    """
    if not is_half_year_average(comparator):
        values = _indicator_values(comparator)
        returns = _returns_within(return_values, comparator)
        return {i.id: Fraction(_total(values.get(i.id, {}), returns, i.id)) for i in HEADLINE_INDICATORS}
    halves = half_years_of(comparator)
    computed = [_indicator_values(half) for half in halves]
    half_returns = [_returns_within(return_values, half) for half in halves]
    whole_year = _returns_within(return_values, comparator, exactly=True)
    result = {}
    for indicator in HEADLINE_INDICATORS:
        total = sum(
            _total(values.get(indicator.id, {}), returns, indicator.id)
            for values, returns in zip(computed, half_returns, strict=True)
        )
        total += whole_year.legacy_for_total(indicator.id)
        result[indicator.id] = Fraction(total, 2)
    return result


def _outcomes(period: ReportPeriod, countries: list[str]) -> list[OutcomeRow]:
    values = _outcome_values(period)
    empty = dict.fromkeys(OUTCOME_COLUMNS, 0)

    def ratio(outcome, key):
        row = values.get(key, empty)
        return Ratio(row[outcome.column], row[outcome.denominator] if outcome.denominator else None)

    return [
        OutcomeRow(
            id=outcome.id,
            label=outcome.label,
            definition=outcome.definition,
            by_country={code: ratio(outcome, code) for code in countries},
            direct_total=ratio(outcome, TOTAL),
        )
        for outcome in OUTCOME_INDICATORS
    ]


def half_years_up_to(day: date, count: int) -> list[ReportPeriod]:
    """The `count` financial half-years ending with the one that contains `day`, oldest first."""
    return [_report_period(half) for half in periods.half_years_up_to(day, count)]


def indicator_trends(halves: list[ReportPeriod]) -> dict[str, list[tuple[ReportPeriod, int]]]:
    """Each indicator's direct-work total in each half-year (legacy returns included): one query per
    half-year and one for the returns."""
    return_values = _returns_values(halves[0].start, halves[-1].end)
    trends: dict[str, list[tuple[ReportPeriod, int]]] = {indicator.id: [] for indicator in HEADLINE_INDICATORS}
    for half in halves:
        values = _indicator_values(half)
        returns = _returns_within(return_values, half)
        for indicator in HEADLINE_INDICATORS:
            trends[indicator.id].append((half, _total(values.get(indicator.id, {}), returns, indicator.id)))
    return trends
