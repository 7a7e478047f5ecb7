import pytest

from navigators.models import Country, RoleGrant, Team, TeamMembership, User


@pytest.fixture
def gb(db):
    return Country.objects.get_or_create(code="GB", defaults={"name": "United Kingdom", "is_direct_work": True})[0]


@pytest.fixture
def met_police(gb):
    return Team.objects.create(name="Metropolitan Police", country=gb, kind=Team.Kind.POLICE)


@pytest.fixture
def navigator(met_police):
    """A Victim Navigator in the Metropolitan Police team."""
    user = User.objects.create_user("navigator.test", password="pw-for-tests-123")
    RoleGrant.objects.create(user=user, role=RoleGrant.Role.NAVIGATOR)
    TeamMembership.objects.create(user=user, team=met_police, started_on="2020-01-01")
    return user


@pytest.fixture
def administrator(db):
    user = User.objects.create_superuser("admin.test", password="pw-for-tests-123")
    RoleGrant.objects.create(user=user, role=RoleGrant.Role.ADMINISTRATOR)
    return user
