"""Reads about people and roles."""

from django.db.models import Exists, OuterRef, Q

from navigators.models import RoleGrant, RoleGrantRequest, Team, TeamMembership


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


def role_requests_decidable_by(user):
    """The pending role requests `user` may approve or refuse: the one rule of who decides (docs/access.md).

    A data protection lead decides any request; a country lead also decides a request for a lead of their
    own country. Never a request of one's own making or for oneself: a second person always decides.
    """
    if not (user.is_authenticated and user.is_active):
        return RoleGrantRequest.objects.none()
    grants = RoleGrant.objects.filter(user=user)
    is_dpl = Exists(grants.filter(role=RoleGrant.Role.DATA_PROTECTION_LEAD))
    leads_country = Exists(grants.filter(role=RoleGrant.Role.COUNTRY_LEAD, country=OuterRef("country")))
    return (
        RoleGrantRequest.objects.filter(status=RoleGrantRequest.Status.PENDING)
        .filter(Q(is_dpl) | (Q(role=RoleGrant.Role.COUNTRY_LEAD) & Q(leads_country)))
        .exclude(user=user)
        .exclude(requested_by=user)
        .select_related("user", "country", "requested_by")
        .order_by("requested_at", "id")
    )


def may_decide_role_requests(user) -> bool:
    """Holds a role that decides some role requests (a data protection lead or a country lead)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role_grants.filter(
            role__in=[RoleGrant.Role.DATA_PROTECTION_LEAD, RoleGrant.Role.COUNTRY_LEAD]
        ).exists()
    )


def role_request_log():
    """Every role request with who asked, decided and revoked, newest first: the data protection lead's list."""
    return RoleGrantRequest.objects.select_related(
        "user", "country", "requested_by", "decided_by", "revoked_by"
    ).order_by("-requested_at", "-id")
