from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """The headline indicators' stable ids (../shared/spec/indicators.md), used in code, exports and JSON."""

    VICTIMS_REMOVED = "victims_removed", _("Victims removed from exploitation")
    SURVIVORS_CARED_FOR = "survivors_cared_for", _("Survivors cared for")
    SURVIVORS_REPATRIATED = "survivors_repatriated", _("Survivors repatriated (supported safe returns)")
    PREVENTION_REACHED = "prevention_reached", _("Vulnerable people receiving prevention education (direct)")
    ACCUSED_ARRESTED = "accused_arrested", _("Accused traffickers arrested")
    PROSECUTIONS_SUPPORTED = "prosecutions_supported", _("Prosecutions of exploiters supported")
    EXPLOITERS_CONVICTED = "exploiters_convicted", _("Exploiters convicted")
    PROFESSIONALS_TRAINED = "professionals_trained", _("Frontline professionals trained")
    SURVIVORS_GRADUATED = "survivors_graduated", _("Survivors rehabilitated (graduated)")


class TrainingAudience(models.TextChoices):
    POLICE = "police", _("Police")
    BORDER = "border", _("Border force / border guards")
    PROSECUTORS_JUDICIARY = "prosecutors_judiciary", _("Prosecutors and judiciary")
    SOCIAL_WORKERS = "social_workers", _("Social workers")
    HEALTH = "health", _("Health professionals")
    NGO = "ngo", _("NGO staff")
    OTHER = "other", _("Other")


class PreventionReach(models.TextChoices):
    DIRECT = "direct", _("Direct (people in the session)")
    INDIRECT = "indirect", _("Indirect (mass messaging, broadcasts)")


class ReturnSource(models.TextChoices):
    PARTNER = "partner", _("Partner return (joint operations)")
    LEGACY = "legacy", _("Legacy return (before case records)")
