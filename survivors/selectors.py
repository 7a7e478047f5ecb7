"""Reads of survivor records, and the choke point through which a survivor is fetched.

A survivor's record is reached through a case: whoever may see one of their cases may see the
survivor, and whoever may see their identity through one of those cases may see who they are. One
rule, kept in `casework.selectors`, rather than a second set of grants to keep in step with it.
"""

from django.db.models import QuerySet
from django.http import Http404

from survivors.models import ConsentRecord, Survivor


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
