"""A country lead's dashboard (the country nearest 40,000 cases)."""

from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench.harness import Operation, Target, register
from casework import choices as cw
from casework.models import Case
from navigators.models import RoleGrant, User

# ---- a country lead's dashboard --------------------------------------------------------------------

COUNTRY_SIZE = 40_000


def dashboard_setup():
    """The lead of the country whose number of cases is nearest 40,000 (RO at 100,000 survivors)."""
    counts = Case.objects.values("team__country").annotate(cases=Count("id")).order_by("team__country")
    picked = min(counts, key=lambda row: (abs(row["cases"] - COUNTRY_SIZE), row["team__country"]))
    lead = (
        User.objects.filter(role_grants__role=RoleGrant.Role.COUNTRY_LEAD, role_grants__country=picked["team__country"])
        .order_by("pk")
        .first()
    )
    return {"lead": lead, "today": timezone.localdate()}, f"{lead.username}, {picked['cases']:,} cases"


def _measures(today) -> list[str]:
    from casework.selectors import dashboard_measures

    return list(dashboard_measures(today=today))


def dashboard_app(lead, today):
    """What casework.views.lead.lead_dashboard computes before it lays the numbers out, evaluated."""
    from casework import selectors

    codes = [country.code for country in selectors.countries_led(lead)]
    measures = _measures(today)
    counts, totals = selectors.country_caseload_numbers(lead, countries=codes, today=today)
    members = selectors.country_navigators(codes)
    requests = list(selectors.pending_requests(lead, countries=codes))
    return measures, counts, totals, members, requests


def dashboard_answer(result) -> dict:
    """Each number by (country, Navigator) (None: nobody assigned) and by (country, "total")."""
    measures, counts, totals, _members, _requests = result
    answer = {key: tuple(row[m] for m in measures) for key, row in counts.items()}
    answer.update({(country, "total"): tuple(row[m] for m in measures) for country, row in totals.items()})
    return answer


# Every number of the dashboard in one query: each open case of the lead's countries with its columns
# worked out once (LATERAL), then counted per current Navigator and per country. The lead's country group
# holds view_case on every case of the country, so a plain foreign key stands for the permission filter.
DASHBOARD_SQL = """
WITH measured AS (
    SELECT c.id, t.country_id AS country, latest.next_due_on, plan.next_review_on,
           coalesce(contact.last_contact_on, c.opened_on) AS contact_or_opened_on, engagement.level
    FROM casework_case c
    JOIN navigators_team t ON t.id = c.team_id
    LEFT JOIN casework_careplan plan ON plan.case_id = c.id
    LEFT JOIN LATERAL (SELECT f.next_due_on FROM casework_followup f WHERE f.case_id = c.id
                       ORDER BY f.occurred_on DESC, f.id DESC LIMIT 1) latest ON true
    LEFT JOIN LATERAL (SELECT max(f.occurred_on) AS last_contact_on FROM casework_followup f
                       WHERE f.case_id = c.id AND f.outcome = 'reached') contact ON true
    LEFT JOIN LATERAL (SELECT e.level FROM casework_policeengagementevent e WHERE e.case_id = c.id
                       ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1) engagement ON true
    WHERE t.country_id = ANY(%(countries)s) AND c.stage <> 'closed'
), numbers AS (
    SELECT country, navigator, count(*) AS open,
           count(*) FILTER (WHERE next_due_on < %(today)s) AS overdue,
           count(*) FILTER (WHERE contact_or_opened_on < %(no_contact_since)s) AS no_contact,
           count(*) FILTER (WHERE next_review_on < %(today)s) AS review_overdue,
           count(*) FILTER (WHERE level = 0) AS e0, count(*) FILTER (WHERE level = 1) AS e1,
           count(*) FILTER (WHERE level = 2) AS e2, count(*) FILTER (WHERE level = 3) AS e3,
           count(*) FILTER (WHERE level = 4) AS e4, count(*) FILTER (WHERE level IS NULL) AS enone,
           false AS is_total
    FROM (SELECT m.*, a.navigator_id AS navigator FROM measured m
          LEFT JOIN casework_caseassignment a ON a.case_id = m.id AND a.ended_on IS NULL) assigned
    GROUP BY country, navigator
)
SELECT * FROM numbers
UNION ALL
SELECT country, NULL, count(*), count(*) FILTER (WHERE next_due_on < %(today)s),
       count(*) FILTER (WHERE contact_or_opened_on < %(no_contact_since)s), count(*) FILTER (WHERE next_review_on < %(today)s),
       count(*) FILTER (WHERE level = 0), count(*) FILTER (WHERE level = 1), count(*) FILTER (WHERE level = 2),
       count(*) FILTER (WHERE level = 3), count(*) FILTER (WHERE level = 4), count(*) FILTER (WHERE level IS NULL), true
FROM measured GROUP BY country
"""


def dashboard_lower_bound(lead, today) -> dict:
    from casework.selectors import NO_CONTACT_DAYS

    codes = list(lead.role_grants.filter(role=RoleGrant.Role.COUNTRY_LEAD).values_list("country", flat=True))
    assert list(cw.EngagementLevel.values) == [0, 1, 2, 3, 4]  # the columns e0..e4 above
    with connection.cursor() as cursor:
        cursor.execute(
            DASHBOARD_SQL,
            {"countries": codes, "today": today, "no_contact_since": today - timedelta(days=NO_CONTACT_DAYS)},
        )
        return {(row[0], "total" if row[-1] else row[1]): tuple(row[2:-1]) for row in cursor.fetchall()}


def dashboard_naive(lead, today) -> dict:
    """A first version: for each Navigator of the country, their open cases with the caseload columns,
    counted in Python; then the cases nobody is assigned to; the country's totals from the cases seen."""
    from casework import selectors

    no_contact_since = today - timedelta(days=selectors.NO_CONTACT_DAYS)

    def numbers(cases):
        return (
            len(cases),
            sum(c.is_overdue is True for c in cases),
            sum((c.last_contact_on or c.opened_on) < no_contact_since for c in cases),
            sum(c.review_overdue is True for c in cases),
            *(sum(c.current_engagement == level for c in cases) for level in cw.EngagementLevel.values),
            sum(c.current_engagement is None for c in cases),
        )

    answer = {}
    for country in selectors.countries_led(lead):
        seen = {}
        navigators = {m.user_id for m in selectors.country_navigators([country.code])}
        for navigator in sorted(navigators):
            cases = list(
                selectors.caseload(
                    lead, scope="all", country=country.code, open_only=True, navigator=navigator, today=today
                )
            )
            if cases:
                answer[(country.code, navigator)] = numbers(cases)
                seen.update({c.pk: c for c in cases})
        unassigned = list(
            selectors.caseload(lead, scope="all", country=country.code, open_only=True, unassigned=True, today=today)
        )
        if unassigned:
            answer[(country.code, None)] = numbers(unassigned)
        seen.update({c.pk: c for c in unassigned})
        answer[(country.code, "total")] = numbers(list(seen.values()))
    return answer


register(
    Operation(
        name="a country lead's dashboard",
        setup=dashboard_setup,
        app=dashboard_app,
        lower_bound=dashboard_lower_bound,
        naive=dashboard_naive,
        app_answer=dashboard_answer,
        target=Target("≤ 3× lower bound", max_vs_lower=3.0),
    )
)
