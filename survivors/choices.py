"""The Survivor vocabulary (../shared/spec/vocabulary.md), aligned with IOM's HTCDS v2.

Stable machine values are stored; labels are shown. A new value is a migration, never free text.
"""

from django.db import models


class Gender(models.TextChoices):
    FEMININE = "feminine", "Feminine"
    MASCULINE = "masculine", "Masculine"
    TRANSGENDER_FEMININE = "transgender_feminine", "Transgender feminine"
    TRANSGENDER_MASCULINE = "transgender_masculine", "Transgender masculine"
    NON_CONFORMING = "non_conforming", "Non-conforming"
    UNKNOWN = "unknown", "Not specified / unknown"


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", "Exact date known"
    YEAR = "year", "Year only"
    ESTIMATED = "estimated", "Estimated"
    UNKNOWN = "unknown", "Unknown"


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "possible", "Possible victim"
    ACTUAL = "actual", "Actual victim"
    NOT_A_VICTIM = "not_a_victim", "Not a victim"


class StatusDecidedBy(models.TextChoices):
    POLICE = "police", "Police"
    NGO = "ngo", "NGO"
    COURT_OR_PROSECUTION = "court_or_prosecution", "Court or prosecution"
    OTHER_GOVERNMENT = "other_government", "Other government body"
    OTHER = "other", "Other"


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", "Sexual exploitation"
    FORCED_LABOUR = "forced_labour", "Forced labour"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    CRIMINAL = "criminal", "Criminal exploitation"
    CHILD_LABOUR = "child_labour", "Child labour"
    FORCED_MARRIAGE = "forced_marriage", "Forced marriage"
    FORCED_BEGGING = "forced_begging", "Forced begging"
    ORGAN_REMOVAL = "organ_removal", "Organ removal"
    OTHER = "other", "Other"


class SexualExploitationSubtype(models.TextChoices):
    PROSTITUTION = "prostitution", "Prostitution"
    PORNOGRAPHY = "pornography", "Pornography"
    REMOTE_ONLINE = "remote_online", "Remote / online"
    PRIVATE_SEXUAL_SERVICES = "private_sexual_services", "Private sexual services"


class IsicSection(models.TextChoices):
    """ISIC Rev. 4 sections, for the industry of forced labour."""

    A = "A", "Agriculture, forestry and fishing"
    B = "B", "Mining and quarrying"
    C = "C", "Manufacturing"
    D = "D", "Electricity, gas, steam and air conditioning supply"
    E = "E", "Water supply; sewerage, waste management"
    F = "F", "Construction"
    G = "G", "Wholesale and retail trade; repair of motor vehicles"
    H = "H", "Transportation and storage"
    I = "I", "Accommodation and food service activities"  # noqa: E741
    J = "J", "Information and communication"
    K = "K", "Financial and insurance activities"
    L = "L", "Real estate activities"
    M = "M", "Professional, scientific and technical activities"
    N = "N", "Administrative and support service activities"
    O = "O", "Public administration and defence"  # noqa: E741
    P = "P", "Education"
    Q = "Q", "Human health and social work activities"
    R = "R", "Arts, entertainment and recreation"
    S = "S", "Other service activities"
    T = "T", "Activities of households as employers"
    U = "U", "Activities of extraterritorial organisations"


class MeansOfControl(models.TextChoices):
    PHYSICAL_THREATS = "physical_threats", "Physical threats"
    THREATS_OF_LAW_ENFORCEMENT = "threats_law_enforcement", "Threats of law enforcement"
    THREATS_TO_FAMILY = "threats_family", "Threats to children or family"
    DEBT_BONDAGE = "debt_bondage", "Debt bondage"
    FALSE_PROMISES = "false_promises", "False promises"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    TAKES_EARNINGS = "takes_earnings", "Takes earnings"
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", "Restricts financial access"
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", "Restricts medical care"
    WITHHOLDS_NECESSITIES = "withholds_necessities", "Withholds necessities"
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", "Psychological abuse"
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", "Psychoactive substances"
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", "Excessive working hours"
    WITHHOLDS_DOCUMENTS = "withholds_documents", "Withholds documents"
    RESTRICTS_MOVEMENT = "restricts_movement", "Restricts movement"
    OTHER = "other", "Other"


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", "Intimate partner"
    FRIEND = "friend", "Friend"
    FAMILY = "family", "Family"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class ConsentTopic(models.TextChoices):
    """HTCDS consent questions, plus the separate consent to share information with police."""

    SUPPORT_AND_DATA = "support_and_data", "To be supported and have data held"
    PURPOSE_EXPLAINED = "purpose_explained", "Purpose explained"
    DATA_USE = "data_use", "Data use"
    RESEARCH_USE = "research_use", "Research use"
    RIGHT_TO_OWN_DATA = "right_to_own_data", "Right to request own data"
    STORAGE_PERIOD_EXPLAINED = "storage_period_explained", "Storage period explained"
    HOW_TO_WITHDRAW = "how_to_withdraw", "How to withdraw"
    SHARE_WITH_POLICE = "share_with_police", "Share information with police"
    SHARE_CROSS_BORDER = "share_cross_border", "Share the case with a team in another country"


class IdentityDocumentKind(models.TextChoices):
    PASSPORT = "passport", "Passport"
    NATIONAL_ID = "national_id", "National identity card"
    BIRTH_CERTIFICATE = "birth_certificate", "Birth certificate"
    RESIDENCE_PERMIT = "residence_permit", "Residence permit"
    TRAVEL_DOCUMENT = "travel_document", "Emergency travel document"
    OTHER = "other", "Other"
