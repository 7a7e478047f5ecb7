"""Writes of data protection: legal holds, erasure, the retention run. Each takes `acting_user` and runs
in one transaction; erasures and retention runs are chained in the audit chain in that transaction."""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dataprotection.chain import chain_append
from dataprotection.models import AuditChainLink, Erasure, LegalHold, RetentionRun
from dataprotection.selectors import collect, holds_in_force, retention_cutoff, survivors_due_for_retention
from navigators.history import change_by
from survivors.models import AccessRecord, IdentityDocument, Survivor, SurvivorIdentity, SurvivorNameToken
from survivors.services import IDENTITY_FIELDS

logger = logging.getLogger(__name__)

# What a note becomes. Not an empty string: some notes are required (a care-plan goal, the comment on
# a returned request), and a reader of the timeline sees that a note was there and was erased.
ERASED = "[erased]"
RETENTION_REASON = "retention"

# Who the survivor is. These rows are deleted, and their history rows keep only that they existed.
IDENTITY = {SurvivorIdentity: IDENTITY_FIELDS, IdentityDocument: ["number", "expires_on"]}
# Derived from the names (the blind index): deleted, and there is no history to blank.
DERIVED = [SurvivorNameToken]
# Our own records about the record (tombstones, holds): their reasons are the process, not the person.
KEPT_APPS = {"dataprotection"}


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def legal_hold_set(*, acting_user, survivor: Survivor, reason: str) -> LegalHold:
    """Put the survivor's record on legal hold: it cannot be erased until the hold is lifted."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the record must be kept.")})
    with change_by(acting_user):
        # The survivor's row is locked, as erasure locks it, so a hold and an erasure cannot cross.
        survivor = Survivor.objects.select_for_update().get(pk=survivor.pk)
        return _save(LegalHold(survivor=survivor, reason=reason.strip(), set_by=acting_user))


def legal_hold_lift(*, acting_user, hold: LegalHold) -> LegalHold:
    """Lift a hold in force; it stays on the record, saying who lifted it and when."""
    with change_by(acting_user):
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise ValidationError(_("This hold was already lifted."))
        hold.lifted_at, hold.lifted_by = timezone.now(), acting_user
        return _save(hold)


def _is_text(model, name) -> bool:
    return isinstance(model._meta.get_field(name), (models.CharField, models.TextField))


def _holding(model, names) -> models.Q:
    """Rows where any of the fields holds something. Only `= ''` and `IS NULL` are asked of the
    columns: that is all an encrypted column can answer."""
    condition = models.Q()
    for name in names:
        filled = models.Q(**{f"{name}__isnull": False})
        condition |= (filled & ~models.Q(**{name: ""})) if _is_text(model, name) else filled
    return condition


def _blank(queryset, values: dict) -> int:
    """Set `values` on the rows of `queryset` that hold something in those fields; how many rows.

    A plain UPDATE: the erasure itself is recorded by its tombstone, not by new history rows that
    would copy what is being removed.
    """
    return queryset.filter(_holding(queryset.model, values)).update(**values)


def _emptied(model, names) -> dict:
    """Each field emptied: text to '' and anything else to None."""
    return {name: "" if _is_text(model, name) else None for name in names}


def erase_survivor(*, acting_user, survivor: Survivor, reason: str) -> Erasure:
    """Remove who the survivor is and every free-text note of their records, live and in the history
    tables, keeping the survivor, their cases and dated events (so published counts do not move) and an
    Erasure tombstone of what kind of data went, how much, when, by whom and why. All or nothing.

    Refused (ValidationError) while a legal hold is in force, an ongoing prosecution included.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is erased.")})
    with change_by(acting_user):
        survivor = Survivor.objects.select_for_update().get(pk=survivor.pk)
        holds = holds_in_force(survivor)
        if holds:
            raise ValidationError([_("The record is on legal hold and cannot be erased.")] + holds)
        removed = {}

        def count(key, **numbers):
            numbers = {name: n for name, n in numbers.items() if n}
            if numbers:
                removed[key] = numbers

        collected = collect(survivor, ids_only=True)
        for model in DERIVED:
            count(model._meta.label, deleted=model._base_manager.filter(survivor=survivor).delete()[0])
        for c in collected:
            model, live_ids = c.kind.model, c.rows
            if model in IDENTITY:
                deleted = 0
                for row in model._base_manager.filter(pk__in=live_ids):
                    row.delete()  # one by one, so the history says who deleted it and when
                    deleted += 1
                # Every historical row, including the deletion just written, keeps no identity.
                history = _blank(
                    model.history.filter(survivor_id=survivor.pk), _emptied(model.history.model, IDENTITY[model])
                )
                count(model._meta.label, deleted=deleted, history=history)
            elif model._meta.app_label not in KEPT_APPS and model not in DERIVED:
                all_ids = set(live_ids) | set(c.history)
                for text in (f for f in model._meta.concrete_fields if isinstance(f, models.TextField)):
                    live = _blank(model._base_manager.filter(pk__in=live_ids), {text.name: ERASED})
                    history = (
                        _blank(model.history.filter(id__in=all_ids), {text.name: ERASED}) if c.kind.has_history else 0
                    )
                    count(f"{model._meta.label}.{text.name}", live=live, history=history)
        erasure = _save(Erasure(survivor=survivor, erased_by=acting_user, reason=reason, removed=removed))
        chain_append(kind=AuditChainLink.Kind.ERASURE, record=erasure)
        return erasure


@dataclass(frozen=True)
class RetentionResult:
    run_on: date
    due: int
    anonymised: int
    held: int
    already_run: bool = False


def retention_run(*, today: date) -> RetentionResult:
    """Anonymise (as erasure, reason "retention") every survivor whose cases all closed more than
    RETENTION_YEARS ago, except those on legal hold, and record the run. Safe to run twice: one run a
    day, and a survivor anonymised since their last case closed is not due again.

    Each survivor in their own transaction, so a crash part way keeps what was done and the next run
    does the rest.
    """
    existing = RetentionRun.objects.filter(run_on=today).first()
    if existing is not None:
        logger.info(
            "Retention for %s already ran: %s anonymised, %s on legal hold.", today, existing.anonymised, existing.held
        )
        return RetentionResult(
            today, existing.anonymised + existing.held, existing.anonymised, existing.held, already_run=True
        )
    anonymised = held = 0
    for survivor in survivors_due_for_retention(today).iterator(chunk_size=500):
        if survivor.held:
            held += 1
            continue
        try:
            erase_survivor(acting_user=None, survivor=survivor, reason=RETENTION_REASON)
        except ValidationError:  # a hold set since the list was read
            held += 1
        else:
            anonymised += 1
    try:
        with transaction.atomic():
            run = _save(RetentionRun(run_on=today, cutoff=retention_cutoff(today), anonymised=anonymised, held=held))
            chain_append(kind=AuditChainLink.Kind.RETENTION, record=run)
    except IntegrityError:  # another worker finished the same day's run first
        logger.info("Retention for %s was recorded by another run meanwhile.", today)
    logger.info("Retention for %s: %s anonymised, %s kept on legal hold.", today, anonymised, held)
    return RetentionResult(today, anonymised + held, anonymised, held)


# ---- the access trail: one line per look at, or export of, survivors' data ----------------------


def access_record(*, user, survivor: Survivor, action: str, request=None, case=None) -> AccessRecord:
    """Write one line of the access trail for a view, identity view, export or print of a survivor's data.

    The address is the connection's own (REMOTE_ADDR), never a client-supplied X-Forwarded-For.
    """
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():  # the record and its link in the audit chain, or neither
        record = AccessRecord.objects.create(user=user, survivor=survivor, case=case, action=action, ip_address=address)
        chain_append(kind="access", record=record)
    return record


def access_record_export(*, user, subject: str, request=None) -> AccessRecord:
    """Write one line of the access trail for an export of figures about many survivors (a report, a
    breakdown): `subject` names what was exported, such as "headline report 21/22 H1 (xlsx)", never its data."""
    if not subject.strip():
        raise ValueError("An export's access record names what was exported.")
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():  # the record and its link in the audit chain, or neither
        record = AccessRecord.objects.create(
            user=user, subject=subject.strip(), action=AccessRecord.Action.EXPORTED, ip_address=address
        )
        chain_append(kind="access", record=record)
    return record


def access_record_about(*, user, subject: str, action: str, request=None) -> AccessRecord:
    """Write one line of the access trail about no survivor's record, such as a role requested or revoked:
    `subject` names it ("role grant request 12: Country lead (GB) for lead.gb"), never a survivor's data."""
    if not subject.strip():
        raise ValueError("An access record about no survivor names its subject.")
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():  # the record and its link in the audit chain, or neither
        record = AccessRecord.objects.create(
            user=user, subject=subject.strip()[:200], action=action, ip_address=address
        )
        chain_append(kind="access", record=record)
    return record
