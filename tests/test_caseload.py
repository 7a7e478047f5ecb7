"""My caseload: the columns a Navigator works from, overdue follow-ups first, filters, and a fixed query cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services
from tests import factories

TODAY = timezone.localdate()


def open_case(world, *, navigators=None, opened_days_ago=60):
    assigned = [world["assigned"]] if navigators is None else navigators
    return services.case_open(
        acting_user=None,
        survivor=factories.SurvivorFactory(),
        team=world["met"],
        opened_on=TODAY - timedelta(days=opened_days_ago),
        navigators=assigned,
    )


def rows(client, **params):
    return list(client.get(reverse("casework:case_list"), params).context["page"])


def posted_rows(client, **params):
    """The filter form as the page sends it: POSTed, so nothing typed lands in a URL."""
    return list(client.post(reverse("casework:case_list"), params).context["page"])


@pytest.fixture
def assigned(client, world):
    client.force_login(world["assigned"])
    return client


def test_columns_show_contact_follow_up_engagement_review_and_court(assigned, world):
    case = world["case"]
    factories.FollowUpFactory(case=case, occurred_on=TODAY - timedelta(days=9), next_due_on=TODAY + timedelta(days=5))
    factories.FollowUpFactory(
        case=case, occurred_on=TODAY - timedelta(days=3), outcome="not_reached", next_due_on=TODAY + timedelta(days=1)
    )
    factories.PoliceEngagementEventFactory(case=case, occurred_on=TODAY - timedelta(days=20), level=3)
    factories.PoliceEngagementEventFactory(
        case=case, occurred_on=TODAY - timedelta(days=2), level=1, is_withdrawal=True
    )
    factories.CarePlanFactory(
        case=case, started_on=TODAY - timedelta(days=40), next_review_on=TODAY + timedelta(days=30)
    )
    hearing = factories.CourtHearingFactory(
        prosecution=factories.ProsecutionFactory(case=case), scheduled_for=TODAY + timedelta(days=12)
    )

    [row] = rows(assigned)

    assert row.last_contact_on == TODAY - timedelta(days=9)  # the later attempt did not reach the survivor
    assert row.next_follow_up_due == TODAY + timedelta(days=1)  # set by the latest follow-up
    assert (row.current_engagement, row.highest_engagement) == (1, 3)
    assert row.care_plan_review_due == TODAY + timedelta(days=30)
    assert row.next_court_date == hearing.scheduled_for
    assert not row.is_overdue


def test_overdue_follow_ups_come_first_and_are_marked(assigned, world):
    on_time = world["case"]
    factories.FollowUpFactory(
        case=on_time, occurred_on=TODAY - timedelta(days=2), next_due_on=TODAY + timedelta(days=1)
    )
    overdue = open_case(world)
    factories.FollowUpFactory(
        case=overdue, occurred_on=TODAY - timedelta(days=20), next_due_on=TODAY - timedelta(days=6)
    )

    response = assigned.get(reverse("casework:case_list"))

    assert [c.pk for c in response.context["page"]] == [overdue.pk, on_time.pk]
    html = response.content.decode()
    assert html.index(overdue.survivor.case_reference) < html.index(on_time.survivor.case_reference)
    assert "Overdue" in html


def test_mine_is_what_i_am_assigned_to_and_all_adds_my_teams_cases(client, world):
    team_case = open_case(world, navigators=[])
    client.force_login(world["same_team"])

    assert rows(client) == []
    assert {c.pk for c in rows(client, scope="all")} == {world["case"].pk, team_case.pk}


def test_search_by_case_reference_and_filter_overdue(assigned, world):
    other = open_case(world)
    factories.FollowUpFactory(case=other, occurred_on=TODAY - timedelta(days=20), next_due_on=TODAY - timedelta(days=1))
    reference = world["case"].survivor.case_reference

    assert [c.pk for c in rows(assigned, q=reference.lower())] == [world["case"].pk]
    assert [c.pk for c in rows(assigned, overdue="on")] == [other.pk]


def test_htmx_filtering_returns_only_the_rows(assigned, world):
    response = assigned.get(reverse("casework:case_list"), {"q": "SV-"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<table" in html
    assert "<html" not in html


def test_the_caseload_costs_the_same_queries_for_one_case_and_for_two_hundred(client, world):
    # For the assigned Navigator and for the country lead: the 200 cases are made once for both.
    one = {}
    for who in ("assigned", "lead"):
        client.force_login(world[who])
        with CaptureQueriesContext(connection) as one[who]:
            assert len(rows(client)) == 1
    for _ in range(199):
        case = open_case(world)
        factories.FollowUpFactory(case=case)
    factories.PoliceEngagementEventFactory(case=case)

    for who in ("assigned", "lead"):
        client.force_login(world[who])
        with CaptureQueriesContext(connection) as many:
            # 50 a page: the first page of 200 cases
            assert len(rows(client)) == 50
        assert len(many) == len(one[who]), (who, [q["sql"][:120] for q in many])


def test_a_name_searched_for_is_posted_never_put_in_a_url(client, world):
    client.force_login(world["assigned"])
    page = client.get(reverse("casework:case_list")).content.decode()
    assert 'method="post" id="caseload-filters"' in page
    assert "hx-push-url" not in page

    response = client.post(reverse("casework:case_list"), {"name": "Ioana Popescu", "page": "1"})
    assert response.status_code == 200
    assert "Ioana" not in response.wsgi_request.get_full_path()


def test_name_search_finds_only_survivors_whose_identity_i_may_see(client, world):
    from survivors.services import name_index_rebuild

    factories.SurvivorIdentityFactory(survivor=world["case"].survivor, legal_name="Ioana Popescu")
    name_index_rebuild()
    client.force_login(world["assigned"])
    assert [c.pk for c in posted_rows(client, name="ioana popescu")] == [world["case"].pk]
    assert posted_rows(client, name="Maria") == []

    client.force_login(world["same_team"])  # sees the case, not who the survivor is
    assert posted_rows(client, scope="all", name="Ioana Popescu") == []
