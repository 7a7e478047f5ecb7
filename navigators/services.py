"""Writes to the organisation: teams, countries, memberships and roles, with the access they carry.

Access to case data follows groups: a team's group holds its cases' permissions, a country's group
(its leads) those of every case of its teams. Joining or leaving a group here changes access at once.
"""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from navigators.history import change_by
from navigators.models import Country, RoleGrant, Team, User
from navigators.sessions import sessions_end


def country_create(*, acting_user, code: str, name: str, is_direct_work: bool) -> Country:
    """Add a country, with the group its country leads join."""
    with change_by(acting_user):
        country = Country(code=code, name=name, is_direct_work=is_direct_work)
        country.full_clean()
        country.group = Group.objects.create(name=f"country:{code}")
        country.save()
        return country


def team_create(*, acting_user, name: str, country: Country, kind: str) -> Team:
    """Add a team in a country, with the group its members join."""
    with change_by(acting_user):
        team = Team(name=name, country=country, kind=kind)
        team.full_clean()
        team.group = Group.objects.create(name=f"team:{name}")
        team.save()
        return team


def role_grant(*, acting_user, user: User, role: str, country: Country | None = None) -> RoleGrant:
    """Give a user a role; a country lead joins their country's group, an administrator opens the admin.

    The mechanics only: a role is given once a second person has approved it, by
    `dataprotection.roles` (which also writes the access trail); nothing else calls this but the tests'
    fixtures (tests/test_role_grants.py holds every caller to that).
    """
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(_("Nobody grants a role to themselves."))
    with change_by(acting_user):
        grant = RoleGrant(user=user, role=role, country=country)
        grant.full_clean()
        grant.save()
        if role == RoleGrant.Role.COUNTRY_LEAD:
            user.groups.add(country.group)
        if role == RoleGrant.Role.ADMINISTRATOR:
            # The admin site follows the role: the flags are not editable in the admin itself.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        return grant


def role_revoke(*, acting_user, grant: RoleGrant) -> None:
    """Take a role away at once: a country lead leaves their country's group, an administrator the admin."""
    with change_by(acting_user):
        user = grant.user
        if grant.role == RoleGrant.Role.COUNTRY_LEAD:
            user.groups.remove(grant.country.group)
        if grant.role == RoleGrant.Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        grant.delete()


def user_deactivate(*, acting_user, user: User) -> User:
    """Deactivate an account and sign its holder out everywhere at once: every session of theirs ends.

    Saves the user as given (the admin's form may have changed other fields alongside).
    """
    with change_by(acting_user):
        user.is_active = False
        user.save()
        sessions_end(user=user)
        return user


def totp_enrol(*, acting_user, user: User, secret: str) -> Authenticator:
    """Give `user` an authenticator app with a known secret (stored encrypted), and recovery codes, as
    enrolling on allauth's page does: for the demo users and tests.

    People enrol themselves on that page, which makes a new secret and shows it as a QR code.
    """
    with change_by(acting_user):
        totp = Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": get_mfa_adapter().encrypt(secret)}
        )
        RecoveryCodes.activate(user)
        return totp


def user_mfa_reset(*, acting_user, user: User) -> None:
    """Remove a person's authenticator app and recovery codes (a lost phone) and end all their sessions:
    at their next sign-in the password alone leads them to set up a new app, and to nothing else."""
    with change_by(acting_user):
        Authenticator.objects.filter(user_id=user.pk).delete()
        sessions_end(user=user)
