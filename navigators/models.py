from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navigators import plausible
from navigators.history import audit_history


class User(AbstractUser):
    """A person who signs in: a Victim Navigator, a country lead, M&E staff or an administrator."""

    # Password hashes and sign-in times are not case history.
    history = audit_history(excluded_fields=["password", "last_login"])

    def __str__(self):
        return self.get_full_name() or self.username


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True, validators=[RegexValidator(r"^[A-Z]{2}$")])
    name = models.CharField(_("display name"), max_length=80)
    is_direct_work = models.BooleanField(
        _("direct work"), default=False, help_text=_("The charity's own teams work here (not only partners).")
    )
    # Object permissions for a whole country (its lead) are granted to this group.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, null=True, blank=True, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police force or unit")
        ORGANISED_CRIME_BRIGADE = "oc_brigade", _("Organised-crime brigade")
        AFTERCARE = "aftercare", _("Aftercare")
        REPATRIATION = "repatriation", _("Repatriation")

    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="teams", verbose_name=_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("is active"), default=True)
    # Object permissions shared by the whole team are granted to this group.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, null=True, blank=True, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["country", "name"]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    """A Navigator's place in a team, dated so that a move leaves a record."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("user"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("team"))
    started_on = models.DateField(_("started on"), validators=[plausible.validate_event_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[plausible.validate_event_date])

    history = audit_history()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(ended_on__isnull=True),
                name="one_current_membership_per_team",
                violation_error_message=_("This user is already a member of this team."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.team}"


class RoleGrant(models.Model):
    """A role held by a user. A country lead's role names the country they lead."""

    class Role(models.TextChoices):
        NAVIGATOR = "navigator", _("Victim Navigator")
        COUNTRY_LEAD = "country_lead", _("Country lead")
        MONITORING_EVALUATION = "me", _("M&E")
        ADMINISTRATOR = "administrator", _("Administrator")
        # Subject access, erasure, legal holds and retention (dataprotection); no case role comes with it.
        DATA_PROTECTION_LEAD = "data_protection_lead", _("Data protection lead")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country"))

    history = audit_history()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="country_lead", country__isnull=False)
                | (~Q(role="country_lead") & Q(country__isnull=True)),
                name="country_only_for_country_leads",
                violation_error_message=_(
                    "A country lead's role names the country they lead; other roles name no country."
                ),
            ),
            models.UniqueConstraint(fields=["user", "role", "country"], nulls_distinct=False, name="unique_role_grant"),
        ]

    def __str__(self):
        suffix = f" ({self.country_id})" if self.country_id else ""
        return f"{self.user}: {self.get_role_display()}{suffix}"


class RoleGrantRequest(models.Model):
    """How a role came to be held: asked for by an administrator, decided by a second person.

    A pending request gives nothing: the `RoleGrant` (what is held now, and what every page reads) is
    written only on approval, and deleted on revocation, while this row stays as the record of who
    asked, who decided and who revoked, and when. The rule of who may decide is
    `navigators.selectors.role_requests_decidable_by`; the writes are `dataprotection.roles`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_requests", verbose_name=_("for whom"))
    role = models.CharField(_("role"), max_length=20, choices=RoleGrant.Role.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=plausible.NOTE_MAX_LENGTH,
        validators=[plausible.note_length()],
        help_text=_("Why this person needs the role, e.g. their new post and its start."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Empty only for a grant made without a second person (`is_bootstrap`): the operator's command.
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The role it gave while held; emptied when the role is revoked (the RoleGrant row is deleted).
    grant = models.OneToOneField(
        RoleGrant, on_delete=models.SET_NULL, null=True, blank=True, related_name="request", verbose_name=_("grant")
    )
    is_bootstrap = models.BooleanField(
        _("granted without a second person"),
        default=False,
        help_text=_("The first data protection lead or administrator, granted by the operator; or demo data."),
    )

    history = audit_history()

    class Meta:
        verbose_name = _("role grant request")
        verbose_name_plural = _("role grant requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="country_lead", country__isnull=False)
                | (~Q(role="country_lead") & Q(country__isnull=True)),
                name="request_country_only_for_country_leads",
                violation_error_message=_(
                    "A country lead's role names the country they lead; other roles name no country."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(status="pending"),
                nulls_distinct=False,
                name="one_pending_request_per_role",
                violation_error_message=_("This role has already been requested for this person."),
            ),
            # The rule of the services, held by the database too: nobody asks for or decides their own role,
            # and nobody decides their own request.
            models.CheckConstraint(
                condition=~Q(requested_by=models.F("user")),
                name="nobody_requests_their_own_role",
                violation_error_message=_("Nobody asks for a role for themselves."),
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("user")) & ~Q(decided_by=models.F("requested_by")),
                name="a_second_person_decides",
                violation_error_message=_("A request is decided by someone other than who asked and whom it is for."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="decided_request_says_when",
                violation_error_message=_("A decided request says when it was decided."),
            ),
        ]
        indexes = [models.Index(fields=["status"], condition=Q(status="pending"), name="role_request_pending")]

    def __str__(self):
        suffix = f" ({self.country_id})" if self.country_id else ""
        return f"{self.user}: {self.get_role_display()}{suffix}, {self.get_status_display().lower()}"


class Partner(models.Model):
    """A joint-operations partner that reports aggregate figures but does no casework here."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="partners", verbose_name=_("country"))

    history = audit_history()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.country_id})"


class ReminderDigest(models.Model):
    """The daily reminder e-mail sent to a Navigator (casework.reminders): at most one a day.

    The row is written in the same transaction as the decision to send, and the unique constraint
    makes a second run of the daily job, or two workers running it at once, send nothing more.
    """

    navigator = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reminder_digests", verbose_name=_("navigator")
    )
    sent_on = models.DateField(_("sent on"), validators=[plausible.validate_event_date])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Like every organisation model in the admin; rows are only ever added, by the daily job.
    history = audit_history()

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        ordering = ["-sent_on", "navigator"]
        constraints = [models.UniqueConstraint(fields=["navigator", "sent_on"], name="one_reminder_digest_a_day")]

    def __str__(self):
        return f"Reminders for {self.navigator} on {self.sent_on}"
