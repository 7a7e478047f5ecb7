"""Writes to survivor records. Each takes `acting_user`, runs in one transaction and leaves history."""

from datetime import date

from survivors.models import AccessRecord, ConsentRecord, IdentityDocument, Survivor, SurvivorExploitation, SurvivorIdentity
from navigators.history import change_by


def survivor_register(
    *,
    acting_user,
    identity: dict,
    exploitations: list[dict] = (),
    identity_documents: list[dict] = (),
    case_reference: str | None = None,
    **details,
) -> Survivor:
    """Register a survivor with their identity record and exploitation types; all or nothing."""
    with change_by(acting_user):
        survivor = Survivor(registered_by=acting_user, **details)
        if case_reference:
            survivor.case_reference = case_reference
        survivor.full_clean()
        survivor.save()
        rows = [SurvivorIdentity(survivor=survivor, **identity)]
        rows += [SurvivorExploitation(survivor=survivor, **e) for e in exploitations]
        rows += [IdentityDocument(survivor=survivor, **d) for d in identity_documents]
        for row in rows:
            row.full_clean()
            row.save()
        return survivor


def consent_record(
    *, acting_user, survivor: Survivor, topic: str, given: bool, recorded_on: date, notes: str = ""
) -> ConsentRecord:
    """Record a dated yes or no to one consent question; earlier answers stay as history."""
    with change_by(acting_user):
        consent = ConsentRecord(
            survivor=survivor, topic=topic, given=given, recorded_on=recorded_on, recorded_by=acting_user, notes=notes
        )
        consent.full_clean()
        consent.save()
        return consent


def access_record(*, user, survivor: Survivor, action: str, request=None, case=None) -> AccessRecord:
    """Write one line of the access trail for a view, identity view, export or print of a survivor's data.

    The address is the connection's own (REMOTE_ADDR), never a client-supplied X-Forwarded-For.
    """
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    return AccessRecord.objects.create(user=user, survivor=survivor, case=case, action=action, ip_address=address)
