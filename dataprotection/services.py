"""Writes of data protection: legal holds, erasure, the retention run. Each takes `acting_user` and runs
in one transaction; erasures and retention runs are chained in the audit chain in that transaction."""

import logging
import secrets
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dataprotection.chain import chain_append
from dataprotection.erasure_rules import (
    DELETED,
    ERASED_TEXT,
    GENERALISED,
    HISTORY,
    MARKED,
    PSEUDONYM,
    RULES,
    Rule,
    deletes_rows,
    erased_fields,
)
from dataprotection.models import AuditChainLink, Erasure, LegalHold, RetentionRun
from dataprotection.selectors import (
    Collected,
    collect,
    has_history,
    holds_in_force,
    is_history_model,
    retention_cutoff,
    survivors_due_for_retention,
)
from navigators.history import change_by
from survivors.models import AccessRecord, Survivor

logger = logging.getLogger(__name__)

# What a note becomes (dataprotection.erasure_rules: "[erased]" rather than nothing, as some notes are required).
ERASED = ERASED_TEXT
RETENTION_REASON = "retention"


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


def _emptied(model, names) -> dict:
    """Each field emptied: text to '' and anything else to None."""
    return {name: "" if _is_text(model, name) else None for name in names}


def _apply(queryset, name: str, rule: Rule) -> int:
    """Erase field `name` of the rows of `queryset` as `rule` says; how many rows changed.

    A plain UPDATE of only the rows it changes: the erasure itself is recorded by its tombstone, not
    by new history rows that would copy what is being removed.
    """
    model = queryset.model
    if rule.how == GENERALISED:
        value = rule.value
        if rule.changes is not None:
            changes = rule.changes
        elif value is None:
            changes = models.Q(**{f"{name}__isnull": False})
        else:
            changes = ~models.Q(**{name: value})
    else:  # marked, blanked, or the history of a deleted row
        value = ERASED if rule.how == MARKED else _emptied(model, [name])[name]
        changes = _holding(model, [name])
    return queryset.filter(changes).update(**{name: value})


def _pseudonym(field) -> str:
    """A new random reference: 48 random bits, so two erasures never give the same one."""
    value = f"ERASED-{secrets.token_hex(6).upper()}"
    if len(value) > field.max_length:
        raise ValueError(f"{field} is too short for a pseudonym")
    return value


def _erase_kind(model, live, history, count) -> None:
    """Apply every erasing rule of `model` to its rows `live` and its history rows `history` (None: no history)."""
    label, erased = model._meta.label, erased_fields(model)
    if deletes_rows(model):
        deleted = 0
        if history is None:
            deleted = live.delete()[0]
        else:
            for row in live:
                row.delete()  # one by one, so the history says who deleted it and when
                deleted += 1
        # Every historical row, including the deletion just written, keeps only that the row existed.
        blanked = 0
        if history is not None:
            names = [name for name, rule in erased.items() if rule.how == DELETED]
            blanked = history.filter(_holding(history.model, names)).update(**_emptied(history.model, names))
        count(label, deleted=deleted, history=blanked)
    else:
        changed_live = 0
        for name, rule in erased.items():
            if rule.how == PSEUDONYM:
                field, changed, versions = model._meta.get_field(name), 0, 0
                for pk in live.values_list("pk", flat=True):
                    value = _pseudonym(field)
                    changed += model._base_manager.filter(pk=pk).update(**{name: value})
                    if history is not None:
                        versions += history.filter(id=pk).update(**{name: value})
                count(f"{label}.{name}", live=changed, history=versions)
            else:
                changed = _apply(live, name, rule)
                count(
                    f"{label}.{name}",
                    live=changed,
                    history=_apply(history, name, rule) if history is not None else 0,
                )
            changed_live += changed
        if changed_live and any(f.name == "version" for f in model._meta.concrete_fields):
            # An edit form opened before the erasure would write back what it showed: it gets a conflict.
            live.update(version=models.F("version") + 1)
    if history is not None:
        for name, rule in HISTORY.items():
            if rule.erases:
                count(f"{label}.{name}", history=_apply(history, name, rule))


def _only_theirs(model, collected: list[Collected]) -> set:
    """Ids of the rows of `model` (not itself a kind of the survivor's records) that the survivor's
    records point to, live or in their history, and that no other record points to, such as an
    accused person named only in this survivor's cases. Two queries per table pointing to it."""
    theirs_by_kind = {c.kind.model: set(c.rows) | set(c.history) for c in collected}
    links = []  # (a table pointing to `model`, its key, the survivor's ids in it, the column)
    for other in apps.get_models():
        if is_history_model(other):
            continue
        for fk in other._meta.concrete_fields:
            if fk.is_relation and fk.related_model is model:
                ids = theirs_by_kind.get(other, set())
                links.append((other._base_manager.all(), "pk", ids, fk.attname))
                if has_history(other):
                    links.append((other.history.all(), "id", ids, fk.attname))
    theirs = set()
    for table, key, ids, column in links:
        theirs |= set(table.filter(**{f"{key}__in": ids}).values_list(column, flat=True))
    theirs.discard(None)
    others = set()
    for table, key, ids, column in links:
        rest = table.exclude(**{f"{key}__in": ids}).filter(**{f"{column}__in": theirs})
        others |= set(rest.values_list(column, flat=True))
    return theirs - others


def erase_survivor(*, acting_user, survivor: Survivor, reason: str) -> Erasure:
    """Erase the survivor as dataprotection.erasure_rules says, in the live and the history tables:
    identity, documents and name index deleted, every free-text note "[erased]", details the counts
    do not need generalised; keep the survivor's anonymous key, cases, dated events and categories
    (so published counts do not move), and write an Erasure tombstone of what kind of data went, how
    much, when, by whom and why. All or nothing.

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
        # Found before anything changes: what the survivor's records point to.
        kinds = {c.kind.model for c in collected}
        pointed_to = [
            (model, _only_theirs(model, collected))
            for model in (apps.get_model(label) for label in sorted(RULES))
            if model not in kinds and erased_fields(model)
        ]
        for c in collected:
            model = c.kind.model
            if not (erased_fields(model) or c.kind.has_history):
                continue  # nothing to erase (an access record, the tombstones)
            history = model.history.filter(id__in=set(c.rows) | set(c.history)) if c.kind.has_history else None
            _erase_kind(model, model._base_manager.filter(pk__in=c.rows), history, count)
        for model, ids in pointed_to:
            history = model.history.filter(id__in=ids) if has_history(model) else None
            _erase_kind(model, model._base_manager.filter(pk__in=ids), history, count)
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
