"""Reads of data protection: everything held about one survivor, legal holds, what retention is due.

What belongs to a survivor is found from the models themselves rather than a list kept by hand:
every model with a foreign key to the survivor, then every model with a foreign key to one of those
(a case, then its care plan, prosecutions, repatriations…), and so on. A new kind of case record is
included in subject access and erasure the day its model is added.
"""

import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.choices import ProsecutionOutcome, Stage
from casework.models import Case, Prosecution
from dataprotection.access import is_data_protection_lead
from dataprotection.conf import retention_years
from dataprotection.models import Erasure, LegalHold, RetentionRun
from survivors.models import PossibleDuplicate, Survivor

# Who may reach a case (django-guardian's rows) is about staff, not about the survivor: not part of
# their record. simple-history's copies are reached through the models they copy.
NOT_SURVIVOR_DATA = (UserObjectPermissionBase, GroupObjectPermissionBase)


def is_history_model(model) -> bool:
    """Whether `model` is one of simple-history's historical tables."""
    return hasattr(model, "instance_type")  # simple-history's historical models carry it


def has_history(model) -> bool:
    """Whether `model` keeps a simple-history table of its changes."""
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


@dataclass(frozen=True)
class RecordKind:
    """A model holding data about a survivor, and the foreign keys through which its rows are theirs."""

    model: type[models.Model]
    links: tuple[models.ForeignKey, ...]  # to the survivor, or to a kind found before this one

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def has_history(self) -> bool:
        return has_history(self.model)


@functools.cache
def survivor_record_kinds() -> tuple[RecordKind, ...]:
    """Survivor first, then every model reaching it through foreign keys, nearest first (breadth-first)."""
    candidates = sorted(
        (m for m in apps.get_models() if not is_history_model(m) and not issubclass(m, NOT_SURVIVOR_DATA)),
        key=lambda m: m._meta.label,
    )
    found: dict[type, list] = {Survivor: []}
    queue = [Survivor]
    while queue:
        target = queue.pop(0)
        for model in candidates:
            for fk in model._meta.concrete_fields:
                if fk.is_relation and fk.related_model is target:
                    if model not in found:
                        found[model] = []
                        queue.append(model)
                    found[model].append(fk)
    return tuple(RecordKind(model, tuple(links)) for model, links in found.items())


def _theirs(kind: RecordKind, survivor: Survivor, ids: dict, *, history: bool) -> Q | None:
    """The rows of `kind` that are the survivor's, through any link to a kind already collected (None: none can be)."""
    if kind.model is Survivor:
        return Q(id=survivor.pk) if history else Q(pk=survivor.pk)
    condition = None
    for fk in kind.links:
        if fk.related_model in ids:
            # Historical rows keep the foreign key's column (without its constraint), so the same name works.
            link = Q(**{f"{fk.attname}__in": sorted(ids[fk.related_model])})
            condition = link if condition is None else condition | link
    return condition


@dataclass
class Collected:
    kind: RecordKind
    rows: list  # live rows, by id
    history: list  # historical rows, oldest first


def collect(survivor: Survivor, *, ids_only: bool = False) -> list[Collected]:
    """Every row about the survivor, live and in the history tables, kind by kind.

    Two queries per kind with history (live rows, historical rows), one per kind without, whatever
    the number of rows: each kind's rows are those linked to the ids found for the kinds before it,
    live or historical, so a deleted care plan's goals are still found through the plan's history.
    With `ids_only`, rows are ids (what erasure needs).
    """
    ids: dict[type, set] = {}
    collected = []
    for kind in survivor_record_kinds():
        live_condition = _theirs(kind, survivor, ids, history=False)
        if live_condition is None:  # nothing it could belong to was found: no query needed
            collected.append(Collected(kind, [], []))
            ids[kind.model] = set()
            continue
        live = kind.model._base_manager.filter(live_condition).order_by("pk")
        rows = list(live.values_list("pk", flat=True) if ids_only else live)
        history = []
        if kind.has_history:
            past = kind.model.history.filter(_theirs(kind, survivor, ids, history=True))
            history = list(
                past.order_by("id").values_list("id", flat=True).distinct()
                if ids_only
                else past.order_by("history_date", "history_id")
            )
        found = set(rows if ids_only else (row.pk for row in rows)) | set(
            history if ids_only else (row.id for row in history)
        )
        ids[kind.model] = found
        collected.append(Collected(kind, rows, history))
    return collected


# ---- subject access ------------------------------------------------------------------------------


@dataclass
class ShownRecord:
    id: int
    fields: dict  # name -> value as stored (ids for foreign keys)
    shown: list[tuple[str, str]]  # (label, value as read)
    deleted: bool = False  # only in the history tables now
    history: list[dict] = field(default_factory=list)  # {"fields", "shown", "when", "change", "by"}


@dataclass
class ShownKind:
    label: str  # app_label.Model
    name: str  # verbose name, plural
    records: list[ShownRecord]
    singular: str = ""  # verbose name, for one record


@dataclass
class SubjectAccess:
    survivor: Survivor
    generated_at: datetime
    kinds: list[ShownKind]

    @property
    def held(self) -> list[ShownKind]:
        return [kind for kind in self.kinds if kind.records]

    @property
    def nothing_held(self) -> list[ShownKind]:
        return [kind for kind in self.kinds if not kind.records]

    def as_json(self) -> str:
        """The machine-readable form: every kind, every record with its fields and its history, values as stored."""
        document = {
            "survivor": self.survivor.case_reference,
            "generated_at": self.generated_at,
            "records": {
                kind.label: [
                    {
                        "id": record.id,
                        "deleted": record.deleted,
                        "fields": record.fields,
                        "history": [
                            {
                                "when": row["when"],
                                "change": row["change_code"],
                                "by": row["by_id"],
                                "fields": row["fields"],
                            }
                            for row in record.history
                        ],
                    }
                    for record in kind.records
                ]
                for kind in self.kinds
            },
        }
        return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


HISTORY_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
CHANGE = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _data_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in HISTORY_BOOKKEEPING]


def _choice_label(field, value):
    choices = dict(field.flatchoices) if field.choices else {}
    return str(choices.get(value, value))


def _shown(field, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value)) or f"{field.related_model._meta.verbose_name} #{value}"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, (list, tuple)):
        base = getattr(field, "base_field", field)
        return ", ".join(_choice_label(base, item) for item in value)
    if field.choices:
        return _choice_label(field, value)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _related_names(collected: list[Collected]) -> dict:
    """The names of the people, teams, countries… the rows point to: one query per model pointed to."""
    tree = {c.kind.model for c in collected}
    wanted: dict[type, set] = {}
    for c in collected:
        models_and_rows = [(c.kind.model, c.rows)]
        if c.history:
            models_and_rows.append((type(c.history[0]), c.history))
        for model, rows in models_and_rows:
            for fk in model._meta.concrete_fields:
                if fk.is_relation and fk.related_model not in tree:
                    wanted.setdefault(fk.related_model, set()).update(
                        value for row in rows if (value := getattr(row, fk.attname)) is not None
                    )
    names = {}
    for model, ids in sorted(wanted.items(), key=lambda item: item[0]._meta.label):
        if ids:
            names.update({(model, pk): str(obj) for pk, obj in model._base_manager.in_bulk(sorted(ids)).items()})
    return names


def _record_values(row, fields, names) -> tuple[dict, list]:
    values = {f.name: f.value_from_object(row) for f in fields}
    return values, [(str(f.verbose_name), _shown(f, values[f.name], names)) for f in fields]


def subject_access(survivor: Survivor) -> SubjectAccess:
    """Everything held about the survivor, with its history: what a subject access request is answered with.

    A fixed number of queries: two per kind of record (live and history), one per model their rows
    point to (people, teams, countries), whatever the number of rows.
    """
    collected = collect(survivor)
    names = _related_names(collected)
    kinds = []
    for c in collected:
        fields = _data_fields(c.kind.model)
        records = {}
        for row in c.rows:
            values, shown = _record_values(row, fields, names)
            records[row.pk] = ShownRecord(id=row.pk, fields=values, shown=shown)
        if c.history:
            historical = type(c.history[0])._meta
            # In the live model's order (simple-history puts foreign keys last), so versions read alike.
            history_fields = [historical.get_field(f.name) for f in fields]
            user_field = type(c.history[0])._meta.get_field("history_user")
            for past in c.history:
                values, shown = _record_values(past, history_fields, names)
                record = records.get(past.id)
                if record is None:  # deleted since: known only from its history
                    record = records[past.id] = ShownRecord(id=past.id, fields=values, shown=shown, deleted=True)
                record.history.append(
                    {
                        "when": past.history_date,
                        "change_code": past.history_type,
                        "change": str(CHANGE.get(past.history_type, "")),
                        "by_id": past.history_user_id,
                        "by": _shown(user_field, past.history_user_id, names),
                        "fields": values,
                        "shown": shown,
                    }
                )
        # Every kind, also those holding nothing about this survivor: the answer says what was searched.
        kinds.append(
            ShownKind(
                c.kind.label,
                capfirst(c.kind.model._meta.verbose_name_plural),
                [records[pk] for pk in sorted(records)],
                singular=capfirst(c.kind.model._meta.verbose_name),
            )
        )
    return SubjectAccess(survivor=survivor, generated_at=timezone.now(), kinds=kinds)


# ---- the data protection lead's pages -------------------------------------------------------------


def dpl_survivor(user, survivor_id) -> Survivor:
    """Any survivor, for a data protection lead (their role is the whole rule); 404 for a survivor that does not exist."""
    if not is_data_protection_lead(user):
        raise Http404("No such survivor.")
    survivor = Survivor.objects.filter(pk=survivor_id).first()
    if survivor is None:
        raise Http404("No such survivor.")
    return survivor


def survivor_by_reference(reference: str) -> Survivor | None:
    """The survivor with this case reference (as typed: spaces and case ignored)."""
    reference = reference.strip().upper()
    return Survivor.objects.filter(case_reference=reference).first() if reference else None


def ongoing_prosecutions(survivor: Survivor) -> QuerySet[Prosecution]:
    """The survivor's prosecutions not yet concluded: each holds the record from erasure."""
    return (
        Prosecution.objects.filter(case__survivor=survivor, outcome=ProsecutionOutcome.ONGOING)
        .select_related("case__team")
        .order_by("id")
    )


def holds_in_force(survivor: Survivor) -> list[str]:
    """Why the survivor's record must be kept now, one sentence per hold (empty: it may be erased). Two queries."""
    reasons = [
        _("Legal hold set by %(who)s on %(when)s: %(reason)s")
        % {
            "who": hold.set_by,
            "when": formats.date_format(timezone.localtime(hold.set_at), "DATE_FORMAT"),
            "reason": hold.reason,
        }
        for hold in LegalHold.objects.filter(survivor=survivor, lifted_at__isnull=True).select_related("set_by")
    ]
    reasons += [
        _("A prosecution is ongoing on the case with %(team)s (prosecution #%(id)s).")
        % {"team": p.case.team, "id": p.pk}
        for p in ongoing_prosecutions(survivor)
    ]
    return [str(reason) for reason in reasons]


def survivor_overview(survivor: Survivor) -> dict:
    """What the survivor's data protection page shows: cases, holds (set and lifted), prosecutions holding it, erasures."""
    return {
        "cases": list(
            Case.objects.filter(survivor=survivor).select_related("team__country").order_by("opened_on", "id")
        ),
        "holds": list(LegalHold.objects.filter(survivor=survivor).select_related("set_by", "lifted_by")),
        "prosecutions": list(ongoing_prosecutions(survivor)),
        "erasures": [
            (erasure, describe_removed(erasure.removed))
            for erasure in Erasure.objects.filter(survivor=survivor).select_related("erased_by")
        ],
    }


def describe_removed(removed: dict) -> list[str]:
    """An erasure's counts in words: "Follow-ups, notes: 2 records, 3 earlier versions"."""
    lines = []
    for key, counts in sorted(removed.items()):
        app_label, model_name, *field_name = key.split(".")
        try:
            model = apps.get_model(app_label, model_name)
            what = capfirst(model._meta.verbose_name_plural)
            if field_name:
                # A history-only field (the reason given for a change) is on the historical model.
                fields = model.history.model._meta if field_name[0] in HISTORY_BOOKKEEPING else model._meta
                what = f"{what}, {fields.get_field(field_name[0]).verbose_name}"
        except (LookupError, FieldDoesNotExist):  # a model or field since removed: its key is still the truth
            what = key
        words = {
            "deleted": lambda n: ngettext("%(n)s deleted", "%(n)s deleted", n),
            "live": lambda n: ngettext("%(n)s record", "%(n)s records", n),
            "history": lambda n: ngettext("%(n)s version in the history", "%(n)s versions in the history", n),
        }
        numbers = [words[name](counts[name]) % {"n": counts[name]} for name in words if counts.get(name)]
        lines.append(f"{what}: {', '.join(numbers)}")
    return lines


def dpl_dashboard() -> dict:
    """The data protection lead's start page: holds in force, recent erasures and retention runs."""
    return {
        "holds": list(
            LegalHold.objects.filter(lifted_at__isnull=True)
            .select_related("survivor", "set_by")
            .order_by("-set_at")[:200]
        ),
        "erasures": list(Erasure.objects.select_related("survivor", "erased_by")[:50]),
        "runs": list(RetentionRun.objects.all()[:14]),
    }


# ---- retention ------------------------------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: date) -> date:
    """Survivors whose last case closed before this day are due (RETENTION_YEARS before today)."""
    return years_before(today, retention_years())


def on_hold() -> Q:
    """A survivor (in a Survivor query) with a legal hold in force or an ongoing prosecution on a case."""
    return Q(Exists(LegalHold.objects.filter(survivor=OuterRef("pk"), lifted_at__isnull=True))) | Q(
        Exists(Prosecution.objects.filter(case__survivor=OuterRef("pk"), outcome=ProsecutionOutcome.ONGOING))
    )


def survivors_due_for_retention(today: date) -> QuerySet[Survivor]:
    """Survivors with cases, all closed, the last before the cutoff, and not anonymised since it closed;
    `held` says whether a legal hold keeps them. One query."""
    cases = Case.objects.filter(survivor=OuterRef("pk"))
    return (
        Survivor.objects.filter(Exists(cases))
        .exclude(Exists(cases.exclude(stage=Stage.CLOSED)))
        .exclude(Exists(cases.filter(closed_on__gte=retention_cutoff(today))))
        .annotate(last_closed_on=Subquery(cases.order_by(F("closed_on").desc()).values("closed_on")[:1]))
        # Anonymised after their last case closed: nothing has been written since, so a second run changes nothing.
        .exclude(
            Exists(Erasure.objects.filter(survivor=OuterRef("pk"), erased_at__date__gte=OuterRef("last_closed_on")))
        )
        .annotate(held=ExpressionWrapper(on_hold(), output_field=BooleanField()))
        .order_by("pk")
    )


def possible_duplicates_to_review() -> QuerySet[PossibleDuplicate]:
    """Every possible duplicate put up at registration, the open ones first, with both survivors' references."""
    return PossibleDuplicate.objects.select_related("survivor", "match", "decided_by").order_by(
        models.Case(models.When(status=PossibleDuplicate.Status.OPEN, then=0), default=1), "-found_at", "-id"
    )


def open_possible_duplicate(review_id) -> PossibleDuplicate:
    """A possible duplicate still to be decided; 404 otherwise."""
    review = (
        PossibleDuplicate.objects.select_related("survivor", "match")
        .filter(pk=review_id, status=PossibleDuplicate.Status.OPEN)
        .first()
    )
    if review is None:
        raise Http404("No such possible duplicate to review.")
    return review
