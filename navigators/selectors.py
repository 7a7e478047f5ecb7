"""Reads about people and roles."""

from navigators.models import RoleGrant


def is_administrator(user) -> bool:
    """Holds the administrator role (Django's superuser flag alone is not a role here)."""
    return (
        user.is_authenticated and user.is_active and user.role_grants.filter(role=RoleGrant.Role.ADMINISTRATOR).exists()
    )


def countries_led_by(user) -> list[str]:
    if not (user.is_authenticated and user.is_active):
        return []
    return list(user.role_grants.filter(role=RoleGrant.Role.COUNTRY_LEAD).values_list("country_id", flat=True))
