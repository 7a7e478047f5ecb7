"""Reads of survivor records."""

from survivors.models import ConsentRecord, Survivor


def survivor_consent_in_force(*, survivor: Survivor, topic: str) -> bool:
    """The latest recorded answer to a consent question; no answer means no consent."""
    latest = ConsentRecord.objects.filter(survivor=survivor, topic=topic).order_by("-recorded_on", "-id").first()
    return bool(latest and latest.given)


def access_survivor_trail(user, survivor_id) -> Survivor:
    """The survivor whose access trail `user` may read: administrators, and leads of a country with a case for them.

    Anyone else gets the same 404 as for a survivor who does not exist.
    """
    from django.http import Http404

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
