"""The case page's timeline: everything that happened on a case, newest first.

One function per kind of record (as saleor's order events), each with the SELECT of the columns its line
is written from. All kinds are read in one UNION ALL statement, sorted by the database, so a case with
500 events costs one query, like a case with 5. At 500 events the page's time went on building model
instances and on gettext (each label, month name and sentence translated again for every row), so the
rows stay plain tuples and every label is translated once per process and language.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.db import connection
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from casework import choices, models
from navigators.models import User
from survivors.encryption import decrypt


@dataclass
class Entry:
    day: date
    kind: str  # a short key, also the CSS class
    title: str
    details: list[str] = field(default_factory=list)
    recorded_by: str = ""  # who recorded it, as the page names a person
    upcoming: bool = False
    key: str = ""  # unique on the page: the entry's anchor ("follow-up-12")
    day_text: str = ""  # the day as the page writes dates ("3 Mar 2025")


@dataclass(frozen=True)
class Kind:
    name: str
    select: str  # columns: rank, step, id, day, recorded by (user id), notes (encrypted), then the kind's own, all text
    entry: Callable[..., Entry]  # (words, id, day, notes, *own columns) -> Entry


KINDS: list[Kind] = []
OWN_COLUMNS = 5  # the most a kind selects of its own; the others are padded with NULLs for the UNION


def kind(
    name: str,
    *own: str,
    table: type,
    joins: str = "",
    day: str = "e.occurred_on",
    who: str = "e.recorded_by_id",
    notes: str = "e.notes",
    where: str = "e.case_id = %(case)s",
    step: str = "0",
):
    """Register the function below as the timeline's line for `table`'s rows (alias `e`) of one case.

    `step` orders the lines one record gives on the same day (a prosecution's charge, trial and outcome)."""
    columns = list(own) + ["NULL"] * (OWN_COLUMNS - len(own))
    select = (
        f"SELECT {len(KINDS)} AS rank, {step} AS step, e.id, {day} AS day, {who} AS who, {notes} AS notes, "
        f"{', '.join(columns)} "
        f"FROM {table._meta.db_table} e {joins} WHERE {where}"
    )

    def register(entry):
        KINDS.append(Kind(name, select, entry))
        return entry

    return register


class Words:
    """The active language's labels and dates, each translated once per process (see the module's docstring)."""

    def __init__(self, language):
        self.language = language
        self._labels = {}  # by id(choice class): hashing an enum class costs more than the rest of a label

    def __call__(self, msgid: str) -> str:
        return _translated(msgid, self.language)

    def label(self, choice_class, value) -> str:
        labels = self._labels.get(id(choice_class))
        if labels is None:
            labels = self._labels[id(choice_class)] = _labels(choice_class, self.language)
        return labels.get(value, value)

    def day(self, day: date) -> str:
        """As the template filter `date:"j M Y"` writes it."""
        return f"{day.day} {_months(self.language)[day.month]} {day.year}"


@functools.cache
def _translated(msgid, language):
    return gettext(msgid)


@functools.cache
def _labels(choice_class, language) -> dict:
    return {value: str(label) for value, label in choice_class.choices}


@functools.cache
def _months(language) -> dict:
    return {month: str(name).title() for month, name in MONTHS_3.items()}


def _notes(token) -> list[str]:
    return [decrypt(token)] if token else []


@kind(
    "follow-up",
    "e.mode",
    "e.outcome",
    "array_to_string(e.purposes, ',')",
    "NULLIF(e.duration_minutes, 0)::text",
    "e.next_due_on::text",
    table=models.FollowUp,
)
def follow_up(words, pk, day, notes, mode, outcome, purposes, minutes, next_due):
    details = [", ".join(words.label(choices.FollowUpPurpose, p) for p in purposes.split(","))] if purposes else []
    if minutes:
        details.append(words(gettext_noop("%(minutes)s minutes")) % {"minutes": minutes})
    if next_due:
        details.append(
            words(gettext_noop("Next follow-up due %(day)s")) % {"day": words.day(date.fromisoformat(next_due))}
        )
    title = words(gettext_noop("Follow-up (%(mode)s): %(outcome)s")) % {
        "mode": words.label(choices.FollowUpMode, mode),
        "outcome": words.label(choices.FollowUpOutcome, outcome),
    }
    return Entry(day, "follow-up", title, details + _notes(notes))


@kind("support", "e.service_type", table=models.SupportService)
def support(words, pk, day, notes, service_type, *_):
    title = words(gettext_noop("Support: %(type)s")) % {"type": words.label(choices.SupportServiceType, service_type)}
    return Entry(day, "support", title, _notes(notes))


@kind(
    "assessment",
    "concat_ws(',', " + ", ".join(f"e.{d}" for d in models.WellbeingAssessment.DOMAINS) + ")",
    table=models.WellbeingAssessment,
    notes="NULL",
)
def assessment(words, pk, day, notes, scores, *_):
    labels = [_domain_name(d, words.language) for d in models.WellbeingAssessment.DOMAINS]
    return Entry(
        day,
        "assessment",
        words(gettext_noop("Wellbeing assessment")),
        [", ".join(f"{label} {score}" for label, score in zip(labels, scores.split(","), strict=True))],
    )


@functools.cache
def _domain_name(domain, language) -> str:
    return str(models.WellbeingAssessment._meta.get_field(domain).verbose_name)


@kind("engagement", "e.level::text", "e.is_withdrawal::text", table=models.PoliceEngagementEvent)
def engagement(words, pk, day, notes, level, is_withdrawal, *_):
    title = (
        gettext_noop("Police engagement withdrawn to: %(level)s")
        if is_withdrawal == "true"
        else gettext_noop("Police engagement: %(level)s")
    )
    return Entry(
        day, "engagement", words(title) % {"level": words.label(choices.EngagementLevel, int(level))}, _notes(notes)
    )


@kind("nrm", "e.status", "e.first_responder", "e.competent_authority", table=models.NrmEvent)
def nrm(words, pk, day, notes, status, first_responder, authority, *_):
    details = [d for d in (first_responder, authority and words.label(choices.CompetentAuthority, authority)) if d]
    return Entry(
        day,
        "nrm",
        words(gettext_noop("NRM: %(status)s")) % {"status": words.label(choices.NrmStatus, status)},
        details + _notes(notes),
    )


@kind("stage", "e.stage", "e.closure_reason", table=models.StageChange)
def stage(words, pk, day, notes, stage, closure_reason, *_):
    details = [words.label(choices.ClosureReason, closure_reason)] if closure_reason else []
    return Entry(
        day,
        "stage",
        words(gettext_noop("Stage: %(stage)s")) % {"stage": words.label(choices.Stage, stage)},
        details + _notes(notes),
    )


@kind("retrafficking", table=models.RetraffickingEvent)
def retrafficking(words, pk, day, notes, *_):
    return Entry(day, "retrafficking", words(gettext_noop("Re-trafficked")), _notes(notes))


@kind("rescue", "e.support_type", table=models.RemovalFromExploitation)
def rescue(words, pk, day, notes, support_type, *_):
    title = words(gettext_noop("Removed from exploitation (team support: %(support)s)")) % {
        "support": words.label(choices.TeamSupportType, support_type)
    }
    return Entry(day, "rescue", title, _notes(notes))


@kind(
    "arrest",
    "a.reference",
    "e.support_type",
    table=models.Arrest,
    joins=f"JOIN {models.AccusedPerson._meta.db_table} a ON a.id = e.accused_id",
)
def arrest(words, pk, day, notes, accused, support_type, *_):
    title = words(gettext_noop("Arrest of %(accused)s (team support: %(support)s)")) % {
        "accused": accused,
        "support": words.label(choices.TeamSupportType, support_type),
    }
    return Entry(day, "arrest", title, _notes(notes))


# A prosecution is up to three lines: charged, trial started, outcome, each on its own day.
@kind(
    "legal",
    "step.name",
    "a.reference",
    "e.offence",
    "e.outcome",
    "e.sentence",
    table=models.Prosecution,
    day="step.day",
    notes="NULL",
    joins=f"JOIN {models.AccusedPerson._meta.db_table} a ON a.id = e.accused_id CROSS JOIN LATERAL "
    "(VALUES ('charged', e.charged_on, 1), ('trial', e.trial_started_on, 2), ('outcome', e.outcome_on, 3)) AS step(name, day, n)",
    where="e.case_id = %(case)s AND step.day IS NOT NULL",
    step="step.n",
)
def legal(words, pk, day, notes, step, accused, offence, outcome, sentence):
    name = {"accused": accused, "offence": offence}
    if step == "charged":
        title, details = words(gettext_noop("%(accused)s charged: %(offence)s")) % name, []
    elif step == "trial":
        title, details = words(gettext_noop("Trial of %(accused)s started")) % name, []
    else:
        title = words(gettext_noop("Prosecution of %(accused)s: %(outcome)s")) % {
            **name,
            "outcome": words.label(choices.ProsecutionOutcome, outcome),
        }
        details = [sentence] if sentence else []
    return Entry(day, "legal", title, details, key=f"{step}-{pk}")


@kind(
    "court",
    "e.kind",
    "a.reference",
    table=models.CourtHearing,
    day="e.scheduled_for",
    who="NULL::bigint",
    joins=f"JOIN {models.Prosecution._meta.db_table} p ON p.id = e.prosecution_id "
    f"JOIN {models.AccusedPerson._meta.db_table} a ON a.id = p.accused_id",
    where="p.case_id = %(case)s",
)
def court(words, pk, day, notes, hearing_kind, accused, *_):
    title = words(gettext_noop("Court: %(kind)s (%(accused)s)")) % {
        "kind": words.label(choices.CourtHearingKind, hearing_kind),
        "accused": accused,
    }
    return Entry(day, "court", title, _notes(notes))


@kind(
    "repatriation",
    "r.sending_country_id",
    "r.receiving_country_id",
    "e.stage",
    table=models.RepatriationStep,
    joins=f"JOIN {models.Repatriation._meta.db_table} r ON r.id = e.repatriation_id",
    where="r.case_id = %(case)s",
)
def repatriation_step(words, pk, day, notes, sending, receiving, stage, *_):
    title = words(gettext_noop("Repatriation %(route)s: %(stage)s")) % {
        "route": f"{sending} → {receiving}",
        "stage": words.label(choices.RepatriationStage, stage),
    }
    return Entry(day, "repatriation", title, _notes(notes))


# Newest first; on one day the later-recorded first, and the kinds in the order above.
TIMELINE_SQL = (
    "SELECT t.*, u.username, u.first_name, u.last_name FROM ("
    + " UNION ALL ".join(k.select for k in KINDS)
    + f") t LEFT JOIN {User._meta.db_table} u ON u.id = t.who ORDER BY t.day DESC, t.id DESC, t.rank, t.step"
)


def case_timeline(case, *, today) -> list[Entry]:
    """Every record of the case as a dated entry, newest first (court dates ahead included, marked upcoming)."""
    words = Words(get_language())
    with connection.cursor() as cursor:
        cursor.execute(TIMELINE_SQL, {"case": case.pk})
        rows = cursor.fetchall()
    entries = []
    for rank, _step, pk, day, _who, notes, *own, username, first_name, last_name in rows:
        line = KINDS[rank]
        entry = line.entry(words, pk, day, notes, *own)
        entry.key = entry.key or f"{line.name}-{pk}"
        entry.day_text = words.day(day)
        entry.recorded_by = f"{first_name} {last_name}".strip() or username or ""  # as User.__str__
        entry.upcoming = line.name == "court" and day >= today
        entries.append(entry)
    return entries


def _lines(text: str) -> str:
    """As the template filter `linebreaksbr` writes text: escaped, a <br> at each line break."""
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def timeline_html(entries: list[Entry]) -> SafeString:
    """The timeline's list items, written here in one pass rather than by a template loop: at 500 entries
    the loop's ten tags an entry cost more than everything else on the page (docs/benchmarks.md)."""
    upcoming = f' · <span class="tag">{escape(gettext("Upcoming"))}</span>'
    return mark_safe(
        "\n".join(
            f'<li id="entry-{e.key}" class="{e.kind}{" upcoming" if e.upcoming else ""}">'
            f'<div class="when"><time datetime="{e.day.isoformat()}">{escape(e.day_text)}</time>{upcoming if e.upcoming else ""}'
            f"{' · ' + escape(e.recorded_by) if e.recorded_by else ''}</div>"
            f'<div class="what">{escape(e.title)}</div>'
            + "".join(f"<div>{_lines(line)}</div>" for line in e.details)
            + "</li>"
            for e in entries
        )
    )
