"""Publishing a period's headline table, and restating it when the records behind it change.

A published table is frozen: its values, the rules version and a fingerprint of the records behind
the figures are stored and never change (reporting.models.PublishedReport). Recomputing it later
(a backdated entry, a correction) gives a restatement: every figure whose value moved, old and new,
and the records changed since publication that fall in the period, so nobody silently publishes two
different numbers for the same half-year.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import models as casework
from reporting import models as reporting
from reporting.figures import HeadlineReport, ReportPeriod
from reporting.headline import headline_report
from reporting.indicators import HEADLINE_INDICATORS
from reporting.models import PublishedReport


def records_fingerprint(period: ReportPeriod, report: HeadlineReport) -> str:
    """A digest of every contribution behind the headline figures (indicator, country, subject, amount)
    and of the outcome figures. One query."""
    lines = " UNION ALL ".join(
        f"SELECT '{i.id}:' || country_id || ':' || subject_id || ':' || amount AS line FROM ({i.sql}) AS c{n}"
        for n, i in enumerate(HEADLINE_INDICATORS)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT md5(coalesce(string_agg(line, ',' ORDER BY line), '')) FROM ({lines}) AS lines",
            {"start": period.start, "end": period.end},
        )
        contributions = cursor.fetchone()[0]
    outcomes = json.dumps(report.as_dict()["outcomes"], sort_keys=True)
    return hashlib.sha256(f"{contributions}|{outcomes}".encode()).hexdigest()


def period_publish(*, acting_user, period: ReportPeriod, notes: str = "") -> PublishedReport:
    """Freeze the period's table as it computes now. A period is published once."""
    if PublishedReport.objects.filter(period_start=period.start, period_end=period.end).exists():
        raise ValidationError(_("This period is already published; its restatement page shows any change since."))
    if period.end >= timezone.localdate():
        raise ValidationError(_("A period can be published only once it has ended."))
    with transaction.atomic():
        report = headline_report(period)
        return PublishedReport.objects.create(
            label=period.label or f"{period.start} – {period.end}",
            period_start=period.start,
            period_end=period.end,
            rules_version=report.rules_version,
            fingerprint=records_fingerprint(period, report),
            table=report.as_dict(),
            published_by=acting_user,
            notes=notes,
        )


# ---- restatement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureChange:
    figure: str  # e.g. "Survivors cared for · GB"
    old: object
    new: object


@dataclass(frozen=True)
class RecordChange:
    kind: str
    record_id: int
    change: str  # created, changed, deleted
    day: date | None
    changed_at: datetime


@dataclass
class Restatement:
    published: PublishedReport
    current: HeadlineReport
    figures: list[FigureChange]
    records: list[RecordChange]
    fingerprint_changed: bool
    rules_changed: bool

    @property
    def restated(self) -> bool:
        return bool(self.figures)


def _figures(table: dict) -> dict[str, object]:
    """Every figure of a report's JSON form, by a readable name."""
    figures = {}
    for row in table["indicators"]:
        label = row["label"]
        for country, value in row["by_country"].items():
            figures[f"{label} · {country}"] = value
        figures[f"{label} · direct work"] = row["direct_total"]
        figures[f"{label} · comparator"] = row["comparator_value"]
        figures[f"{label} · growth %"] = row["growth_pct"]
        for partner in row["partners"]:
            figures[f"{label} · {partner['partner']}"] = partner["value"]
        figures[f"{label} · incl. funded joint ops"] = row["incl_funded_joint_ops"]
    for row in table["outcomes"]:
        columns = {**row["by_country"], "direct work": row["direct_total"]}
        for column, ratio in columns.items():
            figures[f"{row['label']} · {column}"] = (
                ratio["numerator"] if ratio["denominator"] is None else f"{ratio['numerator']}/{ratio['denominator']}"
            )
    return figures


# Where a published figure can come from: the model, the date that places a record in a period, a name.
SOURCES = [
    (casework.FollowUp, "occurred_on", _("Follow-up")),
    (casework.SupportService, "occurred_on", _("Support service")),
    (casework.RemovalFromExploitation, "occurred_on", _("Removal from exploitation")),
    (casework.Arrest, "occurred_on", _("Arrest")),
    (casework.Prosecution, "trial_started_on", _("Prosecution")),
    (casework.Repatriation, "arrived_on", _("Repatriation")),
    (casework.StageChange, "occurred_on", _("Stage change")),
    (casework.PoliceEngagementEvent, "occurred_on", _("Police-engagement event")),
    (casework.WellbeingAssessment, "occurred_on", _("Wellbeing assessment")),
    (casework.RetraffickingEvent, "occurred_on", _("Re-trafficking event")),
    (reporting.TrainingSession, "held_on", _("Training session")),
    (reporting.PreventionSession, "held_on", _("Prevention session")),
    (reporting.AggregateReturn, "period_start", _("Aggregate return")),
]
CHANGE = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
RECORDS_SHOWN = 200  # per kind of record; the page says when there are more


def records_changed_since(published: PublishedReport) -> list[RecordChange]:
    """Records in or before the period written (created, changed, deleted) after publication.

    Read from the audit history, so a record moved out of the period, or deleted, still shows. One query
    per kind of record. Names only the record, never its content.
    """
    changes = []
    for model, day_field, kind in SOURCES:
        rows = (
            model.history.filter(history_date__gt=published.published_at, **{f"{day_field}__lte": published.period_end})
            .order_by("-history_date")
            .values_list("id", "history_type", day_field, "history_date")[:RECORDS_SHOWN]
        )
        changes += [RecordChange(str(kind), pk, str(CHANGE[t]), day, at) for pk, t, day, at in rows]
    return sorted(changes, key=lambda change: change.changed_at, reverse=True)


def restatement(published: PublishedReport) -> Restatement:
    period = ReportPeriod(published.table["period"]["label"], published.period_start, published.period_end)
    current = headline_report(period)
    old, new = _figures(published.table), _figures(current.as_dict())
    figures = [
        FigureChange(name, old.get(name), new.get(name)) for name in {**old, **new} if old.get(name) != new.get(name)
    ]
    return Restatement(
        published=published,
        current=current,
        figures=figures,
        records=records_changed_since(published),
        fingerprint_changed=records_fingerprint(period, current) != published.fingerprint,
        rules_changed=current.rules_version != published.rules_version,
    )
