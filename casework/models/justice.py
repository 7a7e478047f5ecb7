"""Police and courts: police-engagement events, accused persons, arrests, prosecutions and court
hearings."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework import choices
from casework.models.cases import Case, CaseEvent, check_event_date
from navigators import plausible
from navigators.countries import COUNTRY_CHOICES
from navigators.history import audit_history
from navigators.models import Team
from survivors.encryption import encrypted_note


class PoliceEngagementEvent(CaseEvent):
    """The survivor's engagement with police moved to `level` on this day.

    A withdrawal lowers the current level; the highest level reached is the maximum over all events.
    """

    level = models.PositiveSmallIntegerField(_("level"), choices=choices.EngagementLevel.choices)
    is_withdrawal = models.BooleanField(_("withdrawal"), default=False)
    notes = encrypted_note(_("notes"), blank=True)

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
    notes = encrypted_note(_("notes"), blank=True)

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
    charged_on = models.DateField(_("charged on"), null=True, blank=True, validators=[plausible.validate_event_date])
    trial_started_on = models.DateField(
        _("trial started on"), null=True, blank=True, validators=[plausible.validate_event_date]
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=choices.ProsecutionOutcome.choices,
        default=choices.ProsecutionOutcome.ONGOING,
    )
    outcome_on = models.DateField(
        _("date of outcome"), null=True, blank=True, validators=[plausible.validate_event_date]
    )
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
    scheduled_for = models.DateField(_("scheduled for"), validators=[plausible.validate_planned_date])
    kind = models.CharField(_("kind"), max_length=20, choices=choices.CourtHearingKind.choices)
    survivor_attending = models.BooleanField(_("survivor attending"), default=False)
    notes = encrypted_note(_("notes"), blank=True)

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
