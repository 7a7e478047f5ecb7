"""Case pages: 404 for those who may not see the case, and one access record per look, none when refused."""

import pytest
from django.urls import reverse

from survivors.models import AccessRecord

CASE_PAGE = {
    "assigned": 200,
    "same_team": 200,
    "other_team": 404,
    "other_country": 404,
    "lead": 200,
    "other_lead": 404,
    "me": 404,
    "admin": 404,
}
IDENTITY_PAGE = {**CASE_PAGE, "same_team": 403}


@pytest.mark.parametrize("who", CASE_PAGE)
def test_case_page_answers_by_role_and_records_each_look(client, world, who):
    client.force_login(world[who])

    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]), REMOTE_ADDR="127.0.0.9")

    assert response.status_code == CASE_PAGE[who]
    records = list(AccessRecord.objects.all())
    if response.status_code == 200:
        assert [(r.user, r.action, r.case, r.ip_address) for r in records] == [
            (world[who], "viewed", world["case"], "127.0.0.9")
        ]
        assert response["Cache-Control"].startswith("max-age=0")
        assert "no-store" in response["Cache-Control"]
    else:
        assert records == []


@pytest.mark.parametrize("who", IDENTITY_PAGE)
def test_identity_page_only_for_assigned_navigator_and_lead(client, world, who):
    from tests import factories

    factories.SurvivorIdentityFactory(survivor=world["case"].survivor, legal_name="Ana Example")
    client.force_login(world[who])

    response = client.get(reverse("casework:case_identity", args=[world["case"].pk]))

    assert response.status_code == IDENTITY_PAGE[who]
    assert ("Ana Example" in response.content.decode()) is (response.status_code == 200)
    expected = [("viewed_identity",)] if response.status_code == 200 else []
    assert list(AccessRecord.objects.values_list("action")) == expected


def test_case_list_shows_only_visible_cases_by_reference(client, world):
    client.force_login(world["other_team"])

    page = client.get(reverse("casework:case_list")).content.decode()

    assert world["case"].survivor.case_reference not in page
    assert "No cases." in page


def test_pages_need_sign_in(client, world):
    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 302
    assert AccessRecord.objects.count() == 0


def test_reading_pages_take_no_post_and_record_nothing(client, world):
    client.force_login(world["assigned"])

    response = client.post(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 405
    assert AccessRecord.objects.count() == 0


def test_a_refused_case_gets_a_page_that_explains_and_leads_back(client, world):
    client.force_login(world["other_team"])

    response = client.get(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 404
    assert "not yours to see" in response.content.decode()
    assert reverse("casework:case_list") in response.content.decode()


# The case page at scale: one query for the timeline and one for the sections, whatever the case's size.


@pytest.fixture
def assigned(client, world):
    """The case's assigned Navigator, signed in."""
    client.force_login(world["assigned"])
    return client


def case_page(client, world):
    return client.get(reverse("casework:case_detail", args=[world["case"].pk]))


def events_of_every_kind(case, count):
    """`count` records spread over the kinds of the timeline, each on its own day after the opening."""
    from datetime import timedelta

    from tests import factories

    kinds = [
        factories.FollowUpFactory,
        factories.SupportServiceFactory,
        factories.WellbeingAssessmentFactory,
        factories.PoliceEngagementEventFactory,
        factories.NrmEventFactory,
        factories.RemovalFromExploitationFactory,
        factories.ArrestFactory,
        factories.RetraffickingEventFactory,
    ]
    for n in range(count):
        kinds[n % len(kinds)](case=case, occurred_on=case.opened_on + timedelta(days=n % 45))


def test_the_case_page_costs_the_same_queries_for_one_event_and_for_fifty(assigned, world, django_assert_num_queries):
    from tests import factories

    factories.FollowUpFactory(case=world["case"])
    # session, user, the case with whether they may change it and see the identity (access_case); the
    # access record: a savepoint (BEGIN outside a test), its row, the audit chain's lock, its last link,
    # the new link, release (COMMIT); the timeline; the sections; their country-lead roles (the menu);
    # the case's requests.
    with django_assert_num_queries(13) as one:
        case_page(assigned, world)
    events_of_every_kind(world["case"], 49)
    with django_assert_num_queries(len(one)):
        page = case_page(assigned, world)

    assert len(page.context["timeline"]) == 50 + 1  # and the opening stage


def test_the_timeline_lists_every_record_newest_first_each_with_its_anchor_and_day(assigned, world):
    from datetime import timedelta

    from tests import factories

    case = world["case"]
    follow_up = factories.FollowUpFactory(case=case, occurred_on=case.opened_on + timedelta(days=3))
    support = factories.SupportServiceFactory(case=case, occurred_on=case.opened_on + timedelta(days=9))
    prosecution = factories.ProsecutionFactory(
        case=case, charged_on=case.opened_on + timedelta(days=9), trial_started_on=None
    )
    hearing = factories.CourtHearingFactory(prosecution=prosecution)  # 30 days ahead

    html = case_page(assigned, world).content.decode()

    anchors = [
        f'id="entry-{key}"'
        for key in (
            f"court-{hearing.pk}",
            f"support-{support.pk}",
            f"charged-{prosecution.pk}",
            f"follow-up-{follow_up.pk}",
        )
    ]
    assert [html.index(a) for a in anchors] == sorted(html.index(a) for a in anchors)
    assert f'<time datetime="{follow_up.occurred_on.isoformat()}">{follow_up.occurred_on:%-d %b %Y}</time>' in html


def test_the_timeline_says_who_recorded_each_entry_and_marks_a_court_date_ahead_upcoming(assigned, world):
    from tests import factories

    world["assigned"].first_name, world["assigned"].last_name = "Ana", "Pop"
    world["assigned"].save()
    factories.FollowUpFactory(case=world["case"], recorded_by=world["assigned"])
    hearing = factories.CourtHearingFactory(prosecution=factories.ProsecutionFactory(case=world["case"]))

    page = case_page(assigned, world)

    entries = {e.kind: e for e in page.context["timeline"]}
    assert entries["follow-up"].recorded_by == "Ana Pop"
    assert (entries["court"].upcoming, entries["follow-up"].upcoming) == (True, False)
    assert f'id="entry-court-{hearing.pk}" class="court upcoming"' in page.content.decode()


def test_a_note_on_the_timeline_is_escaped_and_keeps_its_line_breaks(assigned, world):
    from tests import factories

    factories.FollowUpFactory(case=world["case"], notes="<b>Met</b> at the station\nwith her sister")

    html = case_page(assigned, world).content.decode()

    assert "<div>&lt;b&gt;Met&lt;/b&gt; at the station<br>with her sister</div>" in html


def test_the_sections_show_the_care_plan_legal_steps_and_repatriation(assigned, world):
    from navigators.models import Country
    from tests import factories

    case = world["case"]
    plan = factories.CarePlanFactory(case=case)
    factories.CarePlanGoalFactory(care_plan=plan, goal="Safe, stable accommodation")
    prosecution = factories.ProsecutionFactory(
        case=case, charged_on=None, offence="Forced labour"
    )  # no date yet: no timeline line
    factories.CourtHearingFactory(prosecution=prosecution)
    repatriation = factories.RepatriationFactory(case=case, receiving_country=Country.objects.get(code="RO"))
    factories.RepatriationStepFactory(repatriation=repatriation, notes="Flight booked")

    page = case_page(assigned, world)

    html = page.content.decode()
    assert "Safe, stable accommodation" in html  # decrypted
    assert f"{prosecution.accused.reference}: Forced labour" in html
    assert "Pre-trial hearing" in html
    assert "United Kingdom → Romania" in html
    assert "Flight booked" in html
    assert page.context["assignments"] == [str(world["assigned"])]


@pytest.mark.parametrize("who", ["assigned", "same_team"])
def test_the_identity_link_is_offered_only_to_those_who_may_see_the_identity(client, world, who):
    client.force_login(world[who])

    html = client.get(reverse("casework:case_detail", args=[world["case"].pk])).content.decode()

    assert (reverse("casework:case_identity", args=[world["case"].pk]) in html) is (who == "assigned")


def test_a_follow_up_of_no_recorded_length_gives_no_minutes_line(assigned, world):
    from tests import factories

    factories.FollowUpFactory(case=world["case"], duration_minutes=0)

    [follow_up] = [e for e in case_page(assigned, world).context["timeline"] if e.kind == "follow-up"]

    assert not any("minutes" in line for line in follow_up.details)
