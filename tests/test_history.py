"""Every change to case data leaves a history row naming who made it, in a request or outside one."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Case, FollowUp
from survivors.models import Survivor
from tests import factories


@pytest.fixture
def case(navigator, met_police):
    return factories.CaseFactory(team=met_police, opened_on=timezone.localdate() - timedelta(days=30))


def test_service_outside_a_request_records_the_acting_user(case, navigator):
    follow_up = services.follow_up_log(acting_user=navigator, case=case, occurred_on=timezone.localdate(), mode="phone")

    [row] = follow_up.history.all()
    assert row.history_type == "+"
    assert row.history_user == navigator


def test_stage_change_records_before_and_after_on_the_case(case, navigator):
    services.case_stage_change(acting_user=navigator, case=case, stage="recovery", occurred_on=timezone.localdate())

    latest, previous = case.history.order_by("-history_id")[:2]
    assert (previous.stage, latest.stage) == ("crisis", "recovery")
    assert latest.history_user == navigator


def test_change_made_in_a_request_records_the_signed_in_user(client, administrator, met_police):
    client.force_login(administrator)
    url = reverse("admin:navigators_team_change", args=[met_police.pk])
    form = {
        "name": "Metropolitan Police Service",
        "country": met_police.country_id,
        "kind": "police",
        "is_active": "on",
    }

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = met_police.history.order_by("-history_id").first()
    assert latest.history_type == "~"
    assert latest.name == "Metropolitan Police Service"
    assert latest.history_user == administrator


def test_command_records_the_navigator_on_history_rows(db):
    call_command("seed_demo", survivors=12, seed=5, stdout=io.StringIO())

    follow_up = FollowUp.objects.select_related("case__team").first()
    row = follow_up.history.get()
    assert row.history_user is not None
    assert row.history_user.memberships.filter(team=follow_up.case.team).exists()
    assert Survivor.history.filter(history_user__isnull=True).count() == 0
    assert Case.history.count() == Case.objects.count()
