"""Reads about people and roles."""

from django.db.models import Exists, OuterRef, Q

from navigators.models import RoleGrant, Team, TeamMembership


def is_administrator(user) -> bool:
    """Holds the administrator role (Django's superuser flag alone is not a role here)."""
    return (
        user.is_authenticated and user.is_active and user.role_grants.filter(role=RoleGrant.Role.ADMINISTRATOR).exists()
    )


def countries_led_by(user) -> list[str]:
    """The codes of the countries `user` leads (none for anyone else)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(user.role_grants.filter(role=RoleGrant.Role.COUNTRY_LEAD).values_list("country_id", flat=True))


def teams_for_registration(user):
    """The teams `user` may register a survivor for: a Navigator's current team, every active team of a country they lead."""
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    grants = RoleGrant.objects.filter(user=user)
    own_team = Q(Exists(TeamMembership.objects.filter(team=OuterRef("pk"), user=user, ended_on__isnull=True))) & Q(
        Exists(grants.filter(role=RoleGrant.Role.NAVIGATOR))
    )
    led_country = Q(Exists(grants.filter(role=RoleGrant.Role.COUNTRY_LEAD, country=OuterRef("country"))))
    return (
        Team.objects.filter(own_team | led_country, is_active=True)
        .select_related("country")
        .order_by("country__name", "name")
    )
