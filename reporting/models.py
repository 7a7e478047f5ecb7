from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from navigators import plausible
from navigators.history import audit_history
from navigators.models import Country, Partner, Team
from reporting.choices import Indicator, PreventionReach, ReturnSource, TrainingAudience
from reporting.periods import named_period


class TrainingSession(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("team"))
    held_on = models.DateField(_("date"), validators=[plausible.validate_event_date])
    audience = models.CharField(_("audience"), max_length=30, choices=TrainingAudience.choices)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    attendee_count = models.PositiveIntegerField(_("attendees"), validators=[plausible.NumberRange(0, 100_000)])
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
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            plausible.check_constraint(
                "training_plausible",
                Q(held_on__gte=plausible.RECORDS_BEGAN, attendee_count__lte=100_000),
                _("A training session is dated from 2010 and has at most 100,000 attendees."),
            ),
        ]

    def __str__(self):
        return f"Training for {self.get_audience_display()} on {self.held_on}"


class PreventionSession(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="prevention_sessions", verbose_name=_("team"))
    held_on = models.DateField(_("date"), validators=[plausible.validate_event_date])
    reach = models.CharField(_("reach"), max_length=10, choices=PreventionReach.choices, default=PreventionReach.DIRECT)
    participants = models.PositiveIntegerField(
        _("participants"),
        help_text=_("Head count; for indirect reach, the estimated audience."),
        validators=[plausible.NumberRange(0, 10_000_000)],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
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
        verbose_name = _("prevention session")
        verbose_name_plural = _("prevention sessions")
        ordering = ["-held_on", "-id"]
        constraints = [
            plausible.check_constraint(
                "prevention_plausible",
                Q(held_on__gte=plausible.RECORDS_BEGAN, participants__lte=10_000_000),
                _("A prevention session is dated from 2010 and has at most 10,000,000 participants."),
            ),
        ]

    def __str__(self):
        return f"Prevention session ({self.get_reach_display()}) on {self.held_on}"


class AggregateReturn(models.Model):
    """Figures for a whole period: a partner's return, or a legacy period from before case records.

    A legacy return names a country, or no country for direct work as a whole.
    """

    source = models.CharField(_("source"), max_length=10, choices=ReturnSource.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="returns", verbose_name=_("partner")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legacy_returns",
        verbose_name=_("country"),
    )
    period_start = models.DateField(_("period start"), validators=[plausible.validate_planned_date])
    period_end = models.DateField(_("period end"), validators=[plausible.validate_planned_date])
    funded = models.BooleanField(
        _("directly funded in this period"),
        default=False,
        help_text=_("Partners only: counted in 'incl. funded joint ops' when true."),
    )
    notes = models.TextField(
        _("notes"), blank=True, validators=[plausible.note_length()], max_length=plausible.NOTE_MAX_LENGTH
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    history = audit_history()

    class Meta:
        verbose_name = _("aggregate return")
        verbose_name_plural = _("aggregate returns")
        ordering = ["-period_start", "source"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="partner") & Q(partner__isnull=False) & Q(country__isnull=True))
                | (Q(source="legacy") & Q(partner__isnull=True) & Q(funded=False)),
                name="return_names_partner_or_legacy_country",
                violation_error_message=_(
                    "A partner return names the partner and no country; a legacy return names no partner and is not funded."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="return_period_ends_after_start",
                violation_error_message=_("The period ends before it starts."),
            ),
            models.UniqueConstraint(
                fields=["source", "partner", "country", "period_start", "period_end"],
                nulls_distinct=False,
                name="one_return_per_source_and_period",
            ),
        ]

    def __str__(self):
        who = self.partner or self.country or "Direct work"
        period = named_period(self.period_start, self.period_end)
        return f"{who} · {period.label if period else f'{self.period_start}–{self.period_end}'}"

    def clean(self):
        if self.source == ReturnSource.PARTNER and not self.partner_id:
            raise ValidationError({"partner": _("A partner return names the partner.")})
        if self.source == ReturnSource.LEGACY and self.partner_id:
            raise ValidationError({"partner": _("A legacy return is for a country or direct work, not a partner.")})
        if self.source == ReturnSource.PARTNER and self.country_id:
            raise ValidationError({"country": _("A partner return takes the partner's country; leave this empty.")})
        if self.source == ReturnSource.LEGACY and self.funded:
            raise ValidationError({"funded": _("Only partner returns are funded or not.")})
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                raise ValidationError({"period_end": _("The period ends before it starts.")})
            if named_period(self.period_start, self.period_end) is None:
                raise ValidationError(
                    {"period_end": _("A return covers one financial half-year or one financial year (1 Sep – 31 Aug).")}
                )


class AggregateReturnValue(models.Model):
    aggregate_return = models.ForeignKey(
        AggregateReturn, on_delete=models.CASCADE, related_name="values", verbose_name=_("aggregate return")
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("value"), validators=[plausible.NumberRange(0, 10_000_000)])

    history = audit_history()

    class Meta:
        verbose_name = _("aggregate return value")
        verbose_name_plural = _("aggregate return values")
        constraints = [
            models.UniqueConstraint(
                fields=["aggregate_return", "indicator"], name="one_value_per_indicator_per_return"
            ),
            plausible.check_constraint(
                "return_value_plausible", Q(value__lte=10_000_000), _("A figure of a return is at most 10,000,000.")
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.value}"


class PublishedReport(models.Model):
    """A period's headline table as M&E published it: frozen, never changed afterwards.

    `table` is the report's JSON form (reporting.figures.HeadlineReport.as_dict) at publication;
    `fingerprint` digests the records behind every figure, so a later recomputation can say whether
    anything underneath moved even where the totals happen to agree.
    """

    label = models.CharField(_("period"), max_length=40)
    period_start = models.DateField(_("period start"), validators=[plausible.validate_planned_date])
    period_end = models.DateField(_("period end"), validators=[plausible.validate_planned_date])
    rules_version = models.CharField(_("rules version"), max_length=40)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    table = models.JSONField(_("table"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    notes = models.TextField(
        _("notes"), blank=True, validators=[plausible.note_length()], max_length=plausible.NOTE_MAX_LENGTH
    )

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["-period_start", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], name="one_publication_per_period"),
        ]

    def __str__(self):
        return f"{self.label} published {self.published_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A published report is frozen.")
        super().save(*args, **kwargs)


class ExportJob(models.Model):
    """An export M&E asked for, built by a Celery task; the file is kept here until downloaded."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[plausible.NumberRange(0, 100)]
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="export_progress_at_most_100",
                violation_error_message=_("Progress is a percentage."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.requested_by} ({self.get_status_display()})"
