import pytest

from navigators import services
from navigators.models import Country, RoleGrant, User


@pytest.fixture
def gb(db):
    return Country.objects.filter(code="GB").first() or services.country_create(
        acting_user=None, code="GB", name="United Kingdom", is_direct_work=True
    )


@pytest.fixture
def met_police(gb):
    return services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")


@pytest.fixture
def navigator(met_police):
    """A Victim Navigator in the Metropolitan Police team."""
    user = User.objects.create_user("navigator.test", password="pw-for-tests-123")
    services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.NAVIGATOR)
    services.membership_change(acting_user=None, user=user, team=met_police, started_on="2020-01-01")
    return user


@pytest.fixture
def administrator(db):
    user = User.objects.create_superuser("admin.test", password="pw-for-tests-123")
    services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.ADMINISTRATOR)
    return user
