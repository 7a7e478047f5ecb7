"""The country lead's caseload dashboard: its numbers per Navigator, each a link to exactly those cases."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from casework import services as casework
from casework.forms import CaseloadFilterForm
from casework.selectors import caseload
from navigators import services as navigators
from navigators.models import Country, RoleGrant, Team, User
from tests import factories
from tests.conftest import make_user

TODAY = timezone.localdate()
DASHBOARD = reverse("casework:lead_dashboard")


def days_ago(n):
    return TODAY - timedelta(days=n)


def open_case(world, team, *, navigators=(), opened=60):
    return casework.case_open(
        acting_user=world["lead"],
        survivor=factories.SurvivorFactory(),
        team=team,
        opened_on=days_ago(opened),
        navigators=list(navigators),
    )


@pytest.fixture
def caseload_world(world):
    """World's case (assigned, no contact since it opened 50 days ago) and three more GB cases, one closed,
    and a Romanian case the GB lead must not count."""
    lead = world["lead"]
    busy = open_case(world, world["met"], navigators=[world["assigned"], world["same_team"]])
    casework.follow_up_log(acting_user=lead, case=busy, occurred_on=days_ago(10), mode="phone", next_due_on=days_ago(3))
    casework.care_plan_save(acting_user=lead, case=busy, started_on=days_ago(50), next_review_on=days_ago(1))
    casework.police_engagement_record(acting_user=lead, case=busy, occurred_on=days_ago(20), level=2)
    nobody = open_case(world, world["surrey"])
    casework.follow_up_log(acting_user=lead, case=nobody, occurred_on=days_ago(40), mode="phone", next_due_on=TODAY)
    casework.follow_up_log(
        acting_user=lead,
        case=nobody,
        occurred_on=days_ago(5),
        mode="phone",
        outcome="not_reached",
        next_due_on=days_ago(-5),
    )
    casework.police_engagement_record(acting_user=lead, case=nobody, occurred_on=days_ago(30), level=0)
    casework.police_engagement_record(acting_user=lead, case=nobody, occurred_on=days_ago(20), level=3)
    closed = open_case(world, world["met"], navigators=[world["assigned"]])
    casework.case_stage_change(
        acting_user=lead, case=closed, stage="closed", occurred_on=days_ago(2), closure_reason="graduated"
    )
    bucharest = Team.objects.get(name="Bucharest brigade")
    romanian = open_case(world, bucharest, navigators=[User.objects.get(username="other.country")])
    return {**world, "busy": busy, "nobody": nobody, "closed": closed, "romanian": romanian}


def numbers(response, country="GB"):
    """{row label: {measure: count}} of one country's table, the total row under "All open cases"."""
    section = next(s for s in response.context["sections"] if s["country"].code == country)
    rows = {row["label"]: {cell["measure"]: cell["count"] for cell in row["cells"]} for row in section["rows"]}
    rows["All open cases"] = {cell["measure"]: cell["count"] for cell in section["total"]["cells"]}
    return rows


def nonzero(counts):
    return {name: count for name, count in counts.items() if count}


def test_dashboard_counts_each_navigators_open_cases(client, caseload_world):
    client.force_login(caseload_world["lead"])

    rows = numbers(client.get(DASHBOARD))

    assert nonzero(rows[str(caseload_world["assigned"])]) == {
        "open": 2,
        "overdue": 1,
        "no_contact": 1,
        "review_overdue": 1,
        "engagement_2": 1,
        "engagement_none": 1,
    }
    assert nonzero(rows[str(caseload_world["same_team"])]) == {
        "open": 1,
        "overdue": 1,
        "review_overdue": 1,
        "engagement_2": 1,
    }
    assert nonzero(rows[str(caseload_world["other_team"])]) == {}
    # Reached 40 days ago; the later attempt did not reach the survivor, so it is no contact.
    assert nonzero(rows["Nobody assigned"]) == {"open": 1, "no_contact": 1, "engagement_3": 1}
    assert nonzero(rows["All open cases"]) == {
        "open": 3,
        "overdue": 1,
        "no_contact": 2,
        "review_overdue": 1,
        "engagement_2": 1,
        "engagement_3": 1,
        "engagement_none": 1,
    }


def test_a_case_opened_less_than_30_days_ago_is_not_out_of_contact(client, world):
    open_case(world, world["surrey"], opened=30)
    open_case(world, world["surrey"], opened=31)
    client.force_login(world["lead"])

    rows = numbers(client.get(DASHBOARD))

    assert rows["Nobody assigned"]["open"] == 2
    assert rows["Nobody assigned"]["no_contact"] == 1


def drilled_down(user, url):
    """The cases the caseload page lists for a dashboard link: its query through the page's form and caseload()."""
    form = CaseloadFilterForm(QueryDict(urlsplit(url).query))
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    return set(
        caseload(
            user,
            scope=data["scope"],
            query=data["q"],
            stage=data["stage"],
            overdue_only=data["overdue"],
            **form.drill_down(),
        )
    )


def test_every_number_links_to_exactly_its_cases(client, caseload_world):
    lead = caseload_world["lead"]
    client.force_login(lead)
    response = client.get(DASHBOARD)
    section = response.context["sections"][0]
    cells = {
        (row["label"], cell["measure"]): cell for row in [*section["rows"], section["total"]] for cell in row["cells"]
    }

    for cell in cells.values():
        assert cell["url"].startswith(reverse("casework:case_list") + "?")
        assert f'href="{cell["url"].replace("&", "&amp;")}"' in response.content.decode()
        assert len(drilled_down(lead, cell["url"])) == cell["count"], cell

    world = caseload_world
    assert drilled_down(lead, cells[(str(world["assigned"]), "open")]["url"]) == {world["case"], world["busy"]}
    assert drilled_down(lead, cells[(str(world["assigned"]), "no_contact")]["url"]) == {world["case"]}
    assert drilled_down(lead, cells[(str(world["same_team"]), "overdue")]["url"]) == {world["busy"]}
    assert drilled_down(lead, cells[("Nobody assigned", "open")]["url"]) == {world["nobody"]}
    assert drilled_down(lead, cells[("All open cases", "engagement_3")]["url"]) == {world["nobody"]}
    assert drilled_down(lead, cells[("All open cases", "review_overdue")]["url"]) == {world["busy"]}


def test_the_caseload_page_lists_a_numbers_cases(client, caseload_world):
    client.force_login(caseload_world["lead"])
    section = client.get(DASHBOARD).context["sections"][0]
    unassigned = next(row for row in section["rows"] if row["label"] == "Nobody assigned")
    url = next(cell["url"] for cell in unassigned["cells"] if cell["measure"] == "open")

    page = client.get(url).content.decode()

    assert caseload_world["nobody"].survivor.case_reference in page
    assert caseload_world["case"].survivor.case_reference not in page


def test_the_caseload_form_keeps_the_drill_down_as_hidden_inputs(caseload_world):
    form = CaseloadFilterForm(QueryDict("scope=all&open=1&country=GB&navigator=7&engagement=none"))

    html = "".join(str(field) for field in form)

    assert 'type="hidden" name="navigator" value="7"' in html
    assert "<label" not in "".join(field.label_tag() for field in form if field.is_hidden)


@pytest.mark.parametrize("who", ["assigned", "same_team", "other_team", "other_country", "me", "admin"])
def test_only_country_leads_have_a_dashboard(client, world, who):
    client.force_login(world[who])

    assert client.get(DASHBOARD).status_code == 403


def test_a_lead_sees_only_their_own_country(client, caseload_world):
    client.force_login(caseload_world["other_lead"])

    response = client.get(DASHBOARD)

    assert [s["country"].code for s in response.context["sections"]] == ["RO"]
    assert numbers(response, "RO")["All open cases"]["open"] == 1
    assert caseload_world["case"].survivor.case_reference not in response.content.decode()


def test_a_lead_of_two_countries_sees_each_in_its_own_section(client, caseload_world):
    both = make_user("lead.both", lead_of=Country.objects.get(code="GB"))
    navigators.role_grant(
        acting_user=None, user=both, role=RoleGrant.Role.COUNTRY_LEAD, country=Country.objects.get(code="RO")
    )
    client.force_login(both)

    response = client.get(DASHBOARD)

    assert [s["country"].code for s in response.context["sections"]] == ["RO", "GB"]  # by name: Romania, United Kingdom
    assert numbers(response, "GB")["All open cases"]["open"] == 3
    assert numbers(response, "RO")["All open cases"]["open"] == 1
    assert str(User.objects.get(username="other.country")) in numbers(response, "RO")


def test_pending_requests_show_on_the_dashboard(client, world):
    factories.CaseRequestFactory(case=world["case"], requested_by=world["assigned"])
    client.force_login(world["lead"])

    page = client.get(DASHBOARD).content.decode()

    assert world["case"].survivor.case_reference in page
    assert reverse("casework:request_list") in page


def test_the_navigation_offers_the_dashboard_to_leads_only(client, world):
    client.force_login(world["lead"])
    assert DASHBOARD in client.get(reverse("casework:case_list")).content.decode()

    client.force_login(world["assigned"])
    assert DASHBOARD not in client.get(reverse("casework:case_list")).content.decode()


def test_the_dashboard_costs_the_same_queries_for_one_case_and_for_many(client, world, django_assert_num_queries):
    client.force_login(world["lead"])
    # The session, the user, their roles (the navigation), the countries they lead, the teams' members,
    # the numbers per Navigator and per country (one query), the pending requests.
    with django_assert_num_queries(7):
        assert client.get(DASHBOARD).status_code == 200

    lead = world["lead"]
    more = [make_user(f"navigator.{n}", team=world["surrey"]) for n in range(5)]
    for n in range(30):
        case = open_case(
            world,
            world["met"] if n % 2 else world["surrey"],
            navigators=[world["assigned"]] if n % 2 else [more[n % 5]],
        )
        casework.follow_up_log(
            acting_user=lead, case=case, occurred_on=days_ago(n), mode="phone", next_due_on=days_ago(n - 7)
        )
        casework.police_engagement_record(acting_user=lead, case=case, occurred_on=days_ago(10), level=n % 5)
        factories.CaseRequestFactory(case=case, requested_by=world["assigned"])
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)
    assert numbers(response)["All open cases"]["open"] == 31
