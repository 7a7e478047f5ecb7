"""Reads of survivor records, and the choke point through which a survivor is fetched.

A survivor's record is reached through a case: whoever may see one of their cases may see the
survivor, and whoever may see their identity through one of those cases may see who they are. One
rule, kept in `casework.selectors`, rather than a second set of grants to keep in step with it.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from survivors import blind_index
from survivors.models import ConsentRecord, Survivor, SurvivorNameToken


def survivors_visible_to(user, permission: str = "casework.view_case") -> QuerySet[Survivor]:
    """Survivors with a case `user` holds `permission` on (`casework.view_identity` for who they are)."""
    from casework.selectors import cases_visible_to  # casework builds on survivors

    return Survivor.objects.filter(pk__in=cases_visible_to(user, permission).values("survivor_id"))


def access_survivor(user, survivor_id, *, identity: bool = False) -> Survivor:
    """The survivor, if `user` may see them (with `identity`, who they are); the same 404 otherwise."""
    permission = "casework.view_identity" if identity else "casework.view_case"
    survivor = survivors_visible_to(user, permission).filter(pk=survivor_id).first()
    if survivor is None:
        raise Http404("No such survivor.")
    return survivor


def survivor_case_for(user, survivor: Survivor, *permissions: str):
    """The user's most recent case for the survivor on which they hold every one of `permissions`; None if none."""
    from casework.selectors import cases_visible_to

    cases = cases_visible_to(user, permissions[0]).filter(survivor=survivor)
    for permission in permissions[1:]:
        cases = cases.filter(pk__in=cases_visible_to(user, permission).values("pk"))
    return cases.order_by("-opened_on", "-id").first()


def teams_for_registration(user):
    """The teams `user` may register a survivor for: a Navigator's current team, every active team of a country they lead."""
    from navigators.models import RoleGrant, Team, TeamMembership

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


def _sharing_a_name_token(digests: Iterable[str]) -> Exists:
    return Exists(SurvivorNameToken.objects.filter(survivor=OuterRef("pk"), digest__in=list(digests)))


def possible_duplicates(
    *, names: Iterable[str], birth_year: int | None, citizenships: Iterable[str], exclude_survivor_id=None
) -> QuerySet[Survivor]:
    """Survivors who may be the person described: a name word in common (as written or as it sounds),
    a year of birth within two years and a citizenship in common.

    Matched over the blind index's digests: no name is in the SQL. Without a year of birth or a
    citizenship nothing can be matched.
    """
    digests = {digest for _, digest in blind_index.name_digests(names)}
    citizenships = list(citizenships or [])
    if not digests or birth_year is None or not citizenships:
        return Survivor.objects.none()
    matches = Survivor.objects.filter(
        _sharing_a_name_token(digests),
        birth_year__range=(birth_year - 2, birth_year + 2),
        citizenships__overlap=citizenships,
    )
    if exclude_survivor_id is not None:
        matches = matches.exclude(pk=exclude_survivor_id)
    return matches.order_by("case_reference")


def possible_duplicates_seen_by(user, matches: QuerySet[Survivor]) -> tuple[list[Survivor], bool]:
    """The matches `user` may see (each with `case_id`, their latest case the user may see), and whether
    others exist that they may not see (then only their country lead can check them)."""
    from casework.selectors import cases_visible_to

    visible_ids = survivors_visible_to(user).values("pk")
    latest_case = cases_visible_to(user).filter(survivor=OuterRef("pk")).order_by("-opened_on", "-id").values("pk")[:1]
    seen = list(matches.filter(pk__in=visible_ids).annotate(case_id=Subquery(latest_case)))
    elsewhere = matches.exclude(pk__in=visible_ids).exists()
    return seen, elsewhere


def survivors_matching_name(name: str) -> QuerySet[Survivor]:
    """Survivors with a name matching every word of `name`, as written or as it sounds ("Muhammad" finds "Mohammed").

    Over the blind index, for the caseload's name search: intersect with what the user may see.
    """
    tokens = blind_index.name_tokens(name)
    if not tokens:
        return Survivor.objects.none()
    survivors = Survivor.objects.all()
    for token in tokens:
        survivors = survivors.filter(_sharing_a_name_token(digest for _, digest in blind_index.token_digests(token)))
    return survivors


def consents_in_force(survivor: Survivor) -> dict:
    """The latest answer to each consent question asked, by topic."""
    latest = (
        ConsentRecord.objects.filter(survivor=survivor)
        .select_related("recorded_by")
        .order_by("topic", "-recorded_on", "-id")
        .distinct("topic")
    )
    return {consent.topic: consent for consent in latest}


def consent_history(survivor: Survivor) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(survivor=survivor).select_related("recorded_by").order_by("-recorded_on", "-id")


def survivor_consent_in_force(*, survivor: Survivor, topic: str) -> bool:
    """The latest recorded answer to a consent question; no answer means no consent."""
    latest = ConsentRecord.objects.filter(survivor=survivor, topic=topic).order_by("-recorded_on", "-id").first()
    return bool(latest and latest.given)


def access_survivor_trail(user, survivor_id) -> Survivor:
    """The survivor whose access trail `user` may read: administrators, and leads of a country with a case for them.

    Anyone else gets the same 404 as for a survivor who does not exist.
    """
    from navigators.selectors import countries_led_by, is_administrator

    survivors = Survivor.objects.all()
    if not is_administrator(user):
        survivors = survivors.filter(cases__team__country__in=countries_led_by(user)).distinct()
    survivor = survivors.filter(pk=survivor_id).first()
    if survivor is None:
        raise Http404("No such survivor.")
    return survivor


def access_records_for_survivor(survivor: Survivor):
    return survivor.access_records.select_related("user", "case__team")


def access_records_by_user(user):
    from survivors.models import AccessRecord

    return AccessRecord.objects.filter(user=user).select_related("survivor", "case__team")
