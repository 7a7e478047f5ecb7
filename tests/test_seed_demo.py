"""`seed_demo`: a believable charity, deterministic for a seed, and a second run changes nothing."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command

from casework.models import Case, Repatriation
from navigators.models import User
from survivors.models import Survivor

TODAY = date(2026, 11, 23)


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, today=TODAY, **options)
    return out.getvalue()


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"navigators", "survivors", "casework", "reporting"}
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        output = seed(survivors=300, seed=7)
        yield output
        from django.core.management import call_command as run

        run("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_prints_every_demo_login_and_the_password(seeded):
    for username in [
        "navigator.gb",
        "navigator.gb2",
        "navigator.ro",
        "navigator.bd",
        "lead.gb",
        "lead.ro",
        "lead.bd",
        "me",
        "admin",
    ]:
        assert f"  {username} " in seeded
        assert User.objects.get(username=username).check_password("survivor-demo-2026")


@pytest.mark.django_db
def test_builds_about_three_hundred_survivors_in_three_countries(seeded):
    assert Survivor.objects.count() == 300
    countries = set(Case.objects.values_list("team__country", flat=True))
    assert countries == {"GB", "RO", "BD"}


@pytest.mark.django_db
def test_some_survivors_have_a_case_in_two_countries_after_repatriation(seeded):
    gb_to_ro = Repatriation.objects.filter(sending_country="GB", receiving_country="RO", receiving_case__isnull=False)
    assert gb_to_ro.exists()
    for repatriation in gb_to_ro:
        assert repatriation.receiving_case.transferred_from == repatriation.case
        assert repatriation.receiving_case.team.country_id == "RO"
    assert Repatriation.objects.filter(
        sending_country="IN", receiving_country="BD", sending_partner__name="Vihaan"
    ).exists()


@pytest.mark.django_db
def test_second_run_changes_nothing(seeded):
    before = row_counts()
    history_before = {
        label: apps.get_model(label).history.count() for label in ["survivors.Survivor", "casework.FollowUp"]
    }

    output = seed(survivors=300, seed=7)

    assert "already present" in output
    assert row_counts() == before
    assert {label: apps.get_model(label).history.count() for label in history_before} == history_before


@pytest.mark.django_db
def test_seeded_rows_pass_the_models_own_validation(seeded):
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"survivors", "casework", "reporting"} or "Historical" in model.__name__:
            continue
        if model.__name__.endswith("ObjectPermission"):
            continue
        for row in model.objects.order_by("?")[:25]:
            row.full_clean(validate_constraints=False)
            checked += 1
    assert checked > 300


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "countries"),
    [
        ("navigator.gb", {"GB"}),
        ("navigator.ro", {"RO"}),
        ("navigator.bd", {"BD"}),
        ("lead.gb", {"GB"}),
        ("lead.ro", {"RO"}),
        ("lead.bd", {"BD"}),
        ("me", set()),
        ("admin", set()),
        ("dpl", set()),
    ],
)
def test_demo_users_see_only_their_own_countrys_cases(seeded, username, countries):
    from casework.access import cases_visible_to

    visible = cases_visible_to(User.objects.get(username=username))
    assert set(visible.values_list("team__country", flat=True)) == countries


@pytest.mark.django_db
def test_demo_navigator_sees_their_team_and_lead_sees_the_whole_country(seeded):
    from casework.access import cases_visible_to

    navigator = User.objects.get(username="navigator.gb")
    assert cases_visible_to(navigator).count() == Case.objects.filter(team__name="Metropolitan Police").count()
    assert (
        cases_visible_to(User.objects.get(username="lead.gb")).count()
        == Case.objects.filter(team__country="GB").count()
    )


@pytest.mark.django_db
def test_demo_sending_team_keeps_only_read_access_to_a_handed_over_case(seeded):
    from casework.access import cases_visible_to

    repatriation = (
        Repatriation.objects.filter(sending_country="GB", receiving_case__isnull=False)
        .select_related("case__team")
        .first()
    )
    navigator = User.objects.get(username="navigator.gb")
    sender = User.objects.filter(memberships__team=repatriation.case.team, memberships__ended_on__isnull=True).first()

    assert repatriation.case in cases_visible_to(sender)
    assert not sender.has_perm("casework.change_case", repatriation.case)
    assert repatriation.receiving_case not in cases_visible_to(sender)
    assert repatriation.receiving_case not in cases_visible_to(navigator)


def test_demo_survivors_are_found_by_name_through_the_blind_index(db):
    from django.core.management import call_command

    from survivors.models import SurvivorIdentity
    from survivors.selectors import survivors_matching_name

    call_command("seed_demo", survivors=12, seed=3, stdout=io.StringIO())
    identity = SurvivorIdentity.objects.select_related("survivor").first()

    assert identity.survivor in survivors_matching_name(identity.legal_name)


@pytest.mark.django_db
def test_the_demo_roles_were_asked_for_and_approved_but_the_first_lead_and_administrators(seeded):
    from navigators.models import RoleGrantRequest

    requests = RoleGrantRequest.objects.select_related("user", "requested_by", "decided_by")

    assert sorted(r.user.username for r in requests if r.is_bootstrap) == ["admin", "dpl"]
    assert {(r.status, r.requested_by.username, r.decided_by.username) for r in requests if not r.is_bootstrap} == {
        ("approved", "admin", "dpl")
    }
    assert all(r.grant is not None for r in requests)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("navigator.gb", "casework:case_list"),
        ("lead.gb", "casework:lead_dashboard"),
        ("me", "reporting:headline"),
        ("admin", "admin:index"),
        ("dpl", "dataprotection:home"),
        ("dpl", "dataprotection:role_grants"),
    ],
)
def test_each_demo_login_opens_its_role_s_page(seeded, client, username, page):
    from django.urls import reverse

    client.force_login(User.objects.get(username=username))

    assert client.get(reverse(page)).status_code == 200
