"""The survivor's care: follow-ups, support services, the care plan and its goals, wellbeing
assessments, NRM steps (UK), removals from exploitation (rescues) and re-trafficking."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework import choices
from casework.models.cases import Case, CaseEvent, check_event_date
from navigators import plausible
from navigators.history import audit_history
from survivors.encryption import encrypted_note


class FollowUp(CaseEvent):
    mode = models.CharField(_("mode"), max_length=20, choices=choices.FollowUpMode.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=choices.FollowUpOutcome.choices, default=choices.FollowUpOutcome.REACHED
    )
    purposes = ArrayField(
        models.CharField(max_length=30, choices=choices.FollowUpPurpose.choices),
        verbose_name=_("purposes"),
        default=list,
        blank=True,
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration minutes"), null=True, blank=True, validators=[plausible.NumberRange(0, 24 * 60)]
    )
    notes = encrypted_note(_("notes"), blank=True)
    next_due_on = models.DateField(
        _("next follow-up due"), null=True, blank=True, validators=[plausible.validate_planned_date]
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            *CaseEvent.Meta.indexes,
            # A case's latest follow-up and the next one it set, from the index alone (no sort, no row):
            # the caseload's next-due column and overdue flag, the dashboard's overdue count, reminders.
            models.Index(fields=["case", "-occurred_on", "-id"], include=["next_due_on"], name="followup_latest"),
            # The headline report's support instances of a period (survivors cared for, the outcome
            # cohort, follow-ups conducted): the period's reached follow-ups and their cases from the
            # index alone, instead of reading all 2,000,000 follow-ups (tests/test_report_query_plans.py).
            models.Index(fields=["occurred_on", "case"], condition=Q(outcome="reached"), name="followup_reached_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due_on__isnull=True) | Q(next_due_on__gte=F("occurred_on")),
                name="follow_up_next_due_not_before_it",
                violation_error_message=_("The next follow-up cannot be due before this one."),
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} follow-up on {self.occurred_on}"

    def clean(self):
        super().clean()
        if self.next_due_on and self.occurred_on and self.next_due_on < self.occurred_on:
            raise ValidationError({"next_due_on": _("The next follow-up cannot be due before this one.")})


class SupportService(CaseEvent):
    """A support service delivered to the survivor (one specialist support instance)."""

    service_type = models.CharField(_("service type"), max_length=30, choices=choices.SupportServiceType.choices)
    notes = encrypted_note(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("support service")
        verbose_name_plural = _("support services")

    def __str__(self):
        return f"{self.get_service_type_display()} on {self.occurred_on}"


class CarePlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="care_plan", verbose_name=_("case"))
    started_on = models.DateField(_("started on"), validators=[plausible.validate_event_date])
    next_review_on = models.DateField(_("next review on"), validators=[plausible.validate_planned_date])
    last_reviewed_on = models.DateField(
        _("last reviewed on"), null=True, blank=True, validators=[plausible.validate_event_date]
    )
    summary = encrypted_note(_("summary"), blank=True)

    # Raised by each edit; an edit made from an older version is a conflict (navigators.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gte=F("started_on")),
                name="care_plan_review_after_start",
                violation_error_message=_("The review cannot be due before the plan started."),
            ),
        ]

    def __str__(self):
        return f"Care plan for {self.case}"

    def clean(self):
        check_event_date(self.case if self.case_id else None, self.started_on, field="started_on")
        if self.last_reviewed_on:
            check_event_date(self.case if self.case_id else None, self.last_reviewed_on, field="last_reviewed_on")
        if self.started_on and self.next_review_on and self.next_review_on < self.started_on:
            raise ValidationError({"next_review_on": _("The review cannot be due before the plan started.")})


class CarePlanGoal(models.Model):
    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("care plan"))
    domain = models.CharField(_("domain"), max_length=30, choices=choices.WellbeingDomain.choices)
    goal = encrypted_note(_("goal"))
    status = models.CharField(
        _("status"), max_length=20, choices=choices.GoalStatus.choices, default=choices.GoalStatus.NOT_STARTED
    )
    target_on = models.DateField(_("target on"), null=True, blank=True, validators=[plausible.validate_planned_date])

    history = audit_history()

    class Meta:
        verbose_name = _("care plan goal")
        verbose_name_plural = _("care plan goals")
        ordering = ["domain", "id"]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.goal[:40]}"


def _score_field(label):
    return models.PositiveSmallIntegerField(label, validators=[plausible.NumberRange(1, 4)])


class WellbeingAssessment(CaseEvent):
    """Scores each of the six domains from 1 (most vulnerable) to 4 (least)."""

    DOMAINS = [d.value for d in choices.WellbeingDomain]

    safety = _score_field(_("safety"))
    legal_protection = _score_field(_("legal protection"))
    mental_wellbeing = _score_field(_("mental wellbeing"))
    economic_empowerment = _score_field(_("economic empowerment and education"))
    social_support = _score_field(_("social support"))
    physical_wellbeing = _score_field(_("physical wellbeing"))

    class Meta(CaseEvent.Meta):
        verbose_name = _("wellbeing assessment")
        verbose_name_plural = _("wellbeing assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{d}__gte": 1, f"{d}__lte": 4}),
                name=f"assessment_{d}_score_1_to_4",
                violation_error_message=_("Each score is from 1 (most vulnerable) to 4 (least)."),
            )
            for d in choices.WellbeingDomain.values
        ]

    def __str__(self):
        return f"Wellbeing assessment on {self.occurred_on}"


class NrmEvent(CaseEvent):
    """A step in the UK National Referral Mechanism (GB cases only)."""

    status = models.CharField(_("status"), max_length=30, choices=choices.NrmStatus.choices)
    first_responder = models.CharField(_("first responder"), max_length=120, blank=True)
    competent_authority = models.CharField(
        _("competent authority"), max_length=10, choices=choices.CompetentAuthority.choices, blank=True
    )
    notes = encrypted_note(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("NRM event")
        verbose_name_plural = _("NRM events")

    def __str__(self):
        return f"{self.get_status_display()} on {self.occurred_on}"

    def clean(self):
        super().clean()
        if self.case_id and self.case.team.country_id != "GB":
            raise ValidationError(_("The National Referral Mechanism applies only to cases of UK teams."))


class RetraffickingEvent(CaseEvent):
    notes = encrypted_note(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("re-trafficking event")
        verbose_name_plural = _("re-trafficking events")

    def __str__(self):
        return f"Re-trafficked on {self.occurred_on}"


class RemovalFromExploitation(CaseEvent):
    """A rescue: the survivor was removed from exploitation, with what the team did to support it."""

    support_type = models.CharField(_("support type"), max_length=20, choices=choices.TeamSupportType.choices)
    notes = encrypted_note(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("removal from exploitation")
        verbose_name_plural = _("removals from exploitation")

    def __str__(self):
        return f"Removed from exploitation on {self.occurred_on}"
