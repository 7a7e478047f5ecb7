"""Adding records to a case from its page: each kind's form, errors that keep what was typed, the timeline."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccusedPerson, CourtHearing, FollowUp, Prosecution, Repatriation
from casework.records import RECORD_KINDS
from tests import factories

TODAY = timezone.localdate()


def record_url(case, kind):
    return reverse("casework:record_new", args=[case.pk, kind])


@pytest.fixture
def assigned(client, world):
    client.force_login(world["assigned"])
    return client


@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_every_kind_of_record_has_a_form_with_labelled_fields(assigned, world, kind):
    page = assigned.get(record_url(world["case"], kind))

    assert page.status_code == 200
    form = page.context["form"]
    html = page.content.decode()
    for field in form.visible_fields():
        assert f'for="{field.id_for_label}"' in html or field.field.widget.input_type in ("checkbox", "radio"), (
            field.name
        )


def test_logging_a_follow_up_saves_it_and_shows_it_first_on_the_timeline(assigned, world):
    case = world["case"]
    form = {
        "occurred_on": TODAY.isoformat(),
        "mode": "phone",
        "outcome": "reached",
        "purposes": ["safety_check", "police_liaison"],
        "duration_minutes": "15",
        "notes": "Spoke before the ABE interview",
        "next_due_on": (TODAY + timedelta(days=7)).isoformat(),
    }

    response = assigned.post(record_url(case, "follow-up"), form, follow=True)

    follow_up = FollowUp.objects.get(case=case)
    assert (follow_up.mode, follow_up.purposes, follow_up.recorded_by) == (
        "phone",
        ["safety_check", "police_liaison"],
        world["assigned"],
    )
    assert follow_up.history.get().history_user == world["assigned"]
    timeline = response.context["timeline"]
    assert timeline[0].title.startswith("Follow-up (Phone)")
    assert "Spoke before the ABE interview" in response.content.decode()


def test_a_bad_follow_up_says_what_is_wrong_keeps_what_was_typed_and_saves_nothing(assigned, world):
    form = {
        "occurred_on": (TODAY + timedelta(days=3)).isoformat(),
        "mode": "video",
        "outcome": "reached",
        "notes": "Typed on a phone",
        "next_due_on": TODAY.isoformat(),
    }

    page = assigned.post(record_url(world["case"], "follow-up"), form)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter a date between 1 Jan 2010 and today." in html
    assert "Typed on a phone" in html
    assert re.search(r'<input type="radio" name="mode" value="video"[^>]*checked', html)
    assert FollowUp.objects.count() == 0


def test_a_level_outside_the_scale_is_refused_on_its_field(assigned, world):
    page = assigned.post(record_url(world["case"], "engagement"), {"occurred_on": TODAY.isoformat(), "level": "9"})

    assert page.status_code == 200
    assert page.context["form"].errors["level"]


def test_nrm_is_offered_only_on_uk_cases(client, world):
    from tests.conftest import make_user

    bucharest = world["case"].team.country.teams.model.objects.get(name="Bucharest brigade")
    navigator = make_user("ro.nav", team=bucharest)
    case = services.case_open(
        acting_user=None,
        survivor=factories.SurvivorFactory(),
        team=bucharest,
        opened_on=TODAY - timedelta(days=5),
        navigators=[navigator],
    )
    client.force_login(navigator)

    assert client.get(record_url(case, "nrm")).status_code == 404
    assert client.get(record_url(case, "follow-up")).status_code == 200


def test_an_arrest_names_the_accused_by_reference_and_registers_a_new_one_once(assigned, world):
    form = {"accused_reference": "acc-77", "occurred_on": TODAY.isoformat(), "support_type": "intelligence"}

    assigned.post(record_url(world["case"], "arrest"), form)
    assigned.post(
        record_url(world["case"], "prosecution"),
        {
            "accused_reference": "ACC-77",
            "offence": "Modern Slavery Act 2015 s.2",
            "support_kinds": ["supported_victim"],
        },
    )

    accused = AccusedPerson.objects.get()
    assert (accused.reference, accused.recorded_by_team) == ("ACC-77", world["met"])
    assert Prosecution.objects.get().accused == accused


def test_a_prosecution_outcome_is_recorded_and_a_court_date_ahead_is_upcoming(assigned, world):
    case = world["case"]
    prosecution = factories.ProsecutionFactory(case=case, charged_on=TODAY - timedelta(days=20))
    assigned.post(
        record_url(case, "hearing"),
        {"prosecution": prosecution.pk, "scheduled_for": (TODAY + timedelta(days=9)).isoformat(), "kind": "trial"},
    )

    response = assigned.post(
        reverse("casework:prosecution_edit", args=[case.pk, prosecution.pk]),
        {
            "version": prosecution.version,
            "charged_on": prosecution.charged_on.isoformat(),
            "trial_started_on": (TODAY - timedelta(days=2)).isoformat(),
            "outcome": "convicted",
            "outcome_on": TODAY.isoformat(),
            "sentence": "6 years",
        },
    )

    assert response.status_code == 302
    prosecution.refresh_from_db()
    assert (prosecution.outcome, prosecution.sentence, prosecution.version) == ("convicted", "6 years", 2)
    assert CourtHearing.objects.get().scheduled_for == TODAY + timedelta(days=9)
    page = assigned.get(reverse("casework:case_detail", args=[case.pk]))
    upcoming = [e for e in page.context["timeline"] if e.upcoming]
    assert [e.kind for e in upcoming] == ["court"]


def test_a_conviction_without_a_trial_start_is_refused_on_the_form(assigned, world):
    prosecution = factories.ProsecutionFactory(case=world["case"])

    page = assigned.post(
        reverse("casework:prosecution_edit", args=[world["case"].pk, prosecution.pk]),
        {"version": prosecution.version, "outcome": "convicted", "outcome_on": TODAY.isoformat()},
    )

    assert page.status_code == 200
    assert "A conviction needs the date the trial started." in page.content.decode()
    prosecution.refresh_from_db()
    assert prosecution.outcome == "ongoing"


def test_a_repatriation_is_planned_and_moved_step_by_step(assigned, world):
    case = world["case"]
    ro = world["case"].team.country.__class__.objects.get(code="RO")
    assigned.post(
        record_url(case, "repatriation"),
        {
            "requested_on": (TODAY - timedelta(days=10)).isoformat(),
            "sending_country": "GB",
            "sending_team": world["met"].pk,
            "receiving_country": ro.pk,
        },
    )
    repatriation = Repatriation.objects.get(case=case)
    url = reverse("casework:repatriation_advance", args=[case.pk, repatriation.pk])

    for stage, days_ago in [("risk_assessment", 8), ("in_transit", 2), ("arrived", 1)]:
        response = assigned.post(url, {"stage": stage, "occurred_on": (TODAY - timedelta(days=days_ago)).isoformat()})
        assert response.status_code == 302, response.content.decode()
    backwards = assigned.post(url, {"stage": "planned", "occurred_on": TODAY.isoformat()})

    repatriation.refresh_from_db()
    assert (repatriation.stage, repatriation.departed_on, repatriation.arrived_on) == (
        "arrived",
        TODAY - timedelta(days=2),
        TODAY - timedelta(days=1),
    )
    assert backwards.status_code == 200
    assert "planned" not in [v for v, _ in backwards.context["form"].fields["stage"].choices]


def test_a_repatriation_of_another_case_is_404(assigned, world):
    other = factories.RepatriationFactory()

    assert assigned.get(reverse("casework:repatriation_advance", args=[world["case"].pk, other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"), [("same_team", 200), ("lead", 200), ("other_team", 404), ("me", 404), ("admin", 404)]
)
def test_who_may_add_records(client, world, who, expected):
    client.force_login(world[who])

    assert client.get(record_url(world["case"], "support")).status_code == expected


def test_a_closed_case_handed_over_is_read_only_to_its_old_team(client, world):
    from guardian.shortcuts import remove_perm

    remove_perm("casework.change_case", world["met"].group, world["case"])
    client.force_login(world["same_team"])

    assert client.get(reverse("casework:case_detail", args=[world["case"].pk])).status_code == 200
    assert client.post(record_url(world["case"], "support"), {}).status_code == 403


def test_the_case_page_costs_the_same_queries_for_five_events_and_for_five_hundred(
    assigned, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = world["case"]
    factories.FollowUpFactory.create_batch(5, case=case)
    factories.ProsecutionFactory(case=case)
    with CaptureQueriesContext(connection) as few:
        assigned.get(reverse("casework:case_detail", args=[case.pk]))
    factories.FollowUpFactory.create_batch(300, case=case)
    factories.SupportServiceFactory.create_batch(100, case=case)
    factories.PoliceEngagementEventFactory.create_batch(50, case=case)
    factories.ProsecutionFactory.create_batch(2, case=case)
    factories.WellbeingAssessmentFactory.create_batch(40, case=case)
    with CaptureQueriesContext(connection) as many:
        page = assigned.get(reverse("casework:case_detail", args=[case.pk]))

    assert len(page.context["timeline"]) == 5 + 300 + 100 + 50 + 3 + 40 + 1  # and the opening stage
    assert len(many) == len(few)


def test_assessment_progress_shows_the_change_in_each_domain_since_the_first(assigned, world):
    case = world["case"]
    factories.WellbeingAssessmentFactory(
        case=case, occurred_on=TODAY - timedelta(days=40), safety=1, mental_wellbeing=1
    )
    factories.WellbeingAssessmentFactory(case=case, occurred_on=TODAY - timedelta(days=20), safety=2)
    factories.WellbeingAssessmentFactory(case=case, occurred_on=TODAY - timedelta(days=1), safety=4, mental_wellbeing=2)

    progress = {
        row["domain"]: row
        for row in assigned.get(reverse("casework:case_detail", args=[case.pk])).context["assessment_progress"]
    }

    assert (progress["Safety"]["first"], progress["Safety"]["latest"], progress["Safety"]["change"]) == (1, 4, 3)
    assert progress["Mental wellbeing"]["change"] == 1


def test_opening_a_second_case_for_a_known_survivor(client, world):
    survivor = world["case"].survivor
    client.force_login(world["lead"])

    response = client.post(
        reverse("casework:case_open", args=[survivor.pk]), {"team": world["surrey"].pk, "opened_on": TODAY.isoformat()}
    )

    assert response.status_code == 302
    assert set(survivor.cases.values_list("team__name", flat=True)) == {"Metropolitan Police", "Surrey Police"}


def test_a_second_open_case_for_the_same_team_is_refused_with_a_reason(assigned, world):
    survivor = world["case"].survivor

    page = assigned.post(
        reverse("casework:case_open", args=[survivor.pk]), {"team": world["met"].pk, "opened_on": TODAY.isoformat()}
    )

    assert page.status_code == 200
    assert page.context["form"].errors
    assert survivor.cases.count() == 1


def test_the_service_refuses_a_case_for_a_team_the_navigator_is_not_in(world):
    survivor = world["case"].survivor

    with pytest.raises(PermissionDenied):
        services.case_open_for_team(
            acting_user=world["assigned"], survivor=survivor, team=world["surrey"], opened_on=TODAY, assign_me=True
        )
    assert survivor.cases.count() == 1


def test_a_lead_outside_the_team_is_not_assigned_even_when_asking(world):
    case = services.case_open_for_team(
        acting_user=world["lead"],
        survivor=world["case"].survivor,
        team=world["surrey"],
        opened_on=TODAY,
        assign_me=True,
    )

    assert not case.assignments.exists()


def test_a_member_of_the_team_is_assigned_when_asking(world):
    case = services.case_open_for_team(
        acting_user=world["other_team"],
        survivor=world["case"].survivor,
        team=world["surrey"],
        opened_on=TODAY,
        assign_me=True,
    )

    assert list(case.assignments.values_list("navigator", flat=True)) == [world["other_team"].pk]


def test_an_arrest_names_the_accused_by_reference_in_its_own_transaction(world):
    arrest = services.arrest_record(
        acting_user=world["assigned"],
        case=world["case"],
        occurred_on=TODAY,
        support_type="intelligence",
        accused_reference=" ab-123 ",
    )

    assert arrest.accused == AccusedPerson.objects.get(reference="AB-123")
    assert arrest.accused.recorded_by_team == world["case"].team
