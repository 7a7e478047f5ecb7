"""Who sees which case: the team, the country's leads and assigned Navigators; nobody else."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import services as casework
from casework.access import access_case, cases_visible_to, may_see_identity, survivors_visible_to
from casework.models import Case
from navigators import services as navigators
from navigators.models import Country, RoleGrant, User
from tests import factories
from tests.conftest import make_user

TODAY = timezone.localdate()


SEES = {
    "assigned": True,
    "same_team": True,
    "other_team": False,
    "other_country": False,
    "lead": True,
    "other_lead": False,
    "me": False,
    "admin": False,
}
SEES_IDENTITY = {"assigned": True, "same_team": False, "lead": True}


@pytest.mark.parametrize("who", SEES)
def test_case_is_visible_only_to_its_team_lead_and_assigned_navigator(world, who):
    assert (world["case"] in cases_visible_to(world[who])) is SEES[who]


@pytest.mark.parametrize("who", SEES_IDENTITY)
def test_identity_only_for_assigned_navigator_and_country_lead(world, who):
    assert may_see_identity(world[who], world["case"]) is SEES_IDENTITY[who]


@pytest.mark.parametrize("who", SEES)
def test_survivor_is_visible_through_their_case_and_only_so(world, who):
    from casework.access import access_survivor

    survivor = world["case"].survivor
    if SEES[who]:
        assert access_survivor(world[who], survivor.pk) == survivor
    else:
        with pytest.raises(Http404):
            access_survivor(world[who], survivor.pk)


@pytest.mark.parametrize("who", SEES_IDENTITY)
def test_survivor_identity_follows_the_case_identity_rule(world, who):
    from casework.access import survivors_visible_to

    assert (world["case"].survivor in survivors_visible_to(world[who], "casework.view_identity")) is SEES_IDENTITY[who]


def test_a_case_you_may_not_see_is_the_same_404_as_no_case(world):
    with pytest.raises(Http404) as hidden:
        access_case(world["other_team"], world["case"].pk)
    with pytest.raises(Http404) as missing:
        access_case(world["other_team"], 999_999)

    assert str(hidden.value) == str(missing.value)


def test_superuser_status_gives_no_case_data(world):
    assert cases_visible_to(world["admin"]).count() == 0


def test_seeing_without_changing_is_403_on_write(world):
    from guardian.shortcuts import assign_perm

    reader = make_user("reader")
    assign_perm("casework.view_case", reader, world["case"])

    assert access_case(reader, world["case"].pk) == world["case"]
    with pytest.raises(PermissionDenied):
        access_case(reader, world["case"].pk, for_change=True)


def test_moving_team_takes_old_access_away_at_once(world):
    navigator = world["assigned"]
    assert access_case(navigator, world["case"].pk)

    casework.membership_change(acting_user=world["lead"], user=navigator, team=world["surrey"])

    navigator = User.objects.get(pk=navigator.pk)  # permission caches are per instance
    assert world["case"] not in cases_visible_to(navigator)
    assert not navigator.case_assignments.filter(ended_on__isnull=True).exists()


def test_assigning_a_navigator_of_another_team_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        casework.case_assign(acting_user=world["lead"], case=world["case"], navigator=world["other_team"])

    assert world["case"] not in cases_visible_to(world["other_team"])


def test_country_lead_losing_the_role_loses_access(world):
    grant = world["lead"].role_grants.get(role=RoleGrant.Role.COUNTRY_LEAD)

    navigators.role_revoke(acting_user=world["admin"], grant=grant)

    assert world["case"] not in cases_visible_to(User.objects.get(pk=world["lead"].pk))


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    layout=st.lists(st.tuples(st.sampled_from(["GB", "RO", "BD"]), st.integers(0, 1)), min_size=1, max_size=6),
    viewer=st.integers(0, 5),
    lead_country=st.sampled_from(["GB", "RO", "BD"]),
)
def test_no_selector_ever_returns_a_case_of_another_country(layout, viewer, lead_country):
    """Random teams, cases and assignments: a Navigator and a lead see only cases of their own country."""
    countries = {
        code: Country.objects.filter(code=code).first()
        or navigators.country_create(acting_user=None, code=code, name=code, is_direct_work=True)
        for code in ("GB", "RO", "BD")
    }
    teams, members = [], []
    for index, (code, _) in enumerate(layout):
        team = navigators.team_create(
            acting_user=None,
            name=f"T{index}-{factories.UserFactory._meta.model.objects.count()}",
            country=countries[code],
            kind="police",
        )
        member = make_user(f"n{team.pk}", team=team)
        teams.append(team)
        members.append(member)
    for team, member, (_, assign) in zip(teams, members, layout, strict=True):
        casework.case_open(
            acting_user=None,
            survivor=factories.SurvivorFactory(),
            team=team,
            opened_on=TODAY - timedelta(days=10),
            navigators=[member] if assign else [],
        )
    navigator = members[viewer % len(members)]
    lead = make_user(f"lead{navigator.pk}", lead_of=countries[lead_country])

    own_country = teams[viewer % len(members)].country_id
    assert set(cases_visible_to(navigator).values_list("team__country", flat=True)) <= {own_country}
    assert set(cases_visible_to(lead).values_list("team__country", flat=True)) <= {lead_country}
    assert cases_visible_to(lead).count() == Case.objects.filter(team__country=lead_country).count()
    for user, country in ((navigator, own_country), (lead, lead_country)):
        for permission in ("casework.view_case", "casework.view_identity"):
            survivors = survivors_visible_to(user, permission)
            assert not survivors.exclude(cases__team__country=country).exists()


def test_listing_cases_costs_the_same_queries_for_one_case_and_for_two_hundred(world, django_assert_num_queries):
    # For the assigned Navigator and for the country lead: the 200 cases are made once for both. One
    # query: the cases with survivor, team and country joined; the permission checks (the user's own
    # rows and their groups' rows) are sub-queries of it.
    for who in ("assigned", "lead"):
        user = User.objects.get(pk=world[who].pk)
        with django_assert_num_queries(1):
            assert len(list(cases_visible_to(user))) == 1

    for _ in range(199):
        casework.case_open(
            acting_user=None,
            survivor=factories.SurvivorFactory(),
            team=world["met"],
            opened_on=TODAY - timedelta(days=5),
            navigators=[world["assigned"]],
        )
    for who in ("assigned", "lead"):
        user = User.objects.get(pk=world[who].pk)
        with django_assert_num_queries(1):
            cases = list(cases_visible_to(user))
            assert [c.team.country.code for c in cases] == ["GB"] * 200


# How many of the two GB cases (world's, and one of Surrey's) each holds each permission on.
HOLDS = {
    "reader": {"casework.view_case": 1, "casework.change_case": 0, "casework.view_identity": 0},
    "same_team": {"casework.view_case": 1, "casework.change_case": 1, "casework.view_identity": 0},
    "lead": {"casework.view_case": 2, "casework.change_case": 2, "casework.view_identity": 2},
    "me": {"casework.view_case": 0, "casework.change_case": 0, "casework.view_identity": 0},
}


@pytest.mark.parametrize("who", HOLDS)
@pytest.mark.parametrize("permission", ["casework.view_case", "casework.change_case", "casework.view_identity"])
def test_cases_visible_to_gives_the_cases_guardian_gives(world, who, permission):
    """The permission tables read directly give what get_objects_for_user gave: a grant to the user (reader),
    through a team group (same_team), through a country group (lead), and none at all (M&E)."""
    from guardian.shortcuts import assign_perm, get_objects_for_user

    surrey_case = casework.case_open(
        acting_user=None,
        survivor=factories.SurvivorFactory(),
        team=world["surrey"],
        opened_on=TODAY - timedelta(days=5),
        navigators=[world["other_team"]],
    )
    reader = make_user("reader")
    assign_perm("casework.view_case", reader, surrey_case)
    user = reader if who == "reader" else world[who]

    expected = get_objects_for_user(user, permission, klass=Case, accept_global_perms=False, with_superuser=False)

    assert set(cases_visible_to(user, permission)) == set(expected)
    assert len(expected) == HOLDS[who][permission]  # and the two agree on something, not only on nothing


@pytest.fixture
def bucharest_navigator(world):
    from navigators.models import Team

    return User.objects.get(username="other.country"), Team.objects.get(name="Bucharest brigade")


def test_handover_without_cross_border_consent_is_refused(world, bucharest_navigator):
    from django.core.exceptions import ValidationError

    navigator, bucharest = bucharest_navigator
    with pytest.raises(ValidationError, match="not consented"):
        casework.case_transfer(acting_user=world["lead"], from_case=world["case"], to_team=bucharest, opened_on=TODAY)

    assert world["case"].transferred_to.count() == 0


def test_handover_gives_the_receiving_team_a_linked_case_and_the_sender_only_read_access(world, bucharest_navigator):
    from survivors.services import consent_record

    navigator, bucharest = bucharest_navigator
    consent_record(
        acting_user=world["assigned"],
        survivor=world["case"].survivor,
        topic="share_cross_border",
        given=True,
        recorded_on=TODAY - timedelta(days=1),
    )

    new_case = casework.case_transfer(
        acting_user=world["lead"], from_case=world["case"], to_team=bucharest, opened_on=TODAY, navigators=[navigator]
    )

    assert new_case.transferred_from == world["case"]
    assert new_case in cases_visible_to(navigator)
    same_team = User.objects.get(pk=world["same_team"].pk)
    assert new_case not in cases_visible_to(same_team)
    assert access_case(same_team, world["case"].pk) == world["case"]
    with pytest.raises(PermissionDenied):
        access_case(same_team, world["case"].pk, for_change=True)
    world["case"].refresh_from_db()
    assert world["case"].stage == "closed"
