"""Repatriations: a survivor's return between countries, step by step, handed to a receiving case."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework import choices
from casework.models.cases import Case, check_event_date
from navigators import plausible
from navigators.history import audit_history
from navigators.models import Country, Partner, Team
from survivors.encryption import encrypted_note


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
    requested_on = models.DateField(_("requested on"), validators=[plausible.validate_event_date])
    departed_on = models.DateField(_("departed on"), null=True, blank=True, validators=[plausible.validate_event_date])
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True, validators=[plausible.validate_event_date])
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
    occurred_on = models.DateField(_("date"), validators=[plausible.validate_event_date])
    notes = encrypted_note(_("notes"), blank=True)
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
