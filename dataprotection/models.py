"""Subject access, erasure, legal holds, retention and the tamper-evident audit chain."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from navigators import plausible
from navigators.history import audit_history
from survivors.models import Survivor


class AppendOnlyQuerySet(models.QuerySet):
    # Tombstones, retention runs and chain links are only ever added: nothing in the application
    # changes or removes them (the audit chain would notice a change made around it).
    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} cannot be deleted.")


class LegalHold(models.Model):
    """While a hold is in force the survivor's record may not be erased, on request or by retention.

    An ongoing prosecution on any of the survivor's cases holds the record too, without a row here
    (dataprotection.selectors.holds_in_force).
    """

    survivor = models.ForeignKey(
        Survivor, on_delete=models.PROTECT, related_name="legal_holds", verbose_name=_("survivor")
    )
    reason = models.TextField(
        _("reason"),
        help_text=_("Why the record must be kept, e.g. a court order or a claim."),
        validators=[plausible.short_text_length()],
        max_length=plausible.SHORT_TEXT_MAX_LENGTH,
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    set_at = models.DateTimeField(_("set on"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted on"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="lifted_hold_says_when_and_by_whom",
                violation_error_message=_("A lifted hold says when and by whom it was lifted."),
            ),
        ]
        # The erasure check and the retention run ask "is a hold in force for this survivor?".
        indexes = [models.Index(fields=["survivor"], condition=Q(lifted_at__isnull=True), name="legal_hold_in_force")]

    def __str__(self):
        return f"Legal hold on {self.survivor_id} set {self.set_at:%Y-%m-%d}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class Erasure(AppendOnly):
    """The tombstone of an erasure: who removed what kind of data of which survivor, when and why.

    It counts what was removed by kind (`removed`), never holds the data. The survivor's row, cases
    and dated events stay, so the published figures do not move. Written only by
    dataprotection.services.erase_survivor, chained in the audit chain in the same transaction.
    """

    survivor = models.ForeignKey(
        Survivor, on_delete=models.PROTECT, related_name="erasures", verbose_name=_("survivor")
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now, db_index=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
        help_text=_("Empty for the nightly retention run."),
    )
    reason = models.TextField(
        _("reason"), validators=[plausible.short_text_length()], max_length=plausible.SHORT_TEXT_MAX_LENGTH
    )
    removed = models.JSONField(
        _("what was removed"), default=dict, blank=True, help_text=_("Counts by kind of data, never the data.")
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-id"]

    def __str__(self):
        return f"Erasure of {self.survivor_id} at {self.erased_at:%Y-%m-%d %H:%M}"


class RetentionRun(AppendOnly):
    """One day's retention run and what it did. At most one a day, so a second run changes nothing."""

    run_on = models.DateField(_("run for the day"), unique=True)
    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    cutoff = models.DateField(_("cases closed before"))
    anonymised = models.PositiveIntegerField(_("survivors anonymised"), default=0)
    held = models.PositiveIntegerField(_("survivors kept on legal hold"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-run_on"]

    def __str__(self):
        return f"Retention run for {self.run_on}"


class AuditChainLink(AppendOnly):
    """One link of the tamper-evident audit chain (dataprotection.chain).

    `record_digest` is the SHA-256 of a canonical serialisation of the record's fields (ids, action,
    moments; no personal data), and `hash` = SHA-256(previous_hash + record_digest), so changing,
    removing or reordering an earlier record or link breaks every hash after it.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access record")
        ERASURE = "erasure", _("Erasure")
        RETENTION = "retention", _("Retention run")

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_digest = models.CharField(_("record digest"), max_length=64)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit chain link")
        verbose_name_plural = _("audit chain links")
        ordering = ["sequence"]
        constraints = [
            # A record is chained once; also serves verify_audit's "records never chained" look-up.
            models.UniqueConstraint(fields=["kind", "record_id"], name="one_link_per_record"),
        ]

    def __str__(self):
        return f"Link {self.sequence} ({self.kind} {self.record_id})"
