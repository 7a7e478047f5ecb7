from django.db import models


class Indicator(models.TextChoices):
    """The headline indicators' stable ids (../shared/spec/indicators.md), used in code, exports and JSON."""

    VICTIMS_REMOVED = "victims_removed", "Victims removed from exploitation"
    SURVIVORS_CARED_FOR = "survivors_cared_for", "Survivors cared for"
    SURVIVORS_REPATRIATED = "survivors_repatriated", "Survivors repatriated (supported safe returns)"
    PREVENTION_REACHED = "prevention_reached", "Vulnerable people receiving prevention education (direct)"
    ACCUSED_ARRESTED = "accused_arrested", "Accused traffickers arrested"
    PROSECUTIONS_SUPPORTED = "prosecutions_supported", "Prosecutions of exploiters supported"
    EXPLOITERS_CONVICTED = "exploiters_convicted", "Exploiters convicted"
    PROFESSIONALS_TRAINED = "professionals_trained", "Frontline professionals trained"
    SURVIVORS_GRADUATED = "survivors_graduated", "Survivors rehabilitated (graduated)"


class TrainingAudience(models.TextChoices):
    POLICE = "police", "Police"
    BORDER = "border", "Border force / border guards"
    PROSECUTORS_JUDICIARY = "prosecutors_judiciary", "Prosecutors and judiciary"
    SOCIAL_WORKERS = "social_workers", "Social workers"
    HEALTH = "health", "Health professionals"
    NGO = "ngo", "NGO staff"
    OTHER = "other", "Other"


class PreventionReach(models.TextChoices):
    DIRECT = "direct", "Direct (people in the session)"
    INDIRECT = "indirect", "Indirect (mass messaging, broadcasts)"


class ReturnSource(models.TextChoices):
    PARTNER = "partner", "Partner return (joint operations)"
    LEGACY = "legacy", "Legacy return (before case records)"
