"""The headline report for one half-year, all countries."""

from collections import Counter, defaultdict

from django.db import connection

from bench.harness import Operation, Target, register
from casework import choices as cw
from casework.models import FollowUp, SupportService
from survivors.models import Survivor

# ---- the headline report for one half-year, all countries ----------------------------------------

HEADLINE_PERIOD = "24/25 H1"


def headline_setup():
    from reporting.headline import period_for_label

    return {"period": period_for_label(HEADLINE_PERIOD)}, HEADLINE_PERIOD


def headline_app(period):
    from reporting.headline import headline_report

    return headline_report(period)


def report_answer(report) -> dict:
    """The table's numbers: each indicator's value per country and in total, its comparator, and each
    outcome's numerator and denominator per country and in total (zeros left out)."""
    answer = {}
    for row in report.indicators:
        values = {country: value for country, value in row.by_country.items() if value}
        if row.direct_total:
            values["total"] = row.direct_total
        answer[row.id] = values
        answer[f"{row.id} comparator"] = row.comparator_value
    for outcome in report.outcomes:
        ratios = dict(outcome.by_country, total=outcome.direct_total)
        answer[f"outcome {outcome.id}"] = {
            key: (ratio.numerator, ratio.denominator)
            for key, ratio in ratios.items()
            if ratio.numerator or ratio.denominator
        }
    return answer


def cared_for_part(answer) -> dict[str, int]:
    """What the naive loop computes: survivors cared for per country and in total."""
    return answer["survivors_cared_for"]


# A survivor is cared for by country C in P with one support instance (a follow-up that reached them,
# or a support service) by a team of C dated in P, and two in all by direct-work teams up to the end
# of P. The period's instances are read once (`in_period_{p}`): most survivors with an instance in P
# have two there, and only those with exactly one need a look further back, through the
# (case, -occurred_on) indexes. `{p}` names the period's parameters (p0_start, p0_end...), so one
# statement can hold several periods. `cared_{p}` rows: (survivor_id, country_id).
CARED_FOR_CTES = """
    in_period_{p} AS (
        SELECT survivor_id, country_id, count(*) AS instances
        FROM (SELECT c.survivor_id, t.country_id
              FROM casework_followup f
              JOIN casework_case c ON c.id = f.case_id
              JOIN navigators_team t ON t.id = c.team_id
              JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
              WHERE f.outcome = 'reached' AND f.occurred_on BETWEEN %({p}_start)s AND %({p}_end)s
              UNION ALL
              SELECT c.survivor_id, t.country_id
              FROM casework_supportservice s
              JOIN casework_case c ON c.id = s.case_id
              JOIN navigators_team t ON t.id = c.team_id
              JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
              WHERE s.occurred_on BETWEEN %({p}_start)s AND %({p}_end)s) AS instances
        GROUP BY survivor_id, country_id
    ),
    cared_{p} AS (
        SELECT b.survivor_id, b.country_id
        FROM in_period_{p} b
        JOIN (SELECT survivor_id, sum(instances) AS instances FROM in_period_{p} GROUP BY survivor_id) s USING (survivor_id)
        WHERE s.instances >= 2
           OR EXISTS (SELECT 1 FROM casework_case c
                      JOIN navigators_team t ON t.id = c.team_id
                      JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
                      WHERE c.survivor_id = b.survivor_id
                        AND (EXISTS (SELECT 1 FROM casework_followup f WHERE f.case_id = c.id AND f.outcome = 'reached'
                                     AND f.occurred_on < %({p}_start)s)
                             OR EXISTS (SELECT 1 FROM casework_supportservice v WHERE v.case_id = c.id
                                        AND v.occurred_on < %({p}_start)s)))
    )
"""

# The outcomes of the period's cohort (its survivors cared for), written out by hand: the survivor's
# highest engagement level, wellbeing assessments (two or more, one in the period; the latest mental
# wellbeing above the first) and re-trafficking in the period; and the period's reached follow-ups.
OUTCOMES_ROWS = """
    SELECT coalesce(k.country_id, '*') AS country_key,
           count(DISTINCT k.survivor_id),
           count(DISTINCT k.survivor_id) FILTER (WHERE g.highest >= 1),
           count(DISTINCT k.survivor_id) FILTER (WHERE g.highest >= 2),
           count(DISTINCT k.survivor_id) FILTER (WHERE g.highest >= 3),
           count(DISTINCT k.survivor_id) FILTER (WHERE w.assessments >= 2 AND w.in_period >= 1),
           count(DISTINCT k.survivor_id) FILTER (WHERE w.assessments >= 2 AND w.in_period >= 1 AND w.latest > w.first),
           count(DISTINCT k.survivor_id) FILTER (WHERE r.survivor_id IS NOT NULL)
    FROM cared_p0 k
    LEFT JOIN (SELECT c.survivor_id, max(e.level) AS highest
               FROM casework_policeengagementevent e JOIN casework_case c ON c.id = e.case_id
               WHERE e.occurred_on <= %(p0_end)s GROUP BY c.survivor_id) g USING (survivor_id)
    LEFT JOIN (SELECT c.survivor_id, count(*) AS assessments,
                      count(*) FILTER (WHERE w.occurred_on >= %(p0_start)s) AS in_period,
                      (array_agg(w.mental_wellbeing ORDER BY w.occurred_on, w.id))[1] AS first,
                      (array_agg(w.mental_wellbeing ORDER BY w.occurred_on DESC, w.id DESC))[1] AS latest
               FROM casework_wellbeingassessment w JOIN casework_case c ON c.id = w.case_id
               WHERE w.occurred_on <= %(p0_end)s GROUP BY c.survivor_id) w USING (survivor_id)
    LEFT JOIN (SELECT DISTINCT c.survivor_id
               FROM casework_retraffickingevent e JOIN casework_case c ON c.id = e.case_id
               WHERE e.occurred_on BETWEEN %(p0_start)s AND %(p0_end)s) r USING (survivor_id)
    GROUP BY GROUPING SETS ((k.country_id), ())
"""

FOLLOW_UPS_ROWS = """
    SELECT coalesce(t.country_id, '*'), count(*)
    FROM casework_followup f JOIN casework_case c ON c.id = f.case_id JOIN navigators_team t ON t.id = c.team_id
    WHERE f.outcome = 'reached' AND f.occurred_on BETWEEN %(p0_start)s AND %(p0_end)s
    GROUP BY GROUPING SETS ((t.country_id), ())
"""

# Legacy returns (figures from before the case records) inside each period, or exactly the comparator
# year for a return covering that whole year; a return for direct work as a whole has no country ('*').
LEGACY_ROWS = """
    SELECT p.key, v.indicator, coalesce(r.country_id, '*'), sum(v.value)
    FROM reporting_aggregatereturnvalue v
    JOIN reporting_aggregatereturn r ON r.id = v.aggregate_return_id
    JOIN (VALUES ('p0', %(p0_start)s::date, %(p0_end)s::date, false), ('p1', %(p1_start)s::date, %(p1_end)s::date, false),
                 ('p2', %(p2_start)s::date, %(p2_end)s::date, false), ('year', %(year_start)s::date, %(year_end)s::date, true))
         AS p(key, start_on, end_on, exact)
      ON CASE WHEN p.exact THEN r.period_start = p.start_on AND r.period_end = p.end_on
              ELSE r.period_start >= p.start_on AND r.period_end <= p.end_on END
    WHERE r.source = 'legacy'
    GROUP BY p.key, v.indicator, coalesce(r.country_id, '*')
"""


def headline_lower_bound_sql() -> str:
    """One statement for the whole table: the nine indicators for the period (p0) and for each half of
    the comparator year (p1, p2), the period's outcomes, and the legacy returns. Survivors cared for and
    the outcomes are the hand-written queries above; the other eight indicators each read one small event
    table, and their SQL is the rule's own (`reporting.indicators`), since there is nothing to hand-write
    differently in a single-table count."""
    from reporting.indicators import HEADLINE_INDICATORS

    ctes, parts = [], []
    for p in ("p0", "p1", "p2"):
        ctes.append(CARED_FOR_CTES.format(p=p))
        parts.append(
            f"SELECT '{p}', 'survivors_cared_for', coalesce(country_id, '*'), count(DISTINCT survivor_id) "
            f"FROM cared_{p} GROUP BY GROUPING SETS ((country_id), ())"
        )
        for indicator in HEADLINE_INDICATORS:
            if indicator.id == "survivors_cared_for":
                continue
            value = "count(DISTINCT subject_id)" if indicator.person_based else "coalesce(sum(amount), 0)"
            rule = indicator.sql.replace("%(start)s", f"%({p}_start)s").replace("%(end)s", f"%({p}_end)s")
            parts.append(
                f"SELECT '{p}', '{indicator.id}', coalesce(country_id, '*'), {value} "
                f"FROM ({rule}) AS x GROUP BY GROUPING SETS ((country_id), ())"
            )
    outcome_columns = [
        "cohort",
        "police_engaged",
        "police_abe",
        "police_prosecution",
        "wellbeing_assessed",
        "wellbeing_improved",
        "retrafficked",
    ]
    unpivot = ", ".join(f"('{column}', o.v{i})" for i, column in enumerate(outcome_columns))
    selected = ", ".join(f"v{i}" for i in range(len(outcome_columns)))
    parts.append(
        f"SELECT 'outcome', u.column_name, o.country_key, u.value "
        f"FROM ({OUTCOMES_ROWS}) AS o(country_key, {selected}) CROSS JOIN LATERAL (VALUES {unpivot}) AS u(column_name, value)"
    )
    parts.append(
        f"SELECT 'outcome', 'follow_ups', x.country_key, x.value FROM ({FOLLOW_UPS_ROWS}) AS x(country_key, value)"
    )
    parts.append(
        f"SELECT 'legacy ' || x.key, x.indicator, x.country_key, x.value FROM ({LEGACY_ROWS}) AS x(key, indicator, country_key, value)"
    )
    return "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL\n".join(parts)


def headline_lower_bound(period) -> dict:
    """The whole table from one statement, and the few additions and halvings the published layout asks
    for (legacy returns added to the computed figures, the comparator the mean of the two halves)."""
    from fractions import Fraction

    from reporting.headline import comparator_for, half_years_of, is_half_year_average
    from reporting.indicators import HEADLINE_INDICATORS, OUTCOME_INDICATORS

    year = comparator_for(period)
    assert year is not None, "the benchmark's period is a half-year"
    assert is_half_year_average(year), "the benchmark's period is a half-year"
    halves = half_years_of(year)
    params = {"p0_start": period.start, "p0_end": period.end, "year_start": year.start, "year_end": year.end}
    for key, half in zip(("p1", "p2"), halves, strict=True):
        params[f"{key}_start"], params[f"{key}_end"] = half.start, half.end
    computed = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(headline_lower_bound_sql(), params)
        for key, name, country, value in cursor.fetchall():
            computed[key, name, country] = int(value)

    countries = {country for (_, _, country) in computed if country != "*"}

    def total(key, indicator_id):
        legacy = {c: v for (k, i, c), v in computed.items() if k == f"legacy {key}" and i == indicator_id}
        return computed[key, indicator_id, "*"] + (legacy["*"] if "*" in legacy else sum(legacy.values()))

    answer = {}
    for indicator in HEADLINE_INDICATORS:
        values = {c: computed["p0", indicator.id, c] + computed["legacy p0", indicator.id, c] for c in countries}
        values = {c: v for c, v in values.items() if v}
        if total("p0", indicator.id):
            values["total"] = total("p0", indicator.id)
        answer[indicator.id] = values
        year_legacy = {c: v for (k, i, c), v in computed.items() if k == "legacy year" and i == indicator.id}
        whole_year = year_legacy["*"] if "*" in year_legacy else sum(year_legacy.values())
        answer[f"{indicator.id} comparator"] = Fraction(
            total("p1", indicator.id) + total("p2", indicator.id) + whole_year, 2
        )
    for outcome in OUTCOME_INDICATORS:
        ratios = {}
        for country in countries | {"*"}:
            numerator = computed["outcome", outcome.column, country]
            denominator = computed["outcome", outcome.denominator, country] if outcome.denominator else None
            if numerator or denominator:
                ratios["total" if country == "*" else country] = (numerator, denominator)
        answer[f"outcome {outcome.id}"] = ratios
    return answer


def headline_naive(period) -> dict[str, int]:
    """What a first version would write: each survivor's support instances fetched one survivor at a time."""
    counts, total = Counter(), 0
    for survivor_id in Survivor.objects.order_by().values_list("id", flat=True).iterator(chunk_size=5000):
        direct = {
            "case__survivor_id": survivor_id,
            "case__team__country__is_direct_work": True,
            "occurred_on__lte": period.end,
        }
        instances = list(
            FollowUp.objects.filter(outcome=cw.FollowUpOutcome.REACHED, **direct).values_list(
                "occurred_on", "case__team__country_id"
            )
        )
        instances += list(SupportService.objects.filter(**direct).values_list("occurred_on", "case__team__country_id"))
        if len(instances) < 2:
            continue
        countries = {country for day, country in instances if day >= period.start}
        counts.update(countries)
        total += bool(countries)
    if total:
        counts["total"] = total
    return dict(counts)


register(
    Operation(
        name="the headline report for one half-year, all countries",
        setup=headline_setup,
        app=headline_app,
        lower_bound=headline_lower_bound,
        naive=headline_naive,
        app_answer=report_answer,
        naive_part=cared_for_part,
        target=Target("≤ 2× lower bound; ≥ 20× faster than naive", max_vs_lower=2.0, min_vs_naive=20.0),
    )
)
