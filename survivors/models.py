import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from navigators import plausible
from navigators.countries import (
    COUNTRY_CHOICES,
    validate_country_code,
    validate_country_codes,
)
from navigators.history import audit_history
from survivors import choices
from survivors.encryption import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
    encrypted_note,
)

# No 0/O or 1/I/L: references are read aloud over the phone to police officers.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_reference() -> str:
    """A random reference such as 'SV-7K3M9Q': it says nothing about the person, place or date."""
    return "SV-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class Survivor(models.Model):
    """A survivor of trafficking. Everywhere outside the identity record they are their case reference."""

    case_reference = models.CharField(
        _("case reference"), max_length=12, unique=True, default=new_case_reference, editable=False
    )
    gender = models.CharField(
        _("gender"), max_length=30, choices=choices.Gender.choices, default=choices.Gender.UNKNOWN
    )
    citizenships = ArrayField(
        models.CharField(max_length=2, choices=COUNTRY_CHOICES),
        verbose_name=_("citizenships"),
        default=list,
        blank=True,
        validators=[validate_country_codes],
        help_text=_("ISO 3166-1 alpha-2 codes, one or more."),
    )
    # The exact date of birth is an identity detail (SurvivorIdentity); the year is enough for counting.
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[plausible.validate_birth_year]
    )
    birth_date_precision = models.CharField(
        _("how exact the birth date is"),
        max_length=12,
        choices=choices.BirthDatePrecision.choices,
        default=choices.BirthDatePrecision.UNKNOWN,
    )
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("age at exploitation"),
        null=True,
        blank=True,
        help_text=_("Age in years when exploitation began."),
        validators=[plausible.NumberRange(0, plausible.OLDEST_AGE)],
    )
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=20,
        choices=choices.TraffickingStatus.choices,
        default=choices.TraffickingStatus.POSSIBLE,
    )
    status_decided_by = models.CharField(
        _("status decided by"),
        max_length=30,
        choices=choices.StatusDecidedBy.choices,
        blank=True,
        help_text=_("Who decided the status."),
    )
    means_of_control = ArrayField(
        models.CharField(max_length=40, choices=choices.MeansOfControl.choices),
        default=list,
        blank=True,
        verbose_name=_("means of control"),
    )
    recruiter_relation = models.CharField(
        _("recruiter's relation to the survivor"),
        max_length=20,
        choices=choices.RecruiterRelation.choices,
        default=choices.RecruiterRelation.UNKNOWN,
    )
    registered_on = models.DateField(
        _("registered on"), default=timezone.localdate, validators=[plausible.validate_event_date]
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Raised by each edit; an edit made from an older version is a conflict (navigators.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")
        ordering = ["case_reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_at_exploitation__isnull=True) | Q(age_at_exploitation__lte=120),
                name="survivor_age_at_exploitation_plausible",
                violation_error_message=_("The age at exploitation cannot be over 120."),
            ),
        ]

    def __str__(self):
        return self.case_reference

    @property
    def is_minor_at_exploitation(self) -> bool | None:
        """Under 18 when exploitation began; None when the age is not known."""
        if self.age_at_exploitation is None:
            return None
        return self.age_at_exploitation < 18

    def clean(self):
        if self.status_decided_by and self.trafficking_status == choices.TraffickingStatus.POSSIBLE:
            raise ValidationError(
                {"status_decided_by": _("A possible victim has no decision yet: leave who decided empty.")}
            )


class SurvivorExploitation(models.Model):
    """One type of exploitation the survivor suffered, with the details that type carries."""

    Type = choices.ExploitationType

    survivor = models.ForeignKey(
        Survivor, on_delete=models.CASCADE, related_name="exploitations", verbose_name=_("survivor")
    )
    type = models.CharField(_("type"), max_length=30, choices=choices.ExploitationType.choices)
    sexual_subtype = models.CharField(
        _("sexual subtype"), max_length=30, choices=choices.SexualExploitationSubtype.choices, blank=True
    )
    industry = models.CharField(
        _("industry (ISIC section)"), max_length=1, choices=choices.IsicSection.choices, blank=True
    )
    county_lines = models.BooleanField(_("county lines"), default=False)
    cuckooing = models.BooleanField(_("cuckooing"), default=False)

    history = audit_history()

    class Meta:
        verbose_name = _("survivor exploitation")
        verbose_name_plural = _("survivor exploitations")
        constraints = [
            models.UniqueConstraint(fields=["survivor", "type"], name="one_row_per_exploitation_type"),
            models.CheckConstraint(
                condition=Q(type="sexual") | Q(sexual_subtype=""),
                name="subtype_only_for_sexual",
                violation_error_message=_("Only sexual exploitation has a kind of sexual exploitation."),
            ),
            models.CheckConstraint(
                condition=Q(type="forced_labour") | Q(industry=""),
                name="industry_only_for_forced_labour",
                violation_error_message=_("Only forced labour has an industry."),
            ),
            models.CheckConstraint(
                condition=Q(type="criminal") | Q(county_lines=False, cuckooing=False),
                name="county_lines_only_for_criminal",
                violation_error_message=_("County lines and cuckooing are criminal exploitation only."),
            ),
        ]

    def __str__(self):
        return self.get_type_display()


class SurvivorIdentity(models.Model):
    """Who the survivor is. Kept apart from the survivor so it can be locked down and encrypted."""

    survivor = models.OneToOneField(
        Survivor, on_delete=models.CASCADE, related_name="identity", verbose_name=_("survivor")
    )
    legal_name = EncryptedCharField(_("legal name"), max_length=200)
    aliases = EncryptedTextField(
        _("other names"),
        blank=True,
        help_text=_("Other names, one per line."),
        validators=[plausible.note_length()],
        max_length=plausible.NOTE_MAX_LENGTH,
    )
    date_of_birth = EncryptedDateField(
        _("date of birth"), null=True, blank=True, validators=[plausible.validate_birth_date]
    )
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    email = EncryptedEmailField(_("e-mail"), blank=True)
    address = encrypted_note(_("address"), blank=True)
    safe_contact_notes = EncryptedTextField(
        _("safe-contact notes"),
        blank=True,
        help_text=_("When and how it is safe to make contact."),
        validators=[plausible.note_length()],
        max_length=plausible.NOTE_MAX_LENGTH,
    )

    # Raised by each edit; an edit made from an older version is a conflict (navigators.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = audit_history()

    class Meta:
        verbose_name = _("survivor identity")
        verbose_name_plural = _("survivor identities")

    def __str__(self):
        return f"Identity of {self.survivor}"


class SurvivorNameToken(models.Model):
    """One keyed hash of a word of the survivor's names, or of its sound (survivors/blind_index.py).

    The blind index that finds possible duplicates without the names in SQL. Written only by the
    services that write the identity's names, rebuilt whole each time. No history: it is derived from
    the identity, whose history is kept, and holds nothing that history would need.
    """

    class Kind(models.TextChoices):
        EXACT = "exact", _("Exact word")
        PHONETIC = "phonetic", _("Sound of the word")

    survivor = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="name_tokens")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64)  # HMAC-SHA256, hex

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survivor", "kind", "digest"], name="one_row_per_name_token")]
        # The duplicate check and the name search look digests up; the unique constraint serves "by survivor".
        indexes = [models.Index(fields=["digest"], name="name_token_by_digest")]

    def __str__(self):
        return f"{self.survivor} {self.kind} token"


class IdentityDocument(models.Model):
    survivor = models.ForeignKey(
        Survivor, on_delete=models.CASCADE, related_name="identity_documents", verbose_name=_("survivor")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=choices.IdentityDocumentKind.choices)
    number = EncryptedCharField(_("number"), max_length=60, blank=True)
    issuing_country = models.CharField(
        _("issuing country"), max_length=2, choices=COUNTRY_CHOICES, validators=[validate_country_code]
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True, validators=[plausible.validate_planned_date])
    held_by_survivor = models.BooleanField(
        _("held by survivor"), default=True, help_text=_("False when traffickers or others still hold it.")
    )

    history = audit_history()

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.issuing_country})"


class ConsentRecord(models.Model):
    """A dated yes or no to one consent question; the latest record for a topic is the one in force."""

    survivor = models.ForeignKey(
        Survivor, on_delete=models.CASCADE, related_name="consents", verbose_name=_("survivor")
    )
    topic = models.CharField(_("topic"), max_length=30, choices=choices.ConsentTopic.choices)
    given = models.BooleanField(_("given"))
    recorded_on = models.DateField(_("recorded on"), validators=[plausible.validate_event_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    notes = encrypted_note(_("notes"), blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["survivor", "topic", "-recorded_on"], name="consent_latest_lookup")]

    def __str__(self):
        return f"{self.get_topic_display()}: {'yes' if self.given else 'no'} ({self.recorded_on})"


# django-guardian with direct foreign keys: indexed joins instead of generic object_pk text matches.
class SurvivorUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Survivor, on_delete=models.CASCADE)


class SurvivorGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Survivor, on_delete=models.CASCADE)


class AccessRecordQuerySet(models.QuerySet):
    # The access trail is append-only: nothing in the application changes or removes it.
    def update(self, **kwargs):
        raise PermissionError("Access records cannot be changed.")

    def delete(self):
        raise PermissionError("Access records cannot be deleted.")


class AccessRecord(models.Model):
    """Someone looked at (or exported, or printed) a survivor's data: who, when, what, from where.

    It names the record, never its contents. Writes are in the history tables instead. An export of
    figures about many survivors (a report, a breakdown) names no survivor but its `subject`, such as
    "headline report 21/22 H1 (xlsx)"; so does a change of who may see case data, such as
    "role grant request 12: Country lead (GB) for lead.gb".
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        VIEWED_IDENTITY = "viewed_identity", _("Viewed identity")
        EXPORTED = "exported", _("Exported")
        PRINTED = "printed", _("Printed")
        # Who may see case data changes: a role asked for, approved, refused, revoked, or granted without a
        # second person (the operator's bootstrap). The subject names the request, the role and the staff
        # member, never a survivor.
        ROLE_REQUESTED = "role_requested", _("Role requested")
        ROLE_APPROVED = "role_approved", _("Role approved")
        ROLE_REFUSED = "role_refused", _("Role refused")
        ROLE_REVOKED = "role_revoked", _("Role revoked")
        ROLE_BOOTSTRAPPED = "role_bootstrapped", _("Role granted without approval")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_records", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    survivor = models.ForeignKey(
        Survivor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_records",
        verbose_name=_("survivor"),
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the record is about when it is not one survivor's record (an export, a role grant); its name,"
            " never its data."
        ),
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    ip_address = models.GenericIPAddressField(_("ip address"), null=True, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(survivor__isnull=False) | ~Q(subject=""),
                name="access_names_survivor_or_subject",
                violation_error_message=_("An access record names the survivor or what was exported."),
            ),
        ]
        indexes = [
            models.Index(fields=["survivor", "-at"], name="access_by_survivor"),  # the survivor's access page
            models.Index(fields=["user", "-at"], name="access_by_user"),  # the administrator's page per user
        ]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} {self.survivor or self.subject} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access records cannot be deleted.")


class PossibleDuplicate(models.Model):
    """A survivor registered while someone the registering user may not see looked like the same person.

    The Navigator is told nothing (telling them would say who is on the charity's books elsewhere);
    the data protection lead reviews it, and only their confirmation links the two records.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        SAME_PERSON = "same_person", _("The same person")
        DIFFERENT_PEOPLE = "different_people", _("Different people")

    survivor = models.ForeignKey(
        Survivor, on_delete=models.CASCADE, related_name="possible_duplicates", verbose_name=_("survivor registered")
    )
    match = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="+", verbose_name=_("possible match"))
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survivor", "match"], name="one_review_per_pair"),
            models.CheckConstraint(
                condition=~Q(survivor=models.F("match")),
                name="a_duplicate_is_another_survivor",
                violation_error_message=_("A survivor is not a possible duplicate of themselves."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True) | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="decided_exactly_when_not_open",
                violation_error_message=_("A possible duplicate is decided exactly when it is no longer open."),
            ),
        ]

    def __str__(self):
        return f"{self.survivor.case_reference} ~ {self.match.case_reference}"
