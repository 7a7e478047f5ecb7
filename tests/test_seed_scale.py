"""`seed_scale`: counts in proportion, valid rows, the same data for the same seed, and access granted
as the casework services grant it (docs/access.md)."""

import hashlib
import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from casework import choices as cw
from casework import models as m
from casework.access import cases_visible_to
from casework.selectors import caseload
from navigators.models import RoleGrant, Team, TeamMembership, User
from survivors.models import Survivor

SURVIVORS = 300
TODAY = date(2026, 11, 23)
OTHER_EVENTS = [
    m.SupportService,
    m.PoliceEngagementEvent,
    m.WellbeingAssessment,
    m.StageChange,
    m.RemovalFromExploitation,
    m.Arrest,
    m.RetraffickingEvent,
    m.Prosecution,
    m.Repatriation,
    m.NrmEvent,
]


def seed_scale(seed: int) -> str:
    out = io.StringIO()
    call_command("seed_scale", survivors=SURVIVORS, seed=seed, today=TODAY, stdout=out)
    return out.getvalue()


def flush():
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # flush recreates content types and permissions under new ids


def fingerprint() -> str:
    """A digest of what was generated, by natural keys (references, team names, usernames), not insert order."""
    parts = [
        sorted(Survivor.objects.values_list("case_reference", "gender", "birth_year", "citizenships", "registered_on")),
        sorted(
            m.Case.objects.values_list(
                "survivor__case_reference",
                "team__name",
                "opened_on",
                "stage",
                "closed_on",
                "closure_reason",
                "transferred_from__team__name",
            )
        ),
        sorted(
            m.FollowUp.objects.values_list(
                "case__survivor__case_reference", "occurred_on", "outcome", "next_due_on", "recorded_by__username"
            )
        ),
        sorted(
            m.CaseGroupObjectPermission.objects.values_list(
                "content_object__survivor__case_reference",
                "group__name",
                "permission__codename",
                "content_object__opened_on",
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The same seed loaded twice: once rolled back, once kept for the tests of this module."""
    with django_db_blocker.unblock():
        if Survivor.objects.exists():
            flush()
        with transaction.atomic():
            seed_scale(11)
            first = fingerprint()
            transaction.set_rollback(True)
        output = seed_scale(11)
        yield {"output": output, "digests": [first, fingerprint()]}
        flush()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data(seeded):
    first, again = seeded["digests"]
    assert again == first
    assert Survivor.objects.exists()  # (a digest of something)


@pytest.mark.django_db
def test_counts_are_in_proportion_to_the_survivors(seeded):
    # At 100,000 survivors: 150,000 cases, 2,000,000 follow-ups, 500,000 other case events.
    assert Survivor.objects.count() == SURVIVORS
    assert 1.35 < m.Case.objects.count() / SURVIVORS < 1.65
    assert 17 < m.FollowUp.objects.count() / SURVIVORS < 23
    assert 4 < sum(model.objects.count() for model in OTHER_EVENTS) / SURVIVORS < 6.5
    # The organisation scales too, with at least two teams of five Navigators a country.
    assert dict(Team.objects.values_list("country").annotate(n=Count("id"))) == {"GB": 2, "RO": 2, "BD": 2}
    assert TeamMembership.objects.filter(ended_on__isnull=True).count() == 30
    assert RoleGrant.objects.filter(role=RoleGrant.Role.COUNTRY_LEAD).count() == 3
    assert RoleGrant.objects.filter(role=RoleGrant.Role.MONITORING_EVALUATION).count() == 1
    assert f"Seeded {SURVIVORS} survivors (seed 11, dated {TODAY})" in seeded["output"]
    assert "casework_followup" in seeded["output"]


@pytest.mark.django_db
def test_every_kind_of_record_is_there(seeded):
    for model in OTHER_EVENTS + [m.CaseAssignment, m.CarePlan, m.AccusedPerson, m.CourtHearing, m.RepatriationStep]:
        assert model.objects.exists(), model.__name__
    assert set(m.Case.objects.values_list("team__country", flat=True)) == {"GB", "RO", "BD"}


@pytest.mark.django_db
def test_rows_pass_the_models_own_validation(seeded):
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"survivors", "casework", "reporting"} or "Historical" in model.__name__:
            continue
        if model.__name__.endswith("ObjectPermission"):
            continue
        for row in model.objects.order_by("?")[:20]:
            row.full_clean()  # field rules, clean() (dates not in the future nor before the case) and constraints
            checked += 1
    assert checked > 300


@pytest.mark.django_db
def test_a_cases_stage_and_closure_are_its_latest_stage_change(seeded):
    for case in m.Case.objects.prefetch_related("stagechange_set"):
        latest = max(case.stagechange_set.all(), key=lambda change: (change.occurred_on, change.pk))
        assert (case.stage, case.closure_reason) == (latest.stage, latest.closure_reason)
        assert case.closed_on == (latest.occurred_on if latest.stage == cw.Stage.CLOSED else None)


@pytest.mark.django_db
def test_handed_on_cases_close_the_day_the_next_team_opens(seeded):
    handed_on = m.Case.objects.filter(transferred_from__isnull=False).select_related("transferred_from__team", "team")
    assert handed_on.exists()
    for case in handed_on:
        assert case.transferred_from.closed_on == case.opened_on
        assert case.transferred_from.closure_reason == cw.ClosureReason.MOVED_OUT_OF_AREA
    repatriated = m.Repatriation.objects.filter(receiving_case__isnull=False).select_related("receiving_case")
    assert repatriated.exists()
    for repatriation in repatriated:
        assert repatriation.receiving_case.transferred_from_id == repatriation.case_id
        assert repatriation.receiving_case.opened_on == repatriation.arrived_on


@pytest.mark.django_db
def test_a_navigator_sees_their_teams_cases_and_works_from_their_own(seeded):
    navigator = User.objects.get(username="navigator.gb.01.1")
    team = navigator.memberships.get(ended_on__isnull=True).team

    assert set(cases_visible_to(navigator)) == set(m.Case.objects.filter(team=team))
    mine = m.Case.objects.filter(assignments__navigator=navigator, assignments__ended_on__isnull=True)
    assert mine.exists()
    assert set(caseload(navigator, scope="mine", today=TODAY)) == set(mine)
    assert set(cases_visible_to(navigator, "casework.view_identity")) == set(mine)


@pytest.mark.django_db
def test_a_country_lead_sees_every_case_of_their_country_and_m_and_e_none(seeded):
    lead = User.objects.get(username="lead.ro")
    assert cases_visible_to(lead).count() == m.Case.objects.filter(team__country="RO").count()
    assert cases_visible_to(User.objects.get(username="me")).count() == 0


@pytest.mark.django_db
def test_the_side_that_handed_a_case_on_keeps_only_read_access(seeded):
    crossed = (
        m.Case.objects.filter(transferred_to__team__country="RO", team__country="GB").select_related("team").first()
    )
    sender = User.objects.get(
        memberships__team=crossed.team, memberships__ended_on__isnull=True, username__endswith=".1"
    )
    lead = User.objects.get(username="lead.gb")

    assert crossed in cases_visible_to(sender)
    assert crossed in cases_visible_to(lead)
    assert crossed not in cases_visible_to(sender, "casework.change_case")
    assert crossed not in cases_visible_to(lead, "casework.change_case")


@pytest.mark.django_db
def test_one_created_history_row_per_record_naming_who_recorded_it(seeded):
    assert m.FollowUp.history.count() == m.FollowUp.objects.count()
    assert set(m.FollowUp.history.values_list("history_type", flat=True)) == {"+"}
    row = m.FollowUp.history.order_by("?").first()
    assert row.history_user_id == row.recorded_by_id
    assert Survivor.history.count() == SURVIVORS


@pytest.mark.django_db
def test_refuses_a_database_that_already_has_survivors(seeded):
    before = m.Case.objects.count()
    with pytest.raises(CommandError, match="already has survivors"):
        seed_scale(11)
    assert m.Case.objects.count() == before
