"""The case (one team's work with one survivor), who is assigned to it, its stage, the requests to
close or transfer it, and the object-permission tables through which it is seen. `CaseEvent` is the
abstract dated event every record of a case builds on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework import choices
from navigators import plausible
from navigators.history import audit_history
from navigators.models import Team
from survivors.encryption import EncryptedTextField, encrypted_note
from survivors.models import Survivor


def check_event_date(case, day, field="occurred_on"):
    """An event cannot be before the survivor's case with this team opened. (That it lies between the
    records' start and today is each date field's own validator: navigators.plausible.)"""
    if day is None:
        return
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
    opened_on = models.DateField(_("opened on"), validators=[plausible.validate_event_date])
    # The latest stage change, kept here by casework.services for caseload lists and filters.
    stage = models.CharField(_("stage"), max_length=20, choices=choices.Stage.choices, default=choices.Stage.CRISIS)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, validators=[plausible.validate_event_date])
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
            plausible.check_constraint(
                "case_opened_plausibly",
                Q(opened_on__gte=plausible.RECORDS_BEGAN),
                _("A case opens on or after 1 January 2010."),
            ),
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
        if self.transferred_from_id and self.transferred_from.team_id == self.team_id:
            raise ValidationError({"transferred_from": _("A transfer goes to another team.")})


class CaseAssignment(models.Model):
    """A Navigator assigned to a case, dated so that reassignments leave a record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("case"))
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments", verbose_name=_("navigator")
    )
    started_on = models.DateField(
        _("started on"), default=timezone.localdate, validators=[plausible.validate_event_date]
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[plausible.validate_event_date])

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
    occurred_on = models.DateField(_("date"), validators=[plausible.validate_event_date])
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


class StageChange(CaseEvent):
    stage = models.CharField(_("stage"), max_length=20, choices=choices.Stage.choices)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    notes = encrypted_note(_("notes"), blank=True)

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
    requested_on = models.DateField(
        _("requested on"), default=timezone.localdate, validators=[plausible.validate_event_date]
    )
    notes = encrypted_note(_("notes"), blank=True)
    # A closure: why and on which day.
    closure_reason = models.CharField(
        _("reason for closing"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    closes_on = models.DateField(_("closing date"), null=True, blank=True, validators=[plausible.validate_event_date])
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
    decision_note = EncryptedTextField(
        _("comment from the country lead"),
        blank=True,
        validators=[plausible.note_length()],
        max_length=plausible.NOTE_MAX_LENGTH,
    )
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
