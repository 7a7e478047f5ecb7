"""Reads of survivor records.

Who may see a survivor is decided by their cases, so the survivor-visibility functions live with
the case ones in `casework.access` (one choke point for both). What is here reads survivor records
once they have been reached: duplicates by the blind index, consent, the access trail.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from navigators.selectors import countries_led_by, is_administrator
from survivors import blind_index
from survivors.models import AccessRecord, ConsentRecord, Survivor, SurvivorNameToken


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
    """Every answer recorded to the survivor's consent questions, newest first."""
    return ConsentRecord.objects.filter(survivor=survivor).select_related("recorded_by").order_by("-recorded_on", "-id")


def survivor_consent_in_force(*, survivor: Survivor, topic: str) -> bool:
    """The latest recorded answer to a consent question; no answer means no consent."""
    latest = ConsentRecord.objects.filter(survivor=survivor, topic=topic).order_by("-recorded_on", "-id").first()
    return bool(latest and latest.given)


def access_survivor_trail(user, survivor_id) -> Survivor:
    """The survivor whose access trail `user` may read: administrators, and leads of a country with a case for them.

    Anyone else gets the same 404 as for a survivor who does not exist.
    """
    survivors = Survivor.objects.all()
    if not is_administrator(user):
        survivors = survivors.filter(cases__team__country__in=countries_led_by(user)).distinct()
    survivor = survivors.filter(pk=survivor_id).first()
    if survivor is None:
        raise Http404("No such survivor.")
    return survivor


def access_records_for_survivor(survivor: Survivor):
    """The access trail of one survivor: who looked, when, through which case."""
    return survivor.access_records.select_related("user", "case__team")


def access_records_by_user(user):
    """The access trail of one user: whose records they looked at, and when."""
    return AccessRecord.objects.filter(user=user).select_related("survivor", "case__team")
