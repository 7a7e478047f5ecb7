"""The heaviest reads keep their indexes: a country lead's permission filter, the caseload's columns,
the dashboard's numbers, and the headline report's support instances (survivors cared for and the
outcomes, the report's heaviest queries).

Each plan is read from PostgreSQL's EXPLAIN (the queryset's own SQL and parameters, through
`QuerySet.explain`) on a data set made by `seed_scale` inside the test's transaction, large enough for
the planner to care (thousands of cases, tens of thousands of follow-ups and permission rows) and
ANALYZEd by it. Nothing is timed, and the planner is left free: no `enable_seqscan=off`.
"""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count

from casework.access import cases_visible_to
from casework.models import Case, CaseAssignment
from casework.selectors import caseload, country_caseload_groups
from navigators.models import RoleGrant, User
from reporting.headline import period_for_label
from reporting.indicators import OUTCOMES_SQL, SURVIVORS_CARED_FOR

TODAY = date(2026, 11, 23)
# The indexes each read should come from (named by Django for django-guardian's tables). A group's grants
# come from the unique (group, permission, case) index at scale, or the group's own index on a smaller table.
GROUP_GRANTS = {
    "casework_casegroupobject_group_id_permission_id_c_ba43fed7_uniq",
    "casework_casegroupobjectpermission_group_id_93c4a6bf",
}
GROUP_GRANTS_OF_A_CASE = "casework_casegroupobjectpermission_content_object_id_51c1a05e"
FOLLOW_UPS_OF_A_CASE = "followup_latest"  # the latest follow-up and the next one it set
ENGAGEMENT_OF_A_CASE = "policeengagementevent_day"
BIG_TABLES = {
    "casework_case",
    "casework_followup",
    "casework_casegroupobjectpermission",
    "casework_caseuserobjectpermission",
    "casework_policeengagementevent",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """About 3,000 cases, 40,000 follow-ups and 20,000 permission rows (seed_scale ends with ANALYZE),
    loaded once for the module inside a transaction that is rolled back after its last test: each test's
    own transaction is a savepoint inside it, so the tests still cannot see each other's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", survivors=2000, seed=5, today=TODAY, no_history=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    """The module's data set, in a test that may use the database."""


def plan_nodes(queryset) -> list[dict]:
    return _nodes(json.loads(queryset.explain(format="json")))


def sql_plan_nodes(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    return _nodes(raw if isinstance(raw, list) else json.loads(raw))


def _nodes(plan) -> list[dict]:
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def indexes_used(nodes) -> set[str]:
    return {node["Index Name"] for node in nodes if "Index Name" in node}


def sequential_scans(nodes) -> set[str]:
    return {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}


def lead_of_the_biggest_country():
    country = (
        Case.objects.values("team__country").annotate(cases=Count("id")).order_by("-cases").first()["team__country"]
    )
    lead = User.objects.get(role_grants__role=RoleGrant.Role.COUNTRY_LEAD, role_grants__country=country)
    return lead, country


def test_a_leads_cases_come_from_their_groups_grants_through_its_index(scale):
    lead, country = lead_of_the_biggest_country()

    nodes = plan_nodes(cases_visible_to(lead).filter(team__country_id=country))

    assert GROUP_GRANTS & indexes_used(nodes)
    assert "casework_casegroupobjectpermission" not in sequential_scans(nodes)


def test_one_case_for_a_lead_is_checked_by_its_own_grants_only(scale):
    lead, country = lead_of_the_biggest_country()
    case = Case.objects.filter(team__country_id=country).order_by("pk").first()

    nodes = plan_nodes(cases_visible_to(lead).filter(pk=case.pk))  # what access_case runs

    assert GROUP_GRANTS_OF_A_CASE in indexes_used(nodes)
    assert not sequential_scans(nodes) & BIG_TABLES


def test_a_navigators_caseload_columns_come_from_each_cases_index(scale):
    busiest = (
        CaseAssignment.objects.filter(ended_on__isnull=True)
        .values("navigator")
        .annotate(cases=Count("id"))
        .order_by("-cases")
        .first()
    )
    navigator = User.objects.get(pk=busiest["navigator"])

    nodes = plan_nodes(caseload(navigator, scope="mine", today=TODAY))

    assert {FOLLOW_UPS_OF_A_CASE, ENGAGEMENT_OF_A_CASE} <= indexes_used(nodes)
    assert not sequential_scans(nodes) & BIG_TABLES


def test_the_dashboard_numbers_read_follow_ups_and_grants_through_their_indexes(scale):
    lead, country = lead_of_the_biggest_country()

    nodes = plan_nodes(country_caseload_groups(lead, countries=[country], today=TODAY))

    assert {FOLLOW_UPS_OF_A_CASE, ENGAGEMENT_OF_A_CASE} <= indexes_used(nodes)
    assert GROUP_GRANTS & indexes_used(nodes)
    assert not sequential_scans(nodes) & {
        "casework_followup",
        "casework_policeengagementevent",
        "casework_casegroupobjectpermission",
    }


REACHED_FOLLOW_UPS = "followup_reached_on"  # a period's reached follow-ups and their cases


def half_year():
    period = period_for_label("24/25 H1")
    return {"start": period.start, "end": period.end}


def test_survivors_cared_for_reads_the_periods_follow_ups_from_their_partial_index(scale):
    nodes = sql_plan_nodes(SURVIVORS_CARED_FOR, half_year())

    assert REACHED_FOLLOW_UPS in indexes_used(nodes)
    assert "casework_followup" not in sequential_scans(nodes)


def test_the_outcomes_read_the_periods_follow_ups_once_and_from_their_partial_index(scale):
    nodes = sql_plan_nodes(OUTCOMES_SQL, half_year())

    assert [node["Index Name"] for node in nodes if node.get("Index Name") == REACHED_FOLLOW_UPS] == [
        REACHED_FOLLOW_UPS
    ]
    assert "casework_followup" not in sequential_scans(nodes)
