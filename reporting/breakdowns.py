"""Breakdowns of a survivor indicator's survivors in a period by sex, age band, minor/adult, citizenship and
exploitation type, crossed up to three at a time, per direct-work country and for direct work as a whole.

One SQL query groups the survivors behind the indicator (reporting.headline.indicator_subjects_sql) by
the chosen dimensions and by country, with GROUPING SETS for the totals, whatever the number of
survivors. The direct-work column is de-duplicated like the indicator: a survivor counted in two
countries is one survivor there. Exports print it through reporting.suppression; the choices made here
are in docs/indicators.md ("Breakdowns").
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from reporting.figures import ReportPeriod

# The headline counts define who is behind each figure, and the columns are the headline table's.
from reporting.headline import direct_work_countries, indicator_subjects_sql
from reporting.suppression import CountTable, SuppressedTable, suppress_table
from survivors.choices import ExploitationType, Gender
from survivors.models import Survivor, SurvivorExploitation

MAX_DIMENSIONS = 3  # the counting rules: at most three dimensions crossed in one exported breakdown

# The indicators whose subjects are survivors (the others count accused persons, returns or head counts).
SURVIVOR_INDICATORS = ("victims_removed", "survivors_cared_for", "survivors_graduated")

# CTDC "ageBroad" bands of the age at exploitation: (lowest age, highest age or None, key, label).
AGE_BANDS = [
    (0, 8, "0-8", "0–8"),
    (9, 17, "9-17", "9–17"),
    (18, 20, "18-20", "18–20"),
    (21, 23, "21-23", "21–23"),
    (24, 26, "24-26", "24–26"),
    (27, 29, "27-29", "27–29"),
    (30, 38, "30-38", "30–38"),
    (39, 47, "39-47", "39–47"),
    (48, None, "48+", "48+"),
]
UNKNOWN, OTHER, SEVERAL = "unknown", "other", "several"


def _age_band_sql(age: str) -> str:
    whens = " ".join(f"WHEN {age} <= {high} THEN '{key}'" for _low, high, key, _label in AGE_BANDS if high is not None)
    return f"CASE WHEN {age} IS NULL THEN '{UNKNOWN}' {whens} ELSE '{AGE_BANDS[-1][2]}' END"


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    sql: str  # over the survivor `s` and their exploitation type `x.type` (NULL: none recorded)
    order: list[str]  # the categories in display order; citizenship codes sort alphabetically before these
    labels: dict[str, str]

    def sort_key(self, key: str):
        return (1, self.order.index(key)) if key in self.order else (0, key)

    def label_of(self, key: str) -> str:
        return str(self.labels.get(key, key))


_AGE = "s.age_at_exploitation"
DIMENSIONS = {
    "sex": Dimension(
        "sex",
        _("Sex"),
        "s.gender",
        list(Gender.values),
        dict(Gender.choices),
    ),
    "age_band": Dimension(
        "age_band",
        _("Age band at exploitation"),
        _age_band_sql(_AGE),
        [key for _low, _high, key, _label in AGE_BANDS] + [UNKNOWN],
        {key: label for _low, _high, key, label in AGE_BANDS} | {UNKNOWN: _("Unknown")},
    ),
    "minor": Dimension(
        "minor",
        _("Minor or adult at exploitation"),
        f"CASE WHEN {_AGE} IS NULL THEN '{UNKNOWN}' WHEN {_AGE} < 18 THEN 'minor' ELSE 'adult' END",
        ["minor", "adult", UNKNOWN],
        {"minor": _("Minor (under 18)"), "adult": _("Adult"), UNKNOWN: _("Unknown")},
    ),
    # The first listed citizenship; grouped into "other" below the threshold in the query itself.
    "citizenship": Dimension(
        "citizenship",
        _("Citizenship (first listed)"),
        f"COALESCE(s.citizenships[1], '{UNKNOWN}')",
        [OTHER, UNKNOWN],
        {OTHER: _("Other"), UNKNOWN: _("Unknown")},
    ),
    "exploitation_type": Dimension(
        "exploitation_type",
        _("Exploitation type"),
        f"COALESCE(x.type, '{UNKNOWN}')",
        list(ExploitationType.values) + [SEVERAL, UNKNOWN],
        dict(ExploitationType.choices) | {SEVERAL: _("Several types"), UNKNOWN: _("Not recorded")},
    ),
}


@dataclass(frozen=True)
class Breakdown:
    """Counts of an indicator's survivors: rows are the crossed categories found (keys, in display
    order), columns the direct-work countries; row totals are direct work, de-duplicated."""

    indicator: str
    period: ReportPeriod
    dimensions: tuple[str, ...]
    counts: CountTable  # row_labels are category keys, column_labels ISO codes

    @property
    def countries(self) -> list[str]:
        return self.counts.column_labels

    def dimension_labels(self) -> list[str]:
        return [str(DIMENSIONS[name].label) for name in self.dimensions]

    def row_label(self, row: tuple[str, ...]) -> tuple[str, ...]:
        """The categories of a row as people read them ("Several types", "18–20", ISO codes)."""
        return tuple(DIMENSIONS[name].label_of(key) for name, key in zip(self.dimensions, row, strict=True))

    def suppressed(self, threshold: int) -> SuppressedTable:
        return suppress_table(self.counts, threshold)

    def as_dict(self, threshold: int) -> dict:
        """The JSON form, suppressed: each figure an int, "<10" or "*"."""
        shown = self.suppressed(threshold)
        return {
            "indicator": self.indicator,
            "period": self.period.as_dict(),
            "dimensions": list(self.dimensions),
            "columns": [*shown.column_labels, "direct"],
            "rows": [
                {
                    "categories": dict(zip(self.dimensions, row, strict=True)),
                    "by_country": dict(zip(shown.column_labels, cells, strict=True)),
                    "direct": total,
                }
                for row, cells, total in zip(shown.row_labels, shown.cells, shown.row_totals, strict=True)
            ],
            "totals": {
                "by_country": dict(zip(shown.column_labels, shown.column_totals, strict=True)),
                "direct": shown.grand_total,
            },
            "suppression_threshold": threshold,
        }


def check_dimensions(dimensions) -> tuple[str, ...]:
    """The dimensions as a tuple; ValueError for none, too many, an unknown or a repeated one."""
    dimensions = tuple(dimensions)
    if len(dimensions) > MAX_DIMENSIONS:
        raise ValueError(
            f"A breakdown crosses at most {MAX_DIMENSIONS} dimensions (the counting rules, 'Small numbers and "
            f"anonymity'); {len(dimensions)} were asked for: {', '.join(dimensions)}."
        )
    if not dimensions:
        raise ValueError(f"A breakdown needs at least one dimension of: {', '.join(DIMENSIONS)}.")
    unknown = [name for name in dimensions if name not in DIMENSIONS]
    if unknown:
        raise ValueError(f"No such breakdown dimension: {', '.join(unknown)} (choose from {', '.join(DIMENSIONS)}).")
    if len(set(dimensions)) != len(dimensions):
        raise ValueError("Each dimension may be crossed once in a breakdown.")
    return dimensions


def breakdown_sql(
    indicator_id: str, period: ReportPeriod, dimensions: tuple[str, ...], threshold: int
) -> tuple[str, list | dict]:
    """The one query: (all countries?, all rows?, country, *dimension keys, survivors) per grouping set.

    The subjects' query may take its parameters by name (a dict) or by position (a list); the
    threshold is added the same way.
    """
    subjects, params = indicator_subjects_sql(indicator_id, period)
    named = isinstance(params, Mapping)
    placeholder = "%(breakdown_threshold)s" if named else "%s"
    keys = [f"d{i}" for i in range(len(dimensions))]
    computed = ",\n               ".join(
        f"{DIMENSIONS[name].sql} AS {key}" for name, key in zip(dimensions, keys, strict=True)
    )
    # Citizenship: a first citizenship with fewer than `threshold` survivors in direct work is "other".
    grouped = ", ".join(
        f"CASE WHEN {key} = '{UNKNOWN}' THEN {key} WHEN count(*) OVER (PARTITION BY {key}) < {placeholder} THEN '{OTHER}' ELSE {key} END AS {key}"
        if name == "citizenship"
        else key
        for name, key in zip(dimensions, keys, strict=True)
    )
    columns = ", ".join(f"g.{key}" for key in keys)
    sql = f"""
        WITH subjects AS (
            -- rows (country_id, subject_id[, amount]): only the first two are read
            SELECT DISTINCT q.country_id, q.subject_id FROM ({subjects}) AS q (country_id, subject_id)
        ),
        people AS (
            SELECT s.id AS survivor_id,
               {computed}
            FROM {Survivor._meta.db_table} s
            LEFT JOIN (
                SELECT survivor_id, CASE WHEN count(*) > 1 THEN '{SEVERAL}' ELSE min(type) END AS type
                FROM {SurvivorExploitation._meta.db_table} GROUP BY survivor_id
            ) x ON x.survivor_id = s.id
            WHERE s.id IN (SELECT subject_id FROM subjects)
        ),
        grouped AS (SELECT survivor_id, {grouped} FROM people)
        SELECT GROUPING(subjects.country_id), GROUPING({columns}), subjects.country_id, {columns},
               count(DISTINCT subjects.subject_id)
        FROM subjects JOIN grouped g ON g.survivor_id = subjects.subject_id
        GROUP BY GROUPING SETS (({columns}, subjects.country_id), ({columns}), (subjects.country_id), ())
    """
    if named:
        return sql, {**params, "breakdown_threshold": threshold}
    return sql, [*params, *[threshold] * dimensions.count("citizenship")]


def survivor_breakdown(
    indicator_id: str,
    period: ReportPeriod,
    dimensions,
    *,
    countries: list[str] | None = None,
    threshold: int | None = None,
) -> Breakdown:
    """The indicator's survivors in the period by the dimensions (one to three) and direct-work country.

    `countries` orders the columns (default: every direct-work country by code); `threshold` groups
    rare citizenships (default: settings.REPORTING_SUPPRESSION_THRESHOLD).
    """
    dimensions = check_dimensions(dimensions)
    if indicator_id not in SURVIVOR_INDICATORS:
        raise ValueError(
            f"Breakdowns are of survivor indicators ({', '.join(SURVIVOR_INDICATORS)}), not {indicator_id!r}."
        )
    threshold = settings.REPORTING_SUPPRESSION_THRESHOLD if threshold is None else threshold
    sql, params = breakdown_sql(indicator_id, period, dimensions, threshold)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = cursor.fetchall()

    countries = list(countries) if countries is not None else direct_work_countries()
    cells: dict[tuple, dict[str, int]] = {}
    row_totals: dict[tuple, int] = {}
    column_totals: dict[str, int] = {}
    grand_total = 0
    for all_countries, all_rows, country, *rest in results:
        row, count = tuple(rest[:-1]), rest[-1]
        if not all_countries and not all_rows:
            cells.setdefault(row, {})[country] = count
        elif all_countries and not all_rows:
            row_totals[row] = count
        elif not all_countries:
            column_totals[country] = count
        else:
            grand_total = count
    countries += sorted(set(column_totals) - set(countries))  # a subject's team outside the list: shown, not lost

    rows = sorted(
        row_totals, key=lambda row: [DIMENSIONS[name].sort_key(key) for name, key in zip(dimensions, row, strict=True)]
    )
    table = CountTable(
        row_labels=rows,
        column_labels=countries,
        cells=[[cells[row].get(country, 0) for country in countries] for row in rows],
        row_totals=[row_totals[row] for row in rows],
        column_totals=[column_totals.get(country, 0) for country in countries],
        grand_total=grand_total,
    )
    return Breakdown(indicator=indicator_id, period=period, dimensions=dimensions, counts=table)
