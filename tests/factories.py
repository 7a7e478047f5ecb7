"""factory-boy factories for every model. Defaults build valid rows dated in the recent past."""

import time
from datetime import date, timedelta

import factory
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from casework import choices as cw
from casework import models as cm
from navigators import models as nm
from navigators.services import totp_enrol
from navigators.sessions import has_authenticator_app
from reporting import models as rm
from reporting.periods import half_year
from survivors import models as sm


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = nm.Country
        django_get_or_create = ["code"]

    code = "GB"
    group = factory.LazyAttribute(lambda o: Group.objects.get_or_create(name=f"country:{o.code}")[0])
    name = factory.LazyAttribute(
        lambda o: {"GB": "United Kingdom", "RO": "Romania", "BD": "Bangladesh", "TH": "Thailand", "IN": "India"}.get(
            o.code, o.code
        )
    )
    is_direct_work = factory.LazyAttribute(lambda o: o.code in {"GB", "RO", "BD"})


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = nm.Team

    name = factory.Sequence(lambda n: f"Team {n}")
    country = factory.SubFactory(CountryFactory)
    kind = nm.Team.Kind.POLICE
    group = factory.LazyAttribute(lambda o: Group.objects.get_or_create(name=f"team:{o.name}")[0])


# Two-factor authentication is compulsory: every test user has an authenticator app with this secret
# (tests only), and `totp_code()` is what their app would show now.
TOTP_SECRET = "TESTSECRETFORTESTSONLYTESTSECRET"


def totp_code(at: float | None = None, secret: str = TOTP_SECRET) -> str:
    """The authenticator code for `secret` at the moment `at` (now by default)."""
    return format_hotp_value(hotp_value(secret, int(time.time() if at is None else at) // app_settings.TOTP_PERIOD))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = nm.User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def authenticator_app(user, create, extracted, **kwargs):
        """Enrolled with TOTP_SECRET; `UserFactory(authenticator_app=False)` for someone not enrolled yet."""
        if create and extracted is not False and not has_authenticator_app(user):
            totp_enrol(acting_user=None, user=user, secret=TOTP_SECRET)


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = nm.TeamMembership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    started_on = factory.LazyFunction(lambda: days_ago(400))


class RoleGrantFactory(DjangoModelFactory):
    class Meta:
        model = nm.RoleGrant

    user = factory.SubFactory(UserFactory)
    role = nm.RoleGrant.Role.NAVIGATOR
    country = None


class RoleGrantRequestFactory(DjangoModelFactory):
    """A pending request for a role, asked by someone else (approve it with dataprotection.roles)."""

    class Meta:
        model = nm.RoleGrantRequest

    user = factory.SubFactory(UserFactory)
    role = nm.RoleGrant.Role.NAVIGATOR
    country = None
    requested_by = factory.SubFactory(UserFactory)
    reason = "Joins the team on Monday"


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = nm.Partner
        django_get_or_create = ["name"]

    name = "LIFT International"
    country = factory.SubFactory(CountryFactory, code="TH")


class SurvivorFactory(DjangoModelFactory):
    class Meta:
        model = sm.Survivor

    case_reference = factory.Sequence(lambda n: f"SV-T{n:05d}")
    citizenships = factory.LazyFunction(lambda: ["GB"])
    birth_year = 1995
    age_at_exploitation = 24
    registered_on = factory.LazyFunction(lambda: days_ago(200))


class SurvivorIdentityFactory(DjangoModelFactory):
    class Meta:
        model = sm.SurvivorIdentity

    survivor = factory.SubFactory(SurvivorFactory)
    legal_name = factory.Sequence(lambda n: f"Test Person {n}")
    phone = "07700 900123"
    address = "1 Example Street, London"


class SurvivorExploitationFactory(DjangoModelFactory):
    class Meta:
        model = sm.SurvivorExploitation

    survivor = factory.SubFactory(SurvivorFactory)
    type = sm.SurvivorExploitation.Type.FORCED_LABOUR
    industry = "F"


class IdentityDocumentFactory(DjangoModelFactory):
    class Meta:
        model = sm.IdentityDocument

    survivor = factory.SubFactory(SurvivorFactory)
    kind = "passport"
    number = factory.Sequence(lambda n: f"P{n:08d}")
    issuing_country = "RO"


class PossibleDuplicateFactory(DjangoModelFactory):
    """A survivor registered while another, out of the registering user's sight, looked like them."""

    class Meta:
        model = sm.PossibleDuplicate

    survivor = factory.SubFactory(SurvivorFactory)
    match = factory.SubFactory(SurvivorFactory)


class ConsentRecordFactory(DjangoModelFactory):
    class Meta:
        model = sm.ConsentRecord

    survivor = factory.SubFactory(SurvivorFactory)
    topic = "support_and_data"
    given = True
    recorded_on = factory.LazyFunction(lambda: days_ago(100))
    recorded_by = factory.SubFactory(UserFactory)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = cm.Case

    survivor = factory.SubFactory(SurvivorFactory)
    team = factory.SubFactory(TeamFactory)
    opened_on = factory.LazyFunction(lambda: days_ago(100))


class CaseAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = cm.CaseAssignment

    case = factory.SubFactory(CaseFactory)
    navigator = factory.SubFactory(UserFactory)
    started_on = factory.LazyAttribute(lambda o: o.case.opened_on)


class CaseEventFactory(DjangoModelFactory):
    """Dated within the case: a few days after it opened by default."""

    case = factory.SubFactory(CaseFactory)
    occurred_on = factory.LazyAttribute(lambda o: o.case.opened_on + timedelta(days=5))


class FollowUpFactory(CaseEventFactory):
    class Meta:
        model = cm.FollowUp

    mode = cw.FollowUpMode.PHONE
    outcome = cw.FollowUpOutcome.REACHED
    purposes = factory.LazyFunction(lambda: [cw.FollowUpPurpose.SAFETY_CHECK])
    duration_minutes = 20
    next_due_on = factory.LazyAttribute(lambda o: o.occurred_on + timedelta(days=14))


class SupportServiceFactory(CaseEventFactory):
    class Meta:
        model = cm.SupportService

    service_type = cw.SupportServiceType.ACCOMMODATION


class CarePlanFactory(DjangoModelFactory):
    class Meta:
        model = cm.CarePlan

    case = factory.SubFactory(CaseFactory)
    started_on = factory.LazyAttribute(lambda o: o.case.opened_on + timedelta(days=7))
    next_review_on = factory.LazyAttribute(lambda o: o.started_on + timedelta(days=90))


class CarePlanGoalFactory(DjangoModelFactory):
    class Meta:
        model = cm.CarePlanGoal

    care_plan = factory.SubFactory(CarePlanFactory)
    domain = cw.WellbeingDomain.SAFETY
    goal = "Safe, stable accommodation"


class WellbeingAssessmentFactory(CaseEventFactory):
    class Meta:
        model = cm.WellbeingAssessment

    safety = 2
    legal_protection = 2
    mental_wellbeing = 1
    economic_empowerment = 1
    social_support = 2
    physical_wellbeing = 3


class PoliceEngagementEventFactory(CaseEventFactory):
    class Meta:
        model = cm.PoliceEngagementEvent

    level = cw.EngagementLevel.INFORMATION_ON_RECORD


class NrmEventFactory(CaseEventFactory):
    class Meta:
        model = cm.NrmEvent

    case = factory.SubFactory(CaseFactory, team__country=factory.SubFactory(CountryFactory, code="GB"))
    status = cw.NrmStatus.REFERRED


class StageChangeFactory(CaseEventFactory):
    class Meta:
        model = cm.StageChange

    stage = cw.Stage.RECOVERY


class RetraffickingEventFactory(CaseEventFactory):
    class Meta:
        model = cm.RetraffickingEvent


class RemovalFromExploitationFactory(CaseEventFactory):
    class Meta:
        model = cm.RemovalFromExploitation

    support_type = cw.TeamSupportType.DIRECT_ASSISTANCE


class AccusedPersonFactory(DjangoModelFactory):
    class Meta:
        model = cm.AccusedPerson

    reference = factory.Sequence(lambda n: f"ACC-T{n:04d}")
    recorded_by_team = factory.SubFactory(TeamFactory)


class ArrestFactory(CaseEventFactory):
    class Meta:
        model = cm.Arrest

    accused = factory.SubFactory(AccusedPersonFactory, recorded_by_team=factory.SelfAttribute("..case.team"))
    support_type = cw.TeamSupportType.INTELLIGENCE


class ProsecutionFactory(DjangoModelFactory):
    class Meta:
        model = cm.Prosecution

    case = factory.SubFactory(CaseFactory)
    accused = factory.SubFactory(AccusedPersonFactory, recorded_by_team=factory.SelfAttribute("..case.team"))
    offence = "Human trafficking"
    support_kinds = factory.LazyFunction(lambda: [cw.ProsecutionSupport.SUPPORTED_VICTIM])
    charged_on = factory.LazyAttribute(lambda o: o.case.opened_on + timedelta(days=10))


class CourtHearingFactory(DjangoModelFactory):
    class Meta:
        model = cm.CourtHearing

    prosecution = factory.SubFactory(ProsecutionFactory)
    scheduled_for = factory.LazyFunction(lambda: days_ago(-30))
    kind = cw.CourtHearingKind.PRE_TRIAL


class RepatriationFactory(DjangoModelFactory):
    class Meta:
        model = cm.Repatriation

    case = factory.SubFactory(CaseFactory)
    sending_country = factory.LazyAttribute(lambda o: o.case.team.country)
    receiving_country = factory.SubFactory(CountryFactory, code="RO")
    sending_team = factory.LazyAttribute(lambda o: o.case.team)
    requested_on = factory.LazyAttribute(lambda o: o.case.opened_on + timedelta(days=10))


class RepatriationStepFactory(DjangoModelFactory):
    class Meta:
        model = cm.RepatriationStep

    repatriation = factory.SubFactory(RepatriationFactory)
    stage = cw.RepatriationStage.REQUESTED
    occurred_on = factory.LazyAttribute(lambda o: o.repatriation.requested_on)


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = rm.TrainingSession

    team = factory.SubFactory(TeamFactory)
    held_on = factory.LazyFunction(lambda: days_ago(20))
    audience = "police"
    attendee_count = 25


class PreventionSessionFactory(DjangoModelFactory):
    class Meta:
        model = rm.PreventionSession

    team = factory.SubFactory(TeamFactory)
    held_on = factory.LazyFunction(lambda: days_ago(20))
    participants = 40


class AggregateReturnFactory(DjangoModelFactory):
    class Meta:
        model = rm.AggregateReturn

    source = "partner"
    partner = factory.SubFactory(PartnerFactory)
    period_start = half_year(2023, 1).start
    period_end = half_year(2023, 1).end
    funded = True


class AggregateReturnValueFactory(DjangoModelFactory):
    class Meta:
        model = rm.AggregateReturnValue

    aggregate_return = factory.SubFactory(AggregateReturnFactory)
    indicator = "victims_removed"
    value = 12


class AccessRecordFactory(DjangoModelFactory):
    class Meta:
        model = sm.AccessRecord

    user = factory.SubFactory(UserFactory)
    survivor = factory.SubFactory(SurvivorFactory)
    action = sm.AccessRecord.Action.VIEWED
    ip_address = "127.0.0.1"


class EmailAddressFactory(DjangoModelFactory):
    """allauth's record of a user's e-mail address (in the admin, for administrators)."""

    class Meta:
        model = "account.EmailAddress"

    user = factory.SubFactory(UserFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    verified = True
    primary = True


class UserSessionFactory(DjangoModelFactory):
    """allauth.usersessions' record of one signed-in browser (listed on the person's sessions page)."""

    class Meta:
        model = "usersessions.UserSession"

    user = factory.SubFactory(UserFactory)
    session_key = factory.Sequence(lambda n: f"test-session-{n:020d}")
    ip = "10.0.0.1"
    user_agent = "Mozilla/5.0 (test)"


class AccessAttemptFactory(DjangoModelFactory):
    """django-axes' count of failed sign-ins for one username from one address."""

    class Meta:
        model = "axes.AccessAttempt"

    username = "navigator.test"
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0 (test)"
    get_data = ""
    post_data = "login=navigator.test\npassword=********"
    failures_since_start = 1


class AccessLogFactory(DjangoModelFactory):
    """django-axes' record of one sign-in."""

    class Meta:
        model = "axes.AccessLog"

    username = "navigator.test"
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0 (test)"


class AccessFailureLogFactory(DjangoModelFactory):
    """django-axes' record of one failed sign-in."""

    class Meta:
        model = "axes.AccessFailureLog"

    username = "navigator.test"
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0 (test)"


class ReminderDigestFactory(DjangoModelFactory):
    class Meta:
        model = nm.ReminderDigest

    navigator = factory.SubFactory(UserFactory)
    sent_on = factory.LazyFunction(timezone.localdate)


class SurvivorNameTokenFactory(DjangoModelFactory):
    """One blind-index row; `word` is hashed as survivors.services would, never stored."""

    class Meta:
        model = sm.SurvivorNameToken
        exclude = ["word"]

    survivor = factory.SubFactory(SurvivorFactory)
    word = factory.Sequence(lambda n: f"name{n}")
    kind = sm.SurvivorNameToken.Kind.EXACT

    @factory.lazy_attribute
    def digest(self):
        from survivors.blind_index import digest

        return digest(self.kind, self.word)


class CaseRequestFactory(DjangoModelFactory):
    """A Navigator's pending request to close the case (pass kind="transfer" and to_team for a transfer)."""

    class Meta:
        model = cm.CaseRequest

    case = factory.SubFactory(CaseFactory)
    kind = cm.CaseRequest.Kind.CLOSURE
    requested_by = factory.SubFactory(UserFactory)
    closure_reason = factory.LazyAttribute(lambda o: cw.ClosureReason.GRADUATED if o.kind == "closure" else "")
    closes_on = factory.LazyAttribute(lambda o: timezone.localdate() if o.kind == "closure" else None)


class PublishedReportFactory(DjangoModelFactory):
    class Meta:
        model = rm.PublishedReport

    label = "21/22 H1"
    period_start = half_year(2021, 1).start
    period_end = half_year(2021, 1).end
    rules_version = "test"
    fingerprint = "0" * 64
    table = factory.LazyFunction(lambda: {"indicators": [], "outcomes": []})
    published_by = factory.SubFactory(UserFactory)


class ExportJobFactory(DjangoModelFactory):
    class Meta:
        model = rm.ExportJob

    requested_by = factory.SubFactory(UserFactory)
    kind = "headline_report"
    parameters = factory.LazyFunction(dict)


# ---- data protection (dataprotection) -------------------------------------------------------------


def _saved_and_chained(create, model_class, kind, args, kwargs):
    """Save the row with its link in the audit chain, as the services write them, so verify_audit passes."""
    from django.db import transaction

    from dataprotection.chain import chain_append

    with transaction.atomic():
        record = create(model_class, *args, **kwargs)
        chain_append(kind=kind, record=record)
    return record


class LegalHoldFactory(DjangoModelFactory):
    class Meta:
        model = "dataprotection.LegalHold"

    survivor = factory.SubFactory(SurvivorFactory)
    reason = "Civil claim against the employer; solicitor's letter of 3 March"
    set_by = factory.SubFactory(UserFactory)


class ChainedAccessRecordFactory(AccessRecordFactory):
    """An access record with its link, as dataprotection.services.access_record writes it."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _saved_and_chained(super()._create, model_class, "access", args, kwargs)


class ErasureFactory(DjangoModelFactory):
    class Meta:
        model = "dataprotection.Erasure"

    survivor = factory.SubFactory(SurvivorFactory)
    erased_by = factory.SubFactory(UserFactory)
    reason = "The survivor's request"
    removed = factory.LazyFunction(lambda: {"casework.FollowUp.notes": {"live": 1, "history": 2}})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _saved_and_chained(super()._create, model_class, "erasure", args, kwargs)


class RetentionRunFactory(DjangoModelFactory):
    class Meta:
        model = "dataprotection.RetentionRun"

    run_on = factory.Sequence(lambda n: days_ago(n + 1))
    cutoff = factory.LazyAttribute(lambda o: o.run_on - timedelta(days=7 * 365))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _saved_and_chained(super()._create, model_class, "retention", args, kwargs)


class AuditChainLinkFactory(DjangoModelFactory):
    """The link of a new access record (links are only ever written by dataprotection.chain.chain_append)."""

    class Meta:
        model = "dataprotection.AuditChainLink"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = ChainedAccessRecordFactory(**kwargs)
        return model_class.objects.get(kind="access", record_id=record.pk)
