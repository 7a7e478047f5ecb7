"""The benchmarked operations. Each is the application's own path, its lower bound and, where there
is one, the naive approach, registered with `register(Operation(...))`; add more the same way.

Each function returns the answer in one form (the application's through `app_answer`), so the harness
can check that all three answered the same question.
"""

from collections import Counter

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench.harness import Operation, Target, register
from casework import choices as cw
from casework.models import Case, CaseAssignment, CourtHearing, FollowUp, PoliceEngagementEvent, SupportService
from navigators.models import RoleGrant, User
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


# ---- a Navigator's caseload ------------------------------------------------------------------------

CASELOAD_SIZE = 200


def caseload_setup():
    """The Navigator whose caseload (cases assigned to them now) is nearest 200 cases."""
    counts = (CaseAssignment.objects.filter(ended_on__isnull=True).values("navigator")
              .annotate(cases=Count("id")).order_by("navigator"))
    picked = min(counts, key=lambda row: (abs(row["cases"] - CASELOAD_SIZE), row["navigator"]))
    navigator = User.objects.get(pk=picked["navigator"])
    return {"navigator": navigator, "today": timezone.localdate()}, f"{navigator.username}, {picked['cases']} cases"


def caseload_app(navigator, today):
    from casework.selectors import caseload

    return list(caseload(navigator, scope="mine", today=today))  # what the case list view pages through


def caseload_answer(cases) -> list[tuple]:
    return [(c.pk, c.survivor.case_reference, c.team.name, c.last_contact_on, c.next_follow_up_due,
             c.current_engagement, c.highest_engagement, c.care_plan_review_due, c.next_court_date) for c in cases]


# The same rows, columns and order as the caseload selector, from the assignment (which is what gives
# an assigned Navigator their permission) instead of through django-guardian.
CASELOAD_SQL = """
SELECT c.id, s.case_reference, t.name, contact.last_contact_on, latest.next_due_on, engagement.level,
       highest.level, plan.next_review_on, court.scheduled_for,
       c.*, s.*, t.*, k.*
FROM casework_caseassignment a
JOIN casework_case c ON c.id = a.case_id
JOIN survivors_survivor s ON s.id = c.survivor_id
JOIN navigators_team t ON t.id = c.team_id
JOIN navigators_country k ON k.code = t.country_id
LEFT JOIN casework_careplan plan ON plan.case_id = c.id
LEFT JOIN LATERAL (SELECT max(f.occurred_on) AS last_contact_on FROM casework_followup f
                   WHERE f.case_id = c.id AND f.outcome = 'reached') contact ON true
LEFT JOIN LATERAL (SELECT f.next_due_on FROM casework_followup f WHERE f.case_id = c.id
                   ORDER BY f.occurred_on DESC, f.id DESC LIMIT 1) latest ON true
LEFT JOIN LATERAL (SELECT e.level FROM casework_policeengagementevent e WHERE e.case_id = c.id
                   ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1) engagement ON true
LEFT JOIN LATERAL (SELECT max(e.level) AS level FROM casework_policeengagementevent e WHERE e.case_id = c.id) highest ON true
LEFT JOIN LATERAL (SELECT min(h.scheduled_for) AS scheduled_for FROM casework_courthearing h
                   JOIN casework_prosecution p ON p.id = h.prosecution_id
                   WHERE p.case_id = c.id AND h.scheduled_for >= %(today)s) court ON true
WHERE a.navigator_id = %(navigator)s AND a.ended_on IS NULL
ORDER BY latest.next_due_on < %(today)s DESC NULLS LAST, latest.next_due_on ASC NULLS LAST, s.case_reference
"""


def caseload_lower_bound(navigator, today) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(CASELOAD_SQL, {"navigator": navigator.pk, "today": today})
        return [tuple(row[:9]) for row in cursor.fetchall()]


def caseload_naive(navigator, today) -> list[tuple]:
    """A first version: the assigned cases, then each case's columns asked for one case at a time."""
    cases = Case.objects.filter(assignments__navigator=navigator, assignments__ended_on__isnull=True).select_related(
        "survivor", "team__country")
    rows = []
    for case in cases:
        follow_ups = FollowUp.objects.filter(case=case)
        reached = follow_ups.filter(outcome=cw.FollowUpOutcome.REACHED).order_by("-occurred_on").first()
        latest = follow_ups.order_by("-occurred_on", "-id").first()
        engagement = list(PoliceEngagementEvent.objects.filter(case=case).order_by("-occurred_on", "-id"))
        plan = getattr(case, "care_plan", None)  # a missing care plan raises AttributeError's subclass
        hearing = CourtHearing.objects.filter(prosecution__case=case, scheduled_for__gte=today).order_by("scheduled_for").first()
        rows.append((case.pk, case.survivor.case_reference, case.team.name, reached and reached.occurred_on,
                     latest and latest.next_due_on, engagement[0].level if engagement else None,
                     max((e.level for e in engagement), default=None), plan and plan.next_review_on,
                     hearing and hearing.scheduled_for))
    overdue = {True: 0, False: 1, None: 2}
    rows.sort(key=lambda r: (overdue[None if r[4] is None else r[4] < today], r[4] is None, r[4] or today, r[1]))
    return rows


register(Operation(
    name="a Navigator's caseload",
    setup=caseload_setup, app=caseload_app, lower_bound=caseload_lower_bound, naive=caseload_naive,
    app_answer=caseload_answer,
    target=Target("≤ 3× lower bound; queries constant", max_vs_lower=3.0),
))


# ---- object-permission filtering of cases for a country lead ------------------------------------


def lead_setup():
    """The lead of the country with the most cases."""
    country = (Case.objects.values("team__country").annotate(cases=Count("id")).order_by("-cases", "team__country").first())
    lead = User.objects.filter(role_grants__role=RoleGrant.Role.COUNTRY_LEAD,
                               role_grants__country=country["team__country"]).order_by("pk").first()
    return {"lead": lead, "country": country["team__country"]}, f"count; {lead.username}, {country['cases']:,} cases"


def lead_app(lead, country):
    from casework.selectors import cases_visible_to

    return cases_visible_to(lead).count()


def lead_lower_bound(lead, country):
    return Case.objects.filter(team__country=country).count()


register(Operation(
    name="object-permission filtering of cases for a country lead",
    setup=lead_setup, app=lead_app, lower_bound=lead_lower_bound,
    target=Target("≤ 2× a plain foreign-key filter", max_vs_lower=2.0),
))
