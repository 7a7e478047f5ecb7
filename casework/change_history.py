"""A case's change history, read from the simple-history tables as "who changed what, from what to what".

One query per history table (and one per kind of linked record named in the changes), however many
versions there are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models as db
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework import models

# Each tracked record and how its history rows find the case.
TRACKED = [
    (models.Case, "id"),
    (models.CaseAssignment, "case"),
    (models.CarePlan, "case"),
    (models.CarePlanGoal, "care_plan__case"),
    (models.FollowUp, "case"),
    (models.SupportService, "case"),
    (models.WellbeingAssessment, "case"),
    (models.PoliceEngagementEvent, "case"),
    (models.NrmEvent, "case"),
    (models.StageChange, "case"),
    (models.RetraffickingEvent, "case"),
    (models.RemovalFromExploitation, "case"),
    (models.Arrest, "case"),
    (models.Prosecution, "case"),
    (models.CourtHearing, "prosecution__case"),
    (models.Repatriation, "case"),
    (models.RepatriationStep, "repatriation__case"),
]
# Bookkeeping, not something a caseworker changed.
SKIPPED = {
    "id",
    "recorded_at",
    "created_at",
    "version",
    "recorded_by",
    "opened_by",
    "case",
    "care_plan",
    "prosecution",
    "repatriation",
}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Version:
    at: datetime
    who: object
    record: str
    action: str
    changes: list[Change] = field(default_factory=list)
    is_creation: bool = False


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED]


def _show(f, value, names) -> str:
    if value in (None, "", []):
        return "—"
    if f.is_relation:
        return str(names.get((f.related_model, value), value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, db.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, list):  # array fields of choices
        labels = dict(getattr(f, "base_field", f).flatchoices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


def _related_names(rows_by_model) -> dict:
    """The display names of every linked record the history mentions: one query per kind of record."""
    wanted = defaultdict(set)
    for model, rows in rows_by_model.items():
        for f in _fields(model):
            if f.is_relation:
                wanted[f.related_model] |= {getattr(r, f.attname) for r in rows if getattr(r, f.attname) is not None}
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = (
                getattr(obj, "case_reference", None) or getattr(obj, "reference", None) or str(obj)
            )
    return names


def case_change_history(case, *, limit: int = 300) -> list[Version]:
    """Every version of every record of the case, newest first, with the fields each one changed."""
    rows_by_model = {
        model: list(
            model.history.filter(**{lookup: case.pk if lookup == "id" else case})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for model, lookup in TRACKED
    }
    names = _related_names(rows_by_model)
    versions = []
    for model, rows in rows_by_model.items():
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            changes = [
                Change(
                    str(f.verbose_name),
                    _show(f, getattr(before, f.attname), names) if before else "—",
                    _show(f, getattr(row, f.attname), names),
                )
                for f in _fields(model)
                if before is None
                and getattr(row, f.attname) not in (None, "", [])
                or before is not None
                and getattr(before, f.attname) != getattr(row, f.attname)
            ]
            previous[row.id] = row
            if row.history_type == "~" and not changes:
                continue
            versions.append(
                Version(
                    row.history_date,
                    row.history_user,
                    str(model._meta.verbose_name),
                    str(ACTIONS[row.history_type]),
                    changes,
                    row.history_type == "+",
                )
            )
    versions.sort(key=lambda v: v.at, reverse=True)
    return versions[:limit]
