"""The Survivor vocabulary (../shared/spec/vocabulary.md), aligned with IOM's HTCDS v2.

Stable machine values are stored; labels are shown. A new value is a migration, never free text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMININE = "feminine", _("Feminine")
    MASCULINE = "masculine", _("Masculine")
    TRANSGENDER_FEMININE = "transgender_feminine", _("Transgender feminine")
    TRANSGENDER_MASCULINE = "transgender_masculine", _("Transgender masculine")
    NON_CONFORMING = "non_conforming", _("Non-conforming")
    UNKNOWN = "unknown", _("Not specified / unknown")


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date known")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated")
    UNKNOWN = "unknown", _("Unknown")


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "possible", _("Possible victim")
    ACTUAL = "actual", _("Actual victim")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")


class StatusDecidedBy(models.TextChoices):
    POLICE = "police", _("Police")
    NGO = "ngo", _("NGO")
    COURT_OR_PROSECUTION = "court_or_prosecution", _("Court or prosecution")
    OTHER_GOVERNMENT = "other_government", _("Other government body")
    OTHER = "other", _("Other")


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    CRIMINAL = "criminal", _("Criminal exploitation")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other")


class SexualExploitationSubtype(models.TextChoices):
    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE_ONLINE = "remote_online", _("Remote / online")
    PRIVATE_SEXUAL_SERVICES = "private_sexual_services", _("Private sexual services")


class IsicSection(models.TextChoices):
    """ISIC Rev. 4 sections, for the industry of forced labour."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply; sewerage, waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations")


class MeansOfControl(models.TextChoices):
    PHYSICAL_THREATS = "physical_threats", _("Physical threats")
    THREATS_OF_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats of law enforcement")
    THREATS_TO_FAMILY = "threats_family", _("Threats to children or family")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    FALSE_PROMISES = "false_promises", _("False promises")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    OTHER = "other", _("Other")


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FRIEND = "friend", _("Friend")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class ConsentTopic(models.TextChoices):
    """HTCDS consent questions, plus the separate consent to share information with police."""

    SUPPORT_AND_DATA = "support_and_data", _("To be supported and have data held")
    PURPOSE_EXPLAINED = "purpose_explained", _("Purpose explained")
    DATA_USE = "data_use", _("Data use")
    RESEARCH_USE = "research_use", _("Research use")
    RIGHT_TO_OWN_DATA = "right_to_own_data", _("Right to request own data")
    STORAGE_PERIOD_EXPLAINED = "storage_period_explained", _("Storage period explained")
    HOW_TO_WITHDRAW = "how_to_withdraw", _("How to withdraw")
    SHARE_WITH_POLICE = "share_with_police", _("Share information with police")
    SHARE_CROSS_BORDER = "share_cross_border", _("Share the case with a team in another country")


class IdentityDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TRAVEL_DOCUMENT = "travel_document", _("Emergency travel document")
    OTHER = "other", _("Other")
