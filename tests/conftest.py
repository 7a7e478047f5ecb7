from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from casework import services as casework
from navigators import services
from navigators.models import Country, RoleGrant, User
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: allauth keeps its rate limits and used codes there."""
    cache.clear()


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
    services.totp_enrol(acting_user=None, user=user, secret=factories.TOTP_SECRET)
    services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.NAVIGATOR)
    casework.membership_change(acting_user=None, user=user, team=met_police, started_on="2020-01-01")
    return user


@pytest.fixture
def administrator(db):
    user = User.objects.create_superuser("admin.test", password="pw-for-tests-123")
    services.totp_enrol(acting_user=None, user=user, secret=factories.TOTP_SECRET)
    services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.ADMINISTRATOR)
    return user


def make_user(username, *, team=None, lead_of=None, role=RoleGrant.Role.NAVIGATOR):
    """A user with one role (and a team), enrolled with the test authenticator secret like every test user.

    The role is given by `navigators.services.role_grant` itself, as an approval does, without the request
    and the access-trail lines of `dataprotection.roles`: tests of other things count those lines, and
    tests/test_role_grants.py tests the approval.
    """
    user = factories.UserFactory(username=username)
    if lead_of is not None:
        services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.COUNTRY_LEAD, country=lead_of)
    else:
        services.role_grant(acting_user=None, user=user, role=role)
    if team is not None:
        casework.membership_change(acting_user=None, user=user, team=team, started_on=TODAY - timedelta(days=400))
    return user


@pytest.fixture
def world(db):
    """Two GB teams and a RO team, a case on the first GB team with one assigned Navigator."""
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    ro = services.country_create(acting_user=None, code="RO", name="Romania", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    surrey = services.team_create(acting_user=None, name="Surrey Police", country=gb, kind="police")
    bucharest = services.team_create(acting_user=None, name="Bucharest brigade", country=ro, kind="oc_brigade")
    people = {
        "assigned": make_user("assigned", team=met),
        "same_team": make_user("same.team", team=met),
        "other_team": make_user("other.team", team=surrey),
        "other_country": make_user("other.country", team=bucharest),
        "lead": make_user("lead.gb", lead_of=gb),
        "other_lead": make_user("lead.ro", lead_of=ro),
        "me": make_user("me", role=RoleGrant.Role.MONITORING_EVALUATION),
        "admin": make_user("admin", role=RoleGrant.Role.ADMINISTRATOR),
    }
    people["admin"].is_superuser = people["admin"].is_staff = True
    people["admin"].save()
    survivor = factories.SurvivorFactory()
    case = casework.case_open(
        acting_user=people["lead"],
        survivor=survivor,
        team=met,
        opened_on=TODAY - timedelta(days=50),
        navigators=[people["assigned"]],
    )
    return {"case": case, "met": met, "surrey": surrey, **people}
