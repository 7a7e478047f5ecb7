"""The tamper-evident audit chain: every access record, erasure and retention run, hashed in order.

Each record gets one AuditChainLink, written in the transaction that writes the record. Its
`record_digest` is the SHA-256 of a canonical serialisation of the record (ids, action, moments,
counts: never personal data, and not the IP address, whose hash could be reversed by trying them
all), and its `hash` is SHA-256(previous hash + record digest). Changing, removing or reordering a
record or a link after the fact breaks the chain from there on, which `verify_audit` finds.

What the chain cannot show on its own: someone who rewrites every link after the one they change.
`verify_audit` prints the hash at the head of the chain; kept somewhere else (the operations log),
it pins everything before it.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice

from django.db import connection
from django.db.models import Exists, OuterRef

from dataprotection.models import AuditChainLink, Erasure, RetentionRun
from survivors.models import AccessRecord

GENESIS = "0" * 64
# The key of the PostgreSQL advisory lock that serialises appends (any constant no other code uses).
CHAIN_LOCK = 0x6175646974636861  # "auditcha"
Kind = AuditChainLink.Kind


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def access_fields(record) -> dict:
    return {
        "id": record.pk,
        "user": record.user_id,
        "at": _moment(record.at),
        "survivor": record.survivor_id,
        "case": record.case_id,
        "action": record.action,
        "subject": record.subject,
    }


def erasure_fields(record) -> dict:
    return {
        "id": record.pk,
        "survivor": record.survivor_id,
        "erased_at": _moment(record.erased_at),
        "erased_by": record.erased_by_id,
        "reason": record.reason,
        "removed": record.removed,
    }


def retention_fields(record) -> dict:
    return {
        "id": record.pk,
        "run_on": _day(record.run_on),
        "ran_at": _moment(record.ran_at),
        "cutoff": _day(record.cutoff),
        "anonymised": record.anonymised,
        "held": record.held,
    }


# What each kind of link points to, and which of its fields the digest covers.
CHAINED: dict[str, tuple[type, Callable[[object], dict]]] = {
    Kind.ACCESS: (AccessRecord, access_fields),
    Kind.ERASURE: (Erasure, erasure_fields),
    Kind.RETENTION: (RetentionRun, retention_fields),
}


def record_digest(kind: str, record) -> str:
    """SHA-256 of the record's canonical serialisation: its kind and fields as sorted, compact JSON."""
    fields = CHAINED[kind][1](record)
    canonical = json.dumps({"kind": str(kind), **fields}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def link_hash(previous_hash: str, digest: str) -> str:
    return hashlib.sha256((previous_hash + digest).encode()).hexdigest()


def chain_append(*, kind: str, record) -> AuditChainLink:
    """Chain `record` (just saved, in the caller's transaction) after the last link.

    The advisory lock is held until the caller's transaction ends, so two writers cannot both read
    the same last link and fork the chain; the next one reads this link once it is committed.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("chain_append runs inside the transaction that writes the record.")
    digest = record_digest(kind, record)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditChainLink.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence, previous = (last["sequence"] + 1, last["hash"]) if last else (1, GENESIS)
    return AuditChainLink.objects.create(
        sequence=sequence,
        kind=kind,
        record_id=record.pk,
        record_digest=digest,
        previous_hash=previous,
        hash=link_hash(previous, digest),
    )


# ---- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None  # the link that is broken (None: a record that was never chained)
    message: str

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class ChainReport:
    verified: int
    head: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _batches(links: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(links, size)):
        yield batch


def _describe(link) -> str:
    return f"link {link.sequence} ({Kind(link.kind).label.lower()} {link.record_id})"


def chain_verify(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order and check each link against the one before it and the record it names.

    Returns the first problem found: a sequence gap (a link removed), a link that does not follow the
    one before it, a hash that does not match, a record missing or changed since it was chained; then
    any record never chained. Per batch of links: one query for the links, one per kind for the records.
    """
    expected, previous_hash, verified = 1, GENESIS, 0
    links = AuditChainLink.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for batch in _batches(links, batch_size):
        records = {}
        for kind, (model, _fields) in CHAINED.items():
            ids = [link.record_id for link in batch if link.kind == kind]
            records[kind] = model._base_manager.in_bulk(ids) if ids else {}
        for link in batch:
            problem = None
            if link.sequence != expected:
                problem = (
                    f"Link {expected} is missing: link {link.sequence} follows link {expected - 1}."
                    if link.sequence > expected
                    else f"Link {link.sequence} is out of order (expected {expected})."
                )
            elif link.previous_hash != previous_hash:
                problem = (
                    f"{_describe(link).capitalize()} does not follow link {expected - 1}: its previous hash differs."
                )
            elif link.hash != link_hash(link.previous_hash, link.record_digest):
                problem = (
                    f"{_describe(link).capitalize()}: its hash does not match its record digest (the link was changed)."
                )
            elif link.kind not in records:
                problem = f"{_describe(link).capitalize()}: unknown kind {link.kind!r}."
            elif (record := records[link.kind].get(link.record_id)) is None:
                problem = f"{_describe(link).capitalize()}: the record is missing (deleted after it was chained)."
            elif record_digest(link.kind, record) != link.record_digest:
                problem = f"{_describe(link).capitalize()}: the record was changed after it was chained."
            if problem:
                return ChainReport(verified=verified, head=previous_hash, problem=ChainProblem(link.sequence, problem))
            expected, previous_hash, verified = expected + 1, link.hash, verified + 1
    for kind, (model, _fields) in CHAINED.items():
        unchained = (
            model._base_manager.filter(~Exists(AuditChainLink.objects.filter(kind=kind, record_id=OuterRef("pk"))))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if unchained is not None:
            message = (
                f"{Kind(kind).label} {unchained} is not in the chain (written around it, or its link was removed)."
            )
            return ChainReport(verified=verified, head=previous_hash, problem=ChainProblem(None, message))
    return ChainReport(verified=verified, head=previous_hash, problem=None)
