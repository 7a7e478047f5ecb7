"""What the navigation bar needs to know about the signed-in person: which of their pages to offer."""

from navigators.models import RoleGrant


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = {grant.role for grant in user.role_grants.all()}
    return {
        "is_navigator": RoleGrant.Role.NAVIGATOR in roles,
        "is_country_lead": RoleGrant.Role.COUNTRY_LEAD in roles,
        "is_me": RoleGrant.Role.MONITORING_EVALUATION in roles,
        "is_administrator": RoleGrant.Role.ADMINISTRATOR in roles,
    }
