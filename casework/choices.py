"""The casework vocabulary (../shared/spec/vocabulary.md): follow-ups, support, care plans,
police engagement, the UK NRM, reintegration stages, criminal justice and repatriation."""

from django.db import models


class FollowUpMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Message"


class FollowUpOutcome(models.TextChoices):
    REACHED = "reached", "Reached the survivor"
    NOT_REACHED = "not_reached", "Attempted, not reached"


class FollowUpPurpose(models.TextChoices):
    EMOTIONAL_SUPPORT = "emotional_support", "Emotional and relational support"
    NEEDS_REASSESSMENT = "needs_reassessment", "Needs re-assessment"
    CARE_COORDINATION = "care_coordination", "Care coordination"
    POLICE_LIAISON = "police_liaison", "Police liaison"
    COURT = "court", "Court preparation or accompaniment"
    SAFETY_CHECK = "safety_check", "Safety check"
    REPATRIATION_PLANNING = "repatriation_planning", "Repatriation planning"


class SupportServiceType(models.TextChoices):
    ACCOMMODATION = "accommodation", "Accommodation"
    FINANCIAL = "financial", "Financial"
    PRACTICAL_SUPPLIES = "practical_supplies", "Practical supplies (food, fuel, clothing)"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    MENTAL_HEALTH = "mental_health", "Mental health and counselling"
    LEGAL_IMMIGRATION = "legal_immigration", "Legal and immigration advice"
    CRIMINAL_JUSTICE = "criminal_justice", "Criminal-justice accompaniment"
    INTERPRETATION = "interpretation", "Interpretation"
    TRANSPORT = "transport", "Transport"
    EDUCATION = "education", "Education"
    LIVELIHOOD = "livelihood", "Livelihood / employment / income generation"
    SOCIAL_CARE = "social_care", "Social care"
    FAMILY_TRACING = "family_tracing", "Family tracing and reunification"
    OTHER = "other", "Other"


class WellbeingDomain(models.TextChoices):
    """Care-plan domains, also the wellbeing-assessment domains (after IJM's Assessment of Survivor Outcomes)."""

    SAFETY = "safety", "Safety"
    LEGAL_PROTECTION = "legal_protection", "Legal protection"
    MENTAL_WELLBEING = "mental_wellbeing", "Mental wellbeing"
    ECONOMIC_EMPOWERMENT = "economic_empowerment", "Economic empowerment and education"
    SOCIAL_SUPPORT = "social_support", "Social support"
    PHYSICAL_WELLBEING = "physical_wellbeing", "Physical wellbeing"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


class EngagementLevel(models.IntegerChoices):
    """Police engagement, lowest to highest; the order is the meaning."""

    NOT_ENGAGED = 0, "Not engaged / declined"
    INFORMATION_ON_RECORD = 1, "Information or intelligence on record"
    FORMAL_INTERVIEW = 2, "Formal interview (ABE or formal witness statement)"
    WILLING_TO_SUPPORT_PROSECUTION = 3, "Willing to support a prosecution"
    GAVE_EVIDENCE_IN_COURT = 4, "Gave evidence in court"


class NrmStatus(models.TextChoices):
    """The UK National Referral Mechanism, in its usual order."""

    NOT_REFERRED = "not_referred", "Not referred"
    DUTY_TO_NOTIFY = "duty_to_notify", "Duty to notify (adult did not consent to referral)"
    REFERRED = "referred", "Referred"
    RG_PENDING = "rg_pending", "Reasonable grounds: pending"
    RG_POSITIVE = "rg_positive", "Reasonable grounds: positive"
    RG_NEGATIVE = "rg_negative", "Reasonable grounds: negative"
    RECOVERY_PERIOD = "recovery_period", "Recovery period"
    CG_PENDING = "cg_pending", "Conclusive grounds: pending"
    CG_POSITIVE = "cg_positive", "Conclusive grounds: positive"
    CG_NEGATIVE = "cg_negative", "Conclusive grounds: negative"
    RECONSIDERATION_REQUESTED = "reconsideration_requested", "Reconsideration requested"
    MOVE_ON_SUPPORT = "move_on_support", "Move-on support"
    RECOVERY_NEEDS_ASSESSMENT = "recovery_needs_assessment", "Recovery needs assessment"
    EXITED = "exited", "Exited"


class CompetentAuthority(models.TextChoices):
    SCA = "sca", "Single Competent Authority"
    IECA = "ieca", "Immigration Enforcement Competent Authority"


class Stage(models.TextChoices):
    """Reintegration stages, in order. Re-trafficking is an event, not a stage."""

    CRISIS = "crisis", "Crisis and stabilisation"
    RECOVERY = "recovery", "Recovery (care plan active)"
    REINTEGRATION = "reintegration", "Reintegration"
    STABLE = "stable", "Stable / graduated"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    GRADUATED = "graduated", "Graduated"
    MOVED_OUT_OF_AREA = "moved_out_of_area", "Moved out of area"
    TRANSFERRED = "transferred", "Transferred to another organisation"
    LOST_CONTACT = "lost_contact", "Lost contact"
    DECLINED = "declined", "Declined further support"
    DECEASED = "deceased", "Deceased"
    OTHER = "other", "Other"


class TeamSupportType(models.TextChoices):
    """What the team did for a removal from exploitation or an arrest."""

    INTELLIGENCE = "intelligence", "Intelligence"
    TACTICAL_ADVICE = "tactical_advice", "Tactical advice"
    DIRECT_ASSISTANCE = "direct_assistance", "Direct assistance"
    NONE = "none", "None (learnt of afterwards)"


class ProsecutionSupport(models.TextChoices):
    SUPPORTED_ARREST = "supported_arrest", "Supported the arrest"
    SUPPORTED_VICTIM = "supported_victim", "Supported the victim in the legal process"
    SUPPORTED_PROSECUTOR = "supported_prosecutor", "Supported the prosecutor"


class ProsecutionOutcome(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    WITHDRAWN = "withdrawn", "Withdrawn / discontinued"
    OTHER = "other", "Other"


class CourtHearingKind(models.TextChoices):
    FIRST_HEARING = "first_hearing", "First hearing"
    PRE_TRIAL = "pre_trial", "Pre-trial hearing"
    TRIAL = "trial", "Trial day"
    EVIDENCE = "evidence", "Survivor gives evidence"
    VERDICT = "verdict", "Verdict"
    SENTENCING = "sentencing", "Sentencing"
    APPEAL = "appeal", "Appeal"


class RepatriationStage(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    TRAVEL_DOCUMENTS = "travel_documents", "Travel documents"
    PLANNED = "planned", "Planned"
    IN_TRANSIT = "in_transit", "In transit"
    ARRIVED = "arrived", "Arrived (completed)"
    POST_RETURN_FOLLOW_UP = "post_return_follow_up", "Post-return follow-up"
    CANCELLED = "cancelled", "Cancelled"


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
