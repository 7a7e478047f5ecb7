"""Reads of survivor records."""

from survivors.models import ConsentRecord, Survivor


def survivor_consent_in_force(*, survivor: Survivor, topic: str) -> bool:
    """The latest recorded answer to a consent question; no answer means no consent."""
    latest = ConsentRecord.objects.filter(survivor=survivor, topic=topic).order_by("-recorded_on", "-id").first()
    return bool(latest and latest.given)
