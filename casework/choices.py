"""The casework vocabulary (../shared/spec/vocabulary.md): follow-ups, support, care plans,
police engagement, the UK NRM, reintegration stages, criminal justice and repatriation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    MESSAGE = "message", _("Message")


class FollowUpOutcome(models.TextChoices):
    REACHED = "reached", _("Reached the survivor")
    NOT_REACHED = "not_reached", _("Attempted, not reached")


class FollowUpPurpose(models.TextChoices):
    EMOTIONAL_SUPPORT = "emotional_support", _("Emotional and relational support")
    NEEDS_REASSESSMENT = "needs_reassessment", _("Needs re-assessment")
    CARE_COORDINATION = "care_coordination", _("Care coordination")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    COURT = "court", _("Court preparation or accompaniment")
    SAFETY_CHECK = "safety_check", _("Safety check")
    REPATRIATION_PLANNING = "repatriation_planning", _("Repatriation planning")


class SupportServiceType(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    FINANCIAL = "financial", _("Financial")
    PRACTICAL_SUPPLIES = "practical_supplies", _("Practical supplies (food, fuel, clothing)")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health and counselling")
    LEGAL_IMMIGRATION = "legal_immigration", _("Legal and immigration advice")
    CRIMINAL_JUSTICE = "criminal_justice", _("Criminal-justice accompaniment")
    INTERPRETATION = "interpretation", _("Interpretation")
    TRANSPORT = "transport", _("Transport")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood / employment / income generation")
    SOCIAL_CARE = "social_care", _("Social care")
    FAMILY_TRACING = "family_tracing", _("Family tracing and reunification")
    OTHER = "other", _("Other")


class WellbeingDomain(models.TextChoices):
    """Care-plan domains, also the wellbeing-assessment domains (after IJM's Assessment of Survivor Outcomes)."""

    SAFETY = "safety", _("Safety")
    LEGAL_PROTECTION = "legal_protection", _("Legal protection")
    MENTAL_WELLBEING = "mental_wellbeing", _("Mental wellbeing")
    ECONOMIC_EMPOWERMENT = "economic_empowerment", _("Economic empowerment and education")
    SOCIAL_SUPPORT = "social_support", _("Social support")
    PHYSICAL_WELLBEING = "physical_wellbeing", _("Physical wellbeing")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("No longer relevant")


class EngagementLevel(models.IntegerChoices):
    """Police engagement, lowest to highest; the order is the meaning."""

    NOT_ENGAGED = 0, _("Not engaged / declined")
    INFORMATION_ON_RECORD = 1, _("Information or intelligence on record")
    FORMAL_INTERVIEW = 2, _("Formal interview (ABE or formal witness statement)")
    WILLING_TO_SUPPORT_PROSECUTION = 3, _("Willing to support a prosecution")
    GAVE_EVIDENCE_IN_COURT = 4, _("Gave evidence in court")


class NrmStatus(models.TextChoices):
    """The UK National Referral Mechanism, in its usual order."""

    NOT_REFERRED = "not_referred", _("Not referred")
    DUTY_TO_NOTIFY = "duty_to_notify", _("Duty to notify (adult did not consent to referral)")
    REFERRED = "referred", _("Referred")
    RG_PENDING = "rg_pending", _("Reasonable grounds: pending")
    RG_POSITIVE = "rg_positive", _("Reasonable grounds: positive")
    RG_NEGATIVE = "rg_negative", _("Reasonable grounds: negative")
    RECOVERY_PERIOD = "recovery_period", _("Recovery period")
    CG_PENDING = "cg_pending", _("Conclusive grounds: pending")
    CG_POSITIVE = "cg_positive", _("Conclusive grounds: positive")
    CG_NEGATIVE = "cg_negative", _("Conclusive grounds: negative")
    RECONSIDERATION_REQUESTED = "reconsideration_requested", _("Reconsideration requested")
    MOVE_ON_SUPPORT = "move_on_support", _("Move-on support")
    RECOVERY_NEEDS_ASSESSMENT = "recovery_needs_assessment", _("Recovery needs assessment")
    EXITED = "exited", _("Exited")


class CompetentAuthority(models.TextChoices):
    SCA = "sca", _("Single Competent Authority")
    IECA = "ieca", _("Immigration Enforcement Competent Authority")


class Stage(models.TextChoices):
    """Reintegration stages, in order. Re-trafficking is an event, not a stage."""

    CRISIS = "crisis", _("Crisis and stabilisation")
    RECOVERY = "recovery", _("Recovery (care plan active)")
    REINTEGRATION = "reintegration", _("Reintegration")
    STABLE = "stable", _("Stable / graduated")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    GRADUATED = "graduated", _("Graduated")
    MOVED_OUT_OF_AREA = "moved_out_of_area", _("Moved out of area")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DECLINED = "declined", _("Declined further support")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class TeamSupportType(models.TextChoices):
    """What the team did for a removal from exploitation or an arrest."""

    INTELLIGENCE = "intelligence", _("Intelligence")
    TACTICAL_ADVICE = "tactical_advice", _("Tactical advice")
    DIRECT_ASSISTANCE = "direct_assistance", _("Direct assistance")
    NONE = "none", _("None (learnt of afterwards)")


class ProsecutionSupport(models.TextChoices):
    SUPPORTED_ARREST = "supported_arrest", _("Supported the arrest")
    SUPPORTED_VICTIM = "supported_victim", _("Supported the victim in the legal process")
    SUPPORTED_PROSECUTOR = "supported_prosecutor", _("Supported the prosecutor")


class ProsecutionOutcome(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    WITHDRAWN = "withdrawn", _("Withdrawn / discontinued")
    OTHER = "other", _("Other")


class CourtHearingKind(models.TextChoices):
    FIRST_HEARING = "first_hearing", _("First hearing")
    PRE_TRIAL = "pre_trial", _("Pre-trial hearing")
    TRIAL = "trial", _("Trial day")
    EVIDENCE = "evidence", _("Survivor gives evidence")
    VERDICT = "verdict", _("Verdict")
    SENTENCING = "sentencing", _("Sentencing")
    APPEAL = "appeal", _("Appeal")


class RepatriationStage(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    TRAVEL_DOCUMENTS = "travel_documents", _("Travel documents")
    PLANNED = "planned", _("Planned")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived (completed)")
    POST_RETURN_FOLLOW_UP = "post_return_follow_up", _("Post-return follow-up")
    CANCELLED = "cancelled", _("Cancelled")


# The forward order of a repatriation; cancelled can follow any stage before arrival.
REPATRIATION_ORDER = [
    RepatriationStage.REQUESTED,
    RepatriationStage.RISK_ASSESSMENT,
    RepatriationStage.TRAVEL_DOCUMENTS,
    RepatriationStage.PLANNED,
    RepatriationStage.IN_TRANSIT,
    RepatriationStage.ARRIVED,
    RepatriationStage.POST_RETURN_FOLLOW_UP,
]
