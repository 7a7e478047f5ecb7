"""The headline report for one half-year, all countries."""

from collections import Counter

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


def cared_for_answer(report) -> dict[str, int]:
    """Survivors cared for: {country: count, "total": direct-work total}, zeros left out."""
    row = report.indicator("survivors_cared_for")
    counts = {country: value for country, value in row.by_country.items() if value}
    if row.direct_total:
        counts["total"] = row.direct_total
    return counts


# A survivor is cared for by country C in P with one support instance (a follow-up that reached them,
# or a support service) by a team of C dated in P, and two in all by direct-work teams up to the end
# of P. Most survivors with an instance in P have two in P; only those with exactly one need a look
# further back, through the (case, -occurred_on) indexes.
CARED_FOR_SQL = """
WITH in_period AS (
    SELECT c.survivor_id, t.country_id
    FROM casework_followup f
    JOIN casework_case c ON c.id = f.case_id
    JOIN navigators_team t ON t.id = c.team_id
    JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
    WHERE f.outcome = 'reached' AND f.occurred_on BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT c.survivor_id, t.country_id
    FROM casework_supportservice s
    JOIN casework_case c ON c.id = s.case_id
    JOIN navigators_team t ON t.id = c.team_id
    JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
    WHERE s.occurred_on BETWEEN %(start)s AND %(end)s
),
by_country AS (
    SELECT survivor_id, country_id, count(*) AS instances FROM in_period GROUP BY survivor_id, country_id
),
cared_for AS (
    SELECT b.survivor_id, b.country_id
    FROM by_country b
    JOIN (SELECT survivor_id, sum(instances) AS instances FROM by_country GROUP BY survivor_id) s USING (survivor_id)
    WHERE s.instances >= 2
       OR EXISTS (SELECT 1 FROM casework_case c
                  JOIN navigators_team t ON t.id = c.team_id
                  JOIN navigators_country k ON k.code = t.country_id AND k.is_direct_work
                  WHERE c.survivor_id = b.survivor_id
                    AND (EXISTS (SELECT 1 FROM casework_followup f WHERE f.case_id = c.id AND f.outcome = 'reached'
                                 AND f.occurred_on < %(start)s)
                         OR EXISTS (SELECT 1 FROM casework_supportservice v WHERE v.case_id = c.id
                                    AND v.occurred_on < %(start)s)))
)
SELECT coalesce(country_id, 'total'), count(DISTINCT survivor_id)
FROM cared_for GROUP BY GROUPING SETS ((country_id), ())
"""


def headline_lower_bound(period) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(CARED_FOR_SQL, {"start": period.start, "end": period.end})
        return {key: count for key, count in cursor.fetchall() if count}


def headline_naive(period) -> dict[str, int]:
    """What a first version would write: each survivor's support instances fetched one survivor at a time."""
    counts, total = Counter(), 0
    for survivor_id in Survivor.objects.order_by().values_list("id", flat=True).iterator(chunk_size=5000):
        direct = {"case__survivor_id": survivor_id, "case__team__country__is_direct_work": True, "occurred_on__lte": period.end}
        instances = list(FollowUp.objects.filter(outcome=cw.FollowUpOutcome.REACHED, **direct)
                         .values_list("occurred_on", "case__team__country_id"))
        instances += list(SupportService.objects.filter(**direct).values_list("occurred_on", "case__team__country_id"))
        if len(instances) < 2:
            continue
        countries = {country for day, country in instances if day >= period.start}
        counts.update(countries)
        total += bool(countries)
    if total:
        counts["total"] = total
    return dict(counts)


register(Operation(
    name="the headline report for one half-year, all countries",
    setup=headline_setup, app=headline_app, lower_bound=headline_lower_bound, naive=headline_naive,
    app_answer=cared_for_answer,
    target=Target("≤ 2× lower bound; ≥ 20× faster than naive", max_vs_lower=2.0, min_vs_naive=20.0),
))
