from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework import choices
from navigators.countries import COUNTRY_CHOICES
from navigators.history import audit_history
from navigators.models import Country, Partner, Team
from survivors.encryption import EncryptedTextField
from survivors.models import Survivor


def check_event_date(case, day, field="occurred_on"):
    """An event cannot be in the future, nor before the survivor's case with this team opened."""
    if day is None:
        return
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if case is not None and case.opened_on and day < case.opened_on:
        raise ValidationError(
            {
                field: ValidationError(
                    _("This date is before the case opened (%(opened_on)s)."),
                    params={"opened_on": date_format(case.opened_on, "d M Y")},
                )
            }
        )


class Case(models.Model):
    """One team's casework with one survivor. A survivor cared for in two countries has two cases."""

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="cases", verbose_name=_("survivor"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    opened_on = models.DateField(_("opened on"))
    # The latest stage change, kept here by casework.services for caseload lists and filters.
    stage = models.CharField(_("stage"), max_length=20, choices=choices.Stage.choices, default=choices.Stage.CRISIS)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name=_("transferred from"),
        help_text=_("The other team's case this one continues (cross-border handover)."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        # Granted per case with django-guardian: view_case, change_case, and view_identity for those
        # who may also see who the survivor is (assigned Navigators and the country lead).
        permissions = [("view_identity", "Can see the survivor's identity through this case")]
        constraints = [
            models.UniqueConstraint(
                fields=["survivor", "team"],
                condition=~Q(stage="closed"),
                name="one_open_case_per_survivor_per_team",
                violation_error_message=_("This survivor already has an open case with this team."),
            ),
            models.CheckConstraint(
                condition=(Q(stage="closed") & Q(closed_on__isnull=False) & ~Q(closure_reason=""))
                | (~Q(stage="closed") & Q(closed_on__isnull=True) & Q(closure_reason="")),
                name="closed_cases_have_date_and_reason",
                violation_error_message=_("A closed case has a closing date and a reason; an open case has neither."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closes_after_opening",
                violation_error_message=_("A case cannot close before it opened."),
            ),
        ]

    def __str__(self):
        return f"{self.survivor.case_reference} · {self.team}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("casework:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage != choices.Stage.CLOSED

    def clean(self):
        if self.opened_on and self.opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("This date is in the future.")})
        if self.transferred_from_id and self.transferred_from.team_id == self.team_id:
            raise ValidationError({"transferred_from": _("A transfer goes to another team.")})


class CaseAssignment(models.Model):
    """A Navigator assigned to a case, dated so that reassignments leave a record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("case"))
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments", verbose_name=_("navigator")
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "navigator"],
                condition=Q(ended_on__isnull=True),
                name="one_current_assignment_per_navigator",
                violation_error_message=_("This Navigator is already assigned to this case."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_ends_after_it_starts",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.navigator} on {self.case}"


class CaseEvent(models.Model):
    """Something that happened on a case on a given day. The day decides the reporting period."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, verbose_name=_("case"))
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = audit_history(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-occurred_on", "-id"]
        # Serves the case timeline (newest first) and per-case "latest" look-ups.
        indexes = [models.Index(fields=["case", "-occurred_on"], name="%(class)s_day")]

    def clean(self):
        check_event_date(self.case if self.case_id else None, self.occurred_on)


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
        _("duration minutes"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    next_due_on = models.DateField(_("next follow-up due"), null=True, blank=True)

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
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("support service")
        verbose_name_plural = _("support services")

    def __str__(self):
        return f"{self.get_service_type_display()} on {self.occurred_on}"


class CarePlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="care_plan", verbose_name=_("case"))
    started_on = models.DateField(_("started on"))
    next_review_on = models.DateField(_("next review on"))
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)

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
    goal = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=20, choices=choices.GoalStatus.choices, default=choices.GoalStatus.NOT_STARTED
    )
    target_on = models.DateField(_("target on"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("care plan goal")
        verbose_name_plural = _("care plan goals")
        ordering = ["domain", "id"]

    def __str__(self):
        return f"{self.get_domain_display()}: {self.goal[:40]}"


def _score_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(4)])


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


class PoliceEngagementEvent(CaseEvent):
    """The survivor's engagement with police moved to `level` on this day.

    A withdrawal lowers the current level; the highest level reached is the maximum over all events.
    """

    level = models.PositiveSmallIntegerField(_("level"), choices=choices.EngagementLevel.choices)
    is_withdrawal = models.BooleanField(_("withdrawal"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("police-engagement event")
        verbose_name_plural = _("police-engagement events")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4),
                name="engagement_level_0_to_4",
                violation_error_message=_("The engagement level is from 0 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} on {self.occurred_on}"


class NrmEvent(CaseEvent):
    """A step in the UK National Referral Mechanism (GB cases only)."""

    status = models.CharField(_("status"), max_length=30, choices=choices.NrmStatus.choices)
    first_responder = models.CharField(_("first responder"), max_length=120, blank=True)
    competent_authority = models.CharField(
        _("competent authority"), max_length=10, choices=choices.CompetentAuthority.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("NRM event")
        verbose_name_plural = _("NRM events")

    def __str__(self):
        return f"{self.get_status_display()} on {self.occurred_on}"

    def clean(self):
        super().clean()
        if self.case_id and self.case.team.country_id != "GB":
            raise ValidationError(_("The National Referral Mechanism applies only to cases of UK teams."))


class StageChange(CaseEvent):
    stage = models.CharField(_("stage"), max_length=20, choices=choices.Stage.choices)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage="closed") & ~Q(closure_reason="")) | (~Q(stage="closed") & Q(closure_reason="")),
                name="closure_reason_only_on_closing",
                violation_error_message=_("A reason is given when, and only when, the case closes."),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} on {self.occurred_on}"

    def clean(self):
        super().clean()
        if self.stage == choices.Stage.CLOSED and not self.closure_reason:
            raise ValidationError({"closure_reason": _("Say why the case is closing.")})
        if self.stage != choices.Stage.CLOSED and self.closure_reason:
            raise ValidationError({"closure_reason": _("A reason is given only when the case closes.")})


class RetraffickingEvent(CaseEvent):
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("re-trafficking event")
        verbose_name_plural = _("re-trafficking events")

    def __str__(self):
        return f"Re-trafficked on {self.occurred_on}"


class RemovalFromExploitation(CaseEvent):
    """A rescue: the survivor was removed from exploitation, with what the team did to support it."""

    support_type = models.CharField(_("support type"), max_length=20, choices=choices.TeamSupportType.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("removal from exploitation")
        verbose_name_plural = _("removals from exploitation")

    def __str__(self):
        return f"Removed from exploitation on {self.occurred_on}"


class AccusedPerson(models.Model):
    """A suspected trafficker, known here only by a pseudonymous reference."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    gender = models.CharField(
        _("gender"),
        max_length=30,
        choices=[("female", _("Female")), ("male", _("Male")), ("unknown", _("Unknown"))],
        default="unknown",
    )
    citizenship = models.CharField(_("citizenship"), max_length=2, choices=COUNTRY_CHOICES, blank=True)
    recorded_by_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="accused_persons", verbose_name=_("recorded by team")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name = _("accused person")
        verbose_name_plural = _("accused persons")
        ordering = ["reference"]

    def __str__(self):
        return self.reference


class Arrest(CaseEvent):
    accused = models.ForeignKey(
        AccusedPerson, on_delete=models.PROTECT, related_name="arrests", verbose_name=_("accused")
    )
    support_type = models.CharField(_("support type"), max_length=20, choices=choices.TeamSupportType.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("arrest")
        verbose_name_plural = _("arrests")

    def __str__(self):
        return f"Arrest of {self.accused} on {self.occurred_on}"


class Prosecution(models.Model):
    """The prosecution of one accused person for the exploitation of the survivor of `case`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="prosecutions", verbose_name=_("case"))
    accused = models.ForeignKey(
        AccusedPerson, on_delete=models.PROTECT, related_name="prosecutions", verbose_name=_("accused")
    )
    offence = models.CharField(_("offence"), max_length=200, help_text=_("e.g. Modern Slavery Act 2015 s.2"))
    support_kinds = ArrayField(
        models.CharField(max_length=30, choices=choices.ProsecutionSupport.choices),
        verbose_name=_("support kinds"),
        help_text=_("How the team supported the prosecution."),
    )
    charged_on = models.DateField(_("charged on"), null=True, blank=True)
    trial_started_on = models.DateField(_("trial started on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=choices.ProsecutionOutcome.choices,
        default=choices.ProsecutionOutcome.ONGOING,
    )
    outcome_on = models.DateField(_("date of outcome"), null=True, blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Raised by each edit; an edit made from an older version is a conflict (navigators.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("prosecution")
        verbose_name_plural = _("prosecutions")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="convicted") | Q(trial_started_on__isnull=False),
                name="conviction_needs_trial_start",
                violation_error_message=_("A conviction needs the date the trial started."),
            ),
            models.CheckConstraint(
                condition=(Q(outcome="ongoing") & Q(outcome_on__isnull=True))
                | (~Q(outcome="ongoing") & Q(outcome_on__isnull=False)),
                name="concluded_prosecution_has_outcome_date",
                violation_error_message=_(
                    "A concluded prosecution has the date of its outcome; an ongoing one has none yet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True)
                | Q(trial_started_on__isnull=True)
                | Q(outcome_on__gte=F("trial_started_on")),
                name="outcome_not_before_trial",
                violation_error_message=_("The outcome cannot come before the trial started."),
            ),
            models.CheckConstraint(
                condition=~Q(support_kinds=[]),
                name="prosecution_support_given",
                violation_error_message=_("Say how the team supported this prosecution."),
            ),
        ]

    def __str__(self):
        return f"Prosecution of {self.accused} ({self.get_outcome_display()})"

    def clean(self):
        case = self.case if self.case_id else None
        for field in ("charged_on", "trial_started_on", "outcome_on"):
            check_event_date(case, getattr(self, field), field=field)
        if self.outcome == choices.ProsecutionOutcome.CONVICTED and not self.trial_started_on:
            raise ValidationError({"outcome": _("A conviction needs the date the trial started.")})
        if self.outcome != choices.ProsecutionOutcome.ONGOING and not self.outcome_on:
            raise ValidationError({"outcome_on": _("Give the date of the outcome.")})
        if self.outcome == choices.ProsecutionOutcome.ONGOING and self.outcome_on:
            raise ValidationError({"outcome_on": _("An ongoing prosecution has no outcome date yet.")})
        if self.outcome_on and self.trial_started_on and self.outcome_on < self.trial_started_on:
            raise ValidationError({"outcome_on": _("The outcome cannot come before the trial started.")})
        if not self.support_kinds:
            raise ValidationError({"support_kinds": _("Say how the team supported this prosecution.")})


class CourtHearing(models.Model):
    """A court date in a prosecution. Unlike case events it may lie ahead: hearings are scheduled."""

    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("prosecution")
    )
    scheduled_for = models.DateField(_("scheduled for"))
    kind = models.CharField(_("kind"), max_length=20, choices=choices.CourtHearingKind.choices)
    survivor_attending = models.BooleanField(_("survivor attending"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("court hearing")
        verbose_name_plural = _("court hearings")
        ordering = ["scheduled_for"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.scheduled_for}"

    def clean(self):
        if self.prosecution_id and self.scheduled_for and self.scheduled_for < self.prosecution.case.opened_on:
            raise ValidationError({"scheduled_for": _("This date is before the case opened.")})


class Repatriation(models.Model):
    """A supported safe return, planned on `case` and handed over to the receiving side on arrival."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="repatriations", verbose_name=_("case"))
    sending_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("sending country")
    )
    receiving_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving country")
    )
    sending_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repatriations_sent",
        verbose_name=_("sending team"),
    )
    sending_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sending partner")
    )
    receiving_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repatriations_received",
        verbose_name=_("receiving team"),
    )
    receiving_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("receiving partner")
    )
    is_child = models.BooleanField(_("the returnee is a child"), default=False)
    # The latest step and its key dates, kept here by casework.services from RepatriationStep rows.
    stage = models.CharField(
        _("stage"),
        max_length=30,
        choices=choices.RepatriationStage.choices,
        default=choices.RepatriationStage.REQUESTED,
    )
    requested_on = models.DateField(_("requested on"))
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    receiving_case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrived_by_repatriation",
        verbose_name=_("receiving case"),
        help_text=_("The receiving team's case, once the survivor is handed over."),
    )

    # Raised by each edit; an edit made from an older version is a conflict (navigators.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audit_history()

    # One whole sentence per side and kind, for translators.
    NOT_IN_COUNTRY = {
        ("sending", "team"): _("The sending team is not in the sending country."),
        ("sending", "partner"): _("The sending partner is not in the sending country."),
        ("receiving", "team"): _("The receiving team is not in the receiving country."),
        ("receiving", "partner"): _("The receiving partner is not in the receiving country."),
    }

    class Meta:
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True)
                | Q(departed_on__isnull=True)
                | Q(arrived_on__gte=F("departed_on")),
                name="arrival_not_before_departure",
                violation_error_message=_("The arrival date cannot be before the departure date."),
            ),
            models.CheckConstraint(
                condition=Q(sending_team__isnull=True) | Q(sending_partner__isnull=True),
                name="one_sending_side",
                violation_error_message=_("The sending side is a team or a partner, not both."),
            ),
            models.CheckConstraint(
                condition=Q(receiving_team__isnull=True) | Q(receiving_partner__isnull=True),
                name="one_receiving_side",
                violation_error_message=_("The receiving side is a team or a partner, not both."),
            ),
            models.CheckConstraint(
                condition=~Q(sending_country=F("receiving_country")),
                name="repatriation_crosses_a_border",
                violation_error_message=_("A repatriation goes to another country."),
            ),
        ]

    def __str__(self):
        return f"Repatriation {self.sending_country_id}→{self.receiving_country_id} of {self.case.survivor}"

    def clean(self):
        case = self.case if self.case_id else None
        for field in ("requested_on", "departed_on", "arrived_on"):
            check_event_date(case, getattr(self, field), field=field)
        if self.departed_on and self.arrived_on and self.arrived_on < self.departed_on:
            raise ValidationError({"arrived_on": _("The arrival date cannot be before the departure date.")})
        if self.sending_team_id and self.sending_partner_id:
            raise ValidationError({"sending_partner": _("The sending side is a team or a partner, not both.")})
        if self.receiving_team_id and self.receiving_partner_id:
            raise ValidationError({"receiving_partner": _("The receiving side is a team or a partner, not both.")})
        if self.sending_country_id and self.sending_country_id == self.receiving_country_id:
            raise ValidationError({"receiving_country": _("A repatriation goes to another country.")})
        for side in ("sending", "receiving"):
            country_id = getattr(self, f"{side}_country_id")
            for kind in ("team", "partner"):
                other = getattr(self, f"{side}_{kind}")
                if other is not None and other.country_id != country_id:
                    raise ValidationError({f"{side}_{kind}": self.NOT_IN_COUNTRY[side, kind]})


class RepatriationStep(models.Model):
    repatriation = models.ForeignKey(
        Repatriation, on_delete=models.CASCADE, related_name="steps", verbose_name=_("repatriation")
    )
    stage = models.CharField(_("stage"), max_length=30, choices=choices.RepatriationStage.choices)
    occurred_on = models.DateField(_("date"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = audit_history()

    class Meta:
        verbose_name = _("repatriation step")
        verbose_name_plural = _("repatriation steps")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_stage_display()} on {self.occurred_on}"

    def clean(self):
        check_event_date(self.repatriation.case if self.repatriation_id else None, self.occurred_on)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseRequest(models.Model):
    """A Navigator's request to close a case or hand it to another team, waiting for the country lead.

    The lead approves it (the closure or transfer then happens through the casework services) or returns
    it with a comment. At most one request of each kind waits per case.
    """

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Closure")
        TRANSFER = "transfer", _("Transfer to another team")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the country lead")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="requests", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    notes = EncryptedTextField(_("notes"), blank=True)
    # A closure: why and on which day.
    closure_reason = models.CharField(
        _("reason for closing"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    # A transfer: to which team (in this country, or across a border with the survivor's consent).
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to team")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("comment from the country lead"), blank=True)
    new_case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new case"),
        help_text=_("The receiving team's case, once a transfer is approved."),
    )

    history = audit_history()

    class Meta:
        verbose_name = _("case request")
        verbose_name_plural = _("case requests")
        ordering = ["-requested_on", "-id"]
        constraints = [
            # Two pending closures of one case would be decided twice; the service says so more kindly first.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="pending"),
                name="one_pending_request_per_case_and_kind",
                violation_error_message=_("A request of this kind is already waiting for the country lead."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="closure") & ~Q(closure_reason="") & Q(closes_on__isnull=False) & Q(to_team__isnull=True)
                )
                | (Q(kind="transfer") & Q(closure_reason="") & Q(closes_on__isnull=True) & Q(to_team__isnull=False)),
                name="case_request_fields_match_its_kind",
                violation_error_message=_(
                    "A closure request gives a reason and a closing date; a transfer request names a team."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="case_request_decided_unless_pending",
                violation_error_message=_(
                    "A decided request has the date of its decision; a waiting one has no decision yet."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(decision_note=""),
                name="returned_request_says_why",
                violation_error_message=_("Say why the request is returned, so the Navigator knows what to change."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.case} ({self.get_status_display()})"

    def clean(self):
        case = self.case if self.case_id else None
        if self.kind == self.Kind.CLOSURE:
            errors = {}
            if not self.closure_reason:
                errors["closure_reason"] = _("Say why the case should close.")
            if not self.closes_on:
                errors["closes_on"] = _("Give the day the case should close.")
            if errors:
                raise ValidationError(errors)
            check_event_date(case, self.closes_on, field="closes_on")
        elif self.kind == self.Kind.TRANSFER:
            if not self.to_team_id:
                raise ValidationError({"to_team": _("Choose the team the case should go to.")})
            if case is not None and self.to_team_id == case.team_id:
                raise ValidationError({"to_team": _("The case is already with this team; choose another.")})
        if self.status == self.Status.RETURNED and not self.decision_note.strip():
            raise ValidationError(
                {"decision_note": _("Say why the request is returned, so the Navigator knows what to change.")}
            )
