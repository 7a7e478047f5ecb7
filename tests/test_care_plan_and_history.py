"""The care plan form, two people editing it at once, and the case's readable change history."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import CarePlan

TODAY = timezone.localdate()


def plan_form(**changes):
    form = {
        "started_on": (TODAY - timedelta(days=30)).isoformat(),
        "next_review_on": (TODAY + timedelta(days=60)).isoformat(),
        "summary": "Stabilise housing first",
    }
    return {**form, **changes}


@pytest.fixture
def plan_url(world):
    return reverse("casework:care_plan_edit", args=[world["case"].pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_writing_a_care_plan_with_a_goal(world, plan_url):
    response = signed_in(world["assigned"]).post(
        plan_url, plan_form(new_goal_domain="safety", new_goal="Move to safe housing")
    )

    assert response.status_code == 302
    plan = CarePlan.objects.get(case=world["case"])
    assert [(g.domain, g.goal, g.status) for g in plan.goals.all()] == [
        ("safety", "Move to safe housing", "not_started")
    ]


def test_a_goal_without_its_domain_is_refused_and_nothing_is_saved(world, plan_url):
    page = signed_in(world["assigned"]).post(plan_url, plan_form(new_goal="Learn English"))

    assert page.status_code == 200
    assert "A new goal needs both its domain and what the goal is." in page.content.decode()
    assert not CarePlan.objects.exists()


def test_the_second_of_two_concurrent_edits_is_told_what_changed_and_loses_nothing(world, plan_url):
    signed_in(world["assigned"]).post(plan_url, plan_form())
    navigator, lead = signed_in(world["assigned"]), signed_in(world["lead"])
    # Both open the form at version 1.
    version = navigator.get(plan_url).context["form"].initial["version"]
    assert lead.get(plan_url).context["form"].initial["version"] == version

    first = lead.post(plan_url, plan_form(version=version, summary="Lead: review with the police liaison"))
    second = navigator.post(plan_url, plan_form(version=version, summary="Navigator: housing found"))

    assert first.status_code == 302
    assert second.status_code == 200
    html = second.content.decode()
    assert "changed while you were editing it" in html
    assert "Lead: review with the police liaison" in html  # what the other person saved
    assert "Navigator: housing found" in html  # what this person typed, kept in the form
    assert CarePlan.objects.get().summary == "Lead: review with the police liaison"
    # Saving again, now from the current version, is a deliberate overwrite.
    again = navigator.post(
        plan_url, plan_form(version=second.context["form"]["version"].value(), summary="Navigator: housing found")
    )
    assert again.status_code == 302
    assert CarePlan.objects.get().summary == "Navigator: housing found"


def test_goal_status_changes_are_saved(world, plan_url):
    client = signed_in(world["assigned"])
    client.post(plan_url, plan_form(new_goal_domain="safety", new_goal="Move to safe housing"))
    plan = CarePlan.objects.get()
    goal = plan.goals.get()

    client.post(plan_url, plan_form(version=plan.version, **{f"goal_{goal.pk}": "achieved"}))

    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_change_history_says_who_changed_what_from_what_to_what(world, plan_url):
    client = signed_in(world["assigned"])
    client.post(plan_url, plan_form(summary="First plan"))
    client.post(plan_url, plan_form(version=1, summary="Second plan"))

    page = client.get(reverse("casework:case_history", args=[world["case"].pk]))

    changed = [v for v in page.context["versions"] if v.record == "care plan" and not v.is_creation]
    assert [(c.label, c.before, c.after) for c in changed[0].changes] == [("summary", "First plan", "Second plan")]
    assert changed[0].who == world["assigned"]
    html = page.content.decode()
    assert "<del>First plan</del>" in html
    assert "<ins>Second plan</ins>" in html


def test_change_history_costs_the_same_queries_however_long_it_is(world, plan_url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    client = signed_in(world["assigned"])
    factories.FollowUpFactory(case=world["case"])
    url = reverse("casework:case_history", args=[world["case"].pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    factories.FollowUpFactory.create_batch(60, case=world["case"])
    with CaptureQueriesContext(connection) as long:
        client.get(url)

    assert len(long) == len(short)
