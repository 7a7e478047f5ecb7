"""Object-permission filtering of cases for a country lead, against a plain foreign key."""

from django.db.models import Count

from bench.harness import Operation, Target, register
from casework.models import Case
from navigators.models import RoleGrant, User

# ---- object-permission filtering of cases for a country lead ------------------------------------


def lead_setup():
    """The lead of the country with the most cases."""
    country = (
        Case.objects.values("team__country").annotate(cases=Count("id")).order_by("-cases", "team__country").first()
    )
    lead = (
        User.objects.filter(
            role_grants__role=RoleGrant.Role.COUNTRY_LEAD, role_grants__country=country["team__country"]
        )
        .order_by("pk")
        .first()
    )
    return {"lead": lead, "country": country["team__country"]}, f"count; {lead.username}, {country['cases']:,} cases"


def lead_app(lead, country):
    from casework.access import cases_visible_to

    return cases_visible_to(lead).count()


def lead_lower_bound(lead, country):
    return Case.objects.filter(team__country=country).count()


register(
    Operation(
        name="object-permission filtering of cases for a country lead",
        setup=lead_setup,
        app=lead_app,
        lower_bound=lead_lower_bound,
        target=Target("≤ 2× a plain foreign-key filter", max_vs_lower=2.0),
    )
)
