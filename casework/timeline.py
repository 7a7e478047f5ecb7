"""The case page's timeline: everything that happened on a case, newest first.

One function per kind of record (as saleor's order events), each one query with its joins, so a case
with 500 events costs the same number of queries as a case with 5.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework import choices, models


@dataclass
class Entry:
    day: date
    kind: str  # a short key, also the CSS class
    title: str
    details: list[str] = field(default_factory=list)
    recorded_by: object = None
    upcoming: bool = False
    order: int = 0  # ties on one day: the later-recorded first


def _who(row):
    return getattr(row, "recorded_by", None)


def _events(model, case, *joins):
    return model.objects.filter(case=case).select_related("recorded_by", *joins)


def follow_ups(case):
    purposes = dict(choices.FollowUpPurpose.choices)
    for row in _events(models.FollowUp, case):
        details = [", ".join(str(purposes.get(p, p)) for p in row.purposes)] if row.purposes else []
        if row.duration_minutes:
            details.append(_("%(minutes)s minutes") % {"minutes": row.duration_minutes})
        if row.next_due_on:
            details.append(_("Next follow-up due %(day)s") % {"day": date_format(row.next_due_on)})
        if row.notes:
            details.append(row.notes)
        title = _("Follow-up (%(mode)s): %(outcome)s") % {"mode": row.get_mode_display(), "outcome": row.get_outcome_display()}
        yield Entry(row.occurred_on, "follow-up", title, details, _who(row), order=row.pk)


def support(case):
    for row in _events(models.SupportService, case):
        yield Entry(row.occurred_on, "support", _("Support: %(type)s") % {"type": row.get_service_type_display()},
                    [row.notes] if row.notes else [], _who(row), order=row.pk)


def assessments(case):
    for row in _events(models.WellbeingAssessment, case):
        scores = ", ".join(f"{models.WellbeingAssessment._meta.get_field(d).verbose_name} {getattr(row, d)}"
                           for d in models.WellbeingAssessment.DOMAINS)
        yield Entry(row.occurred_on, "assessment", _("Wellbeing assessment"), [scores], _who(row), order=row.pk)


def engagement(case):
    for row in _events(models.PoliceEngagementEvent, case):
        title = (_("Police engagement withdrawn to: %(level)s") if row.is_withdrawal
                 else _("Police engagement: %(level)s")) % {"level": row.get_level_display()}
        yield Entry(row.occurred_on, "engagement", title, [row.notes] if row.notes else [], _who(row), order=row.pk)


def nrm(case):
    for row in _events(models.NrmEvent, case):
        details = [d for d in (row.first_responder, row.get_competent_authority_display(), row.notes) if d]
        yield Entry(row.occurred_on, "nrm", _("NRM: %(status)s") % {"status": row.get_status_display()}, details, _who(row), order=row.pk)


def stages(case):
    for row in _events(models.StageChange, case):
        details = [row.get_closure_reason_display()] if row.closure_reason else []
        details += [row.notes] if row.notes else []
        yield Entry(row.occurred_on, "stage", _("Stage: %(stage)s") % {"stage": row.get_stage_display()}, details, _who(row), order=row.pk)


def retrafficking(case):
    for row in _events(models.RetraffickingEvent, case):
        yield Entry(row.occurred_on, "retrafficking", _("Re-trafficked"), [row.notes] if row.notes else [], _who(row), order=row.pk)


def rescues(case):
    for row in _events(models.RemovalFromExploitation, case):
        title = _("Removed from exploitation (team support: %(support)s)") % {"support": row.get_support_type_display()}
        yield Entry(row.occurred_on, "rescue", title, [row.notes] if row.notes else [], _who(row), order=row.pk)


def arrests(case):
    for row in _events(models.Arrest, case, "accused"):
        title = _("Arrest of %(accused)s (team support: %(support)s)") % {"accused": row.accused.reference, "support": row.get_support_type_display()}
        yield Entry(row.occurred_on, "arrest", title, [row.notes] if row.notes else [], _who(row), order=row.pk)


def prosecutions(case, today):
    for row in models.Prosecution.objects.filter(case=case).select_related("accused", "recorded_by").prefetch_related("hearings"):
        name = {"accused": row.accused.reference, "offence": row.offence}
        if row.charged_on:
            yield Entry(row.charged_on, "legal", _("%(accused)s charged: %(offence)s") % name, [], _who(row), order=row.pk)
        if row.trial_started_on:
            yield Entry(row.trial_started_on, "legal", _("Trial of %(accused)s started") % name, [], _who(row), order=row.pk)
        if row.outcome_on:
            details = [row.sentence] if row.sentence else []
            yield Entry(row.outcome_on, "legal", _("Prosecution of %(accused)s: %(outcome)s") % {**name, "outcome": row.get_outcome_display()},
                        details, _who(row), order=row.pk)
        for hearing in row.hearings.all():
            yield Entry(hearing.scheduled_for, "court", _("Court: %(kind)s (%(accused)s)") % {"kind": hearing.get_kind_display(), **name},
                        [hearing.notes] if hearing.notes else [], None, upcoming=hearing.scheduled_for >= today, order=hearing.pk)


def repatriation_steps(case):
    steps = models.RepatriationStep.objects.filter(repatriation__case=case).select_related("recorded_by", "repatriation")
    for row in steps:
        route = f"{row.repatriation.sending_country_id} → {row.repatriation.receiving_country_id}"
        yield Entry(row.occurred_on, "repatriation", _("Repatriation %(route)s: %(stage)s") % {"route": route, "stage": row.get_stage_display()},
                    [row.notes] if row.notes else [], _who(row), order=row.pk)


def case_timeline(case, *, today) -> list[Entry]:
    """Every record of the case as a dated entry, newest first (court dates ahead included, marked upcoming)."""
    entries = [
        *follow_ups(case), *support(case), *assessments(case), *engagement(case), *nrm(case), *stages(case),
        *retrafficking(case), *rescues(case), *arrests(case), *prosecutions(case, today), *repatriation_steps(case),
    ]
    return sorted(entries, key=lambda e: (e.day, e.order), reverse=True)
