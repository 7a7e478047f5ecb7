"""Reads of casework: the caseload, the case page's sections, the country lead's dashboard and requests.

Every read starts from the cases the user may see (`casework.access`), the one choke point.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from casework import choices
from casework.access import cases_visible_to
from casework.models import (
    Case,
    CaseAssignment,
    CaseRequest,
    CourtHearing,
    FollowUp,
    PoliceEngagementEvent,
    Repatriation,
    WellbeingAssessment,
)
from navigators.models import Country, RoleGrant, TeamMembership, User
from navigators.selectors import countries_led_by
from survivors.choices import ConsentTopic
from survivors.encryption import decrypt
from survivors.models import ConsentRecord
from survivors.selectors import survivors_matching_name


def with_caseload_columns(cases: QuerySet[Case], *, today) -> QuerySet[Case]:
    """Annotate each case with what a caseload shows, as sub-queries of the one list query.

    last_contact_on: the latest follow-up that reached the survivor; next_follow_up_due: what the latest
    follow-up set; current / highest engagement: the latest level and the highest ever reached; care
    plan review due; the next court date from today.
    """
    follow_ups = FollowUp.objects.filter(case=OuterRef("pk"))
    engagement = PoliceEngagementEvent.objects.filter(case=OuterRef("pk"))
    return cases.annotate(
        last_contact_on=Subquery(
            follow_ups.filter(outcome=choices.FollowUpOutcome.REACHED)
            .order_by("-occurred_on")
            .values("occurred_on")[:1]
        ),
        next_follow_up_due=Subquery(follow_ups.order_by("-occurred_on", "-id").values("next_due_on")[:1]),
        current_engagement=Subquery(engagement.order_by("-occurred_on", "-id").values("level")[:1]),
        highest_engagement=Subquery(engagement.values("case").annotate(highest=Max("level")).values("highest")[:1]),
        care_plan_review_due=F("care_plan__next_review_on"),
        next_court_date=Subquery(
            CourtHearing.objects.filter(prosecution__case=OuterRef("pk"), scheduled_for__gte=today)
            .order_by("scheduled_for")
            .values("scheduled_for")[:1]
        ),
    ).annotate(
        is_overdue=ExpressionWrapper(Q(next_follow_up_due__lt=today), output_field=BooleanField()),
        review_overdue=ExpressionWrapper(Q(care_plan_review_due__lt=today), output_field=BooleanField()),
    )


# What templates/casework/_caseload_rows.html shows of a case (the columns come from with_caseload_columns).
CASELOAD_FIELDS = ("stage", "opened_on", "team__name", "team__country_id", "survivor__case_reference")


def caseload(
    user,
    *,
    scope: str = "mine",
    query: str = "",
    stage: str = "",
    overdue_only: bool = False,
    today=None,
    country: str = "",
    navigator: int | None = None,
    unassigned: bool = False,
    open_only: bool = False,
    no_contact_days: int | None = None,
    review_overdue: bool = False,
    engagement: str = "",
    name: str = "",
) -> QuerySet[Case]:
    """The caseload page's cases: overdue follow-ups first, then by the date the next one is due.

    `scope` is "mine" (cases the user is assigned to now) or "all" (every case they may see: their
    team's, or their country's for a lead). `query` matches the start of a case reference, `name` a
    survivor's name through the blind index (only where the user may see the identity). The other
    filters are the country dashboard's drill-downs (`dashboard_measures`): a Navigator's cases now,
    cases nobody is assigned to, open ones, no contact for some days, care plan past review, and the
    current police-engagement level ("none" for none recorded).
    """
    today = today or timezone.localdate()
    cases = cases_visible_to(user)
    if scope == "mine":
        cases = cases.filter(
            Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), navigator=user, ended_on__isnull=True))
        )
    if query:
        cases = cases.filter(survivor__case_reference__istartswith=query.strip())
    if stage:
        cases = cases.filter(stage=stage)
    if name:
        # Through the blind index, and only among cases on which the user may see who the survivor is.
        cases = cases.filter(
            survivor__in=survivors_matching_name(name),
            pk__in=cases_visible_to(user, "casework.view_identity").values("pk"),
        )
    if country:
        cases = cases.filter(team__country_id=country)
    if open_only:
        cases = cases.exclude(stage=choices.Stage.CLOSED)
    if navigator:
        cases = cases.filter(
            Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), navigator_id=navigator, ended_on__isnull=True))
        )
    if unassigned:
        cases = cases.filter(~Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), ended_on__isnull=True)))
    cases = with_caseload_columns(cases, today=today)
    if overdue_only:
        cases = cases.filter(is_overdue=True)
    if no_contact_days is not None:
        cases = with_contact_or_opening(cases).filter(no_contact_for(no_contact_days, today=today))
    if review_overdue:
        cases = cases.filter(review_overdue=True)
    if engagement != "":
        cases = cases.filter(engagement_now_is(None if engagement == "none" else int(engagement)))
    # Overdue first, then by the day the next follow-up is due: the dates in order already put every day
    # before today first, and ordering by is_overdue as well would run the latest-follow-up sub-query again.
    # Only the columns the caseload page shows: a survivor's row is wide and the page lists every case.
    return (
        cases.select_related(None)
        .select_related("survivor", "team")
        .only(*CASELOAD_FIELDS)
        .order_by(F("next_follow_up_due").asc(nulls_last=True), "survivor__case_reference")
    )


def assessment_progress(assessments) -> list[dict]:
    """Per wellbeing domain: the first score, the latest and the change between them (assessments oldest first)."""
    if not assessments:
        return []
    first, latest = assessments[0], assessments[-1]
    return [
        {
            "domain": choices.WellbeingDomain(d).label,
            "first": getattr(first, d),
            "latest": getattr(latest, d),
            "change": getattr(latest, d) - getattr(first, d),
        }
        for d in WellbeingAssessment.DOMAINS
    ]


# The sections of the case page beside the timeline, in one statement: each section a JSON array of
# its rows (ordered as the models order them), or the care plan as one object with its goals. Nine ORM
# queries cost ~20 ms of the page's time in building and compiling them; this one costs ~1 ms.
CASE_SECTIONS_SQL = """
SELECT
  (SELECT json_build_object('started_on', p.started_on, 'next_review_on', p.next_review_on,
                            'last_reviewed_on', p.last_reviewed_on, 'summary', p.summary,
                            'goals', (SELECT json_agg(json_build_array(g.domain, g.goal, g.status, g.target_on)
                                                      ORDER BY g.domain, g.id)
                                        FROM casework_careplangoal g WHERE g.care_plan_id = p.id))
     FROM casework_careplan p WHERE p.case_id = %(case)s),
  (SELECT json_agg(json_build_array(w.safety, w.legal_protection, w.mental_wellbeing, w.economic_empowerment,
                                    w.social_support, w.physical_wellbeing) ORDER BY w.occurred_on, w.id)
     FROM casework_wellbeingassessment w WHERE w.case_id = %(case)s),
  (SELECT json_agg(json_build_array(e.occurred_on, e.level, e.is_withdrawal) ORDER BY e.occurred_on DESC, e.id DESC)
     FROM casework_policeengagementevent e WHERE e.case_id = %(case)s),
  (SELECT json_agg(json_build_array(n.occurred_on, n.status, n.competent_authority) ORDER BY n.occurred_on DESC, n.id DESC)
     FROM casework_nrmevent n WHERE n.case_id = %(case)s),
  (SELECT json_agg(json_build_array(a.occurred_on, x.reference, a.support_type) ORDER BY a.occurred_on DESC, a.id DESC)
     FROM casework_arrest a JOIN casework_accusedperson x ON x.id = a.accused_id WHERE a.case_id = %(case)s),
  (SELECT json_agg(json_build_array(p.id, x.reference, p.offence, p.outcome, p.outcome_on, p.sentence,
                                    (SELECT json_agg(json_build_array(h.scheduled_for, h.kind) ORDER BY h.scheduled_for, h.id)
                                       FROM casework_courthearing h WHERE h.prosecution_id = p.id)) ORDER BY p.id DESC)
     FROM casework_prosecution p JOIN casework_accusedperson x ON x.id = p.accused_id WHERE p.case_id = %(case)s),
  (SELECT json_agg(json_build_array(r.id, sending.name, receiving.name, r.stage, handed_to.name,
                                    (SELECT json_agg(json_build_array(s.occurred_on, s.stage, s.notes)
                                                     ORDER BY s.occurred_on DESC, s.id DESC)
                                       FROM casework_repatriationstep s WHERE s.repatriation_id = r.id))
                   ORDER BY r.requested_on DESC, r.id DESC)
     FROM casework_repatriation r
     JOIN navigators_country sending ON sending.code = r.sending_country_id
     JOIN navigators_country receiving ON receiving.code = r.receiving_country_id
     LEFT JOIN casework_case k ON k.id = r.receiving_case_id LEFT JOIN navigators_team handed_to ON handed_to.id = k.team_id
    WHERE r.case_id = %(case)s),
  (SELECT json_agg(json_build_array(u.username, u.first_name, u.last_name) ORDER BY a.started_on, a.id)
     FROM casework_caseassignment a JOIN navigators_user u ON u.id = a.navigator_id
    WHERE a.case_id = %(case)s AND a.ended_on IS NULL)
"""


def case_sections(case: Case) -> dict:
    """What the case page shows beside the timeline, from one query whatever the case's size (rows as
    plain objects with their labels; notes and goals decrypted as their fields would)."""
    from datetime import date
    from types import SimpleNamespace as Row

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CASE_SECTIONS_SQL, {"case": case.pk})
        plan, assessments, engagement, nrm, arrests, prosecutions, repatriations, assigned = cursor.fetchone()

    def day(text):
        return date.fromisoformat(text) if text else None

    def label(choice_class, value):
        return choice_class(value).label if value not in (None, "") else ""

    care_plan = plan and Row(
        started_on=day(plan["started_on"]),
        next_review_on=day(plan["next_review_on"]),
        last_reviewed_on=day(plan["last_reviewed_on"]),
        summary=decrypt(plan["summary"] or ""),
        goals=[
            Row(
                domain=label(choices.WellbeingDomain, domain),
                goal=decrypt(goal),
                status=label(choices.GoalStatus, status),
                target_on=day(target_on),
            )
            for domain, goal, status, target_on in plan["goals"] or []
        ],
    )
    assessments = [Row(**dict(zip(WellbeingAssessment.DOMAINS, scores, strict=True))) for scores in assessments or []]
    engagement = [
        Row(
            occurred_on=day(on),
            level=level,
            level_label=label(choices.EngagementLevel, level),
            is_withdrawal=withdrawal,
        )
        for on, level, withdrawal in engagement or []
    ]
    return {
        "care_plan": care_plan,
        "assessments": assessments,
        "assessment_progress": assessment_progress(assessments),
        "engagement_events": engagement,
        "engagement_current": engagement[0].level if engagement else None,
        "engagement_highest": max((e.level for e in engagement), default=None),
        "nrm_events": [
            Row(
                occurred_on=day(on),
                status=label(choices.NrmStatus, status),
                competent_authority=label(choices.CompetentAuthority, authority),
            )
            for on, status, authority in nrm or []
        ]
        if case.team.country_id == "GB"
        else None,
        "arrests": [
            Row(occurred_on=day(on), accused=accused, support_type=label(choices.TeamSupportType, support))
            for on, accused, support in arrests or []
        ],
        "prosecutions": [
            Row(
                pk=pk,
                accused=accused,
                offence=offence,
                outcome=label(choices.ProsecutionOutcome, outcome),
                outcome_on=day(outcome_on),
                sentence=sentence,
                hearings=[
                    Row(scheduled_for=day(on), kind=label(choices.CourtHearingKind, kind))
                    for on, kind in hearings or []
                ],
            )
            for pk, accused, offence, outcome, outcome_on, sentence, hearings in prosecutions or []
        ],
        "repatriations": [
            Row(
                pk=pk,
                sending_country=sending,
                receiving_country=receiving,
                stage=stage,
                stage_label=label(choices.RepatriationStage, stage),
                handed_to=handed_to,
                steps=[
                    Row(occurred_on=day(on), stage=label(choices.RepatriationStage, step), notes=decrypt(notes or ""))
                    for on, step, notes in steps or []
                ],
            )
            for pk, sending, receiving, stage, handed_to, steps in repatriations or []
        ],
        "assignments": [
            f"{first} {last}".strip() or username for username, first, last in assigned or []
        ],  # as User.__str__
    }


# The country lead's dashboard and requests. Each dashboard number is a condition on the columns of
# `with_caseload_columns`; `caseload` filters by the same conditions, so a number and its list agree.

NO_CONTACT_DAYS = 30


def countries_led(user) -> list[Country]:
    """The countries `user` leads (none for anyone else)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(
        Country.objects.filter(rolegrant__user=user, rolegrant__role=RoleGrant.Role.COUNTRY_LEAD).order_by("name")
    )


def leads_country_of(user, case: Case) -> bool:
    """Whether `user` leads the country of the case's team."""
    return case.team.country_id in countries_led_by(user)


def with_contact_or_opening(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Adds contact_or_opened_on: the last follow-up that reached the survivor, or the opening if none did."""
    return cases.annotate(contact_or_opened_on=Coalesce("last_contact_on", "opened_on"))


def no_contact_for(days: int, *, today) -> Q:
    """No follow-up reached the survivor in the last `days` days (counting from the opening when none ever did)."""
    return Q(contact_or_opened_on__lt=today - timedelta(days=days))


def engagement_now_is(level: int | None) -> Q:
    """The current police-engagement level is `level` (None: no engagement recorded)."""
    return Q(current_engagement__isnull=True) if level is None else Q(current_engagement=level)


def dashboard_measures(*, today) -> dict[str, Q | None]:
    """The dashboard's numbers by name, each the condition on an open case that counts it (None: every one)."""
    measures = {
        "open": None,
        "overdue": Q(is_overdue=True),
        "no_contact": no_contact_for(NO_CONTACT_DAYS, today=today),
        "review_overdue": Q(review_overdue=True),
    }
    for level in choices.EngagementLevel.values:
        measures[f"engagement_{level}"] = engagement_now_is(level)
    measures["engagement_none"] = engagement_now_is(None)
    return measures


def _measured_open_cases(user, countries, today) -> QuerySet[Case]:
    cases = cases_visible_to(user).filter(team__country_id__in=countries).exclude(stage=choices.Stage.CLOSED)
    return with_contact_or_opening(with_caseload_columns(cases, today=today))


def country_caseload_groups(user, *, countries, today) -> QuerySet:
    """The open cases of `countries` counted by country, current Navigators and the value of each
    dashboard measure (`is_<measure>`), for `country_caseload_numbers`.

    Each case's measures and Navigators are grouping columns, so PostgreSQL works out every sub-query
    of `with_caseload_columns` once per case; `Count(filter=…)` per measure ran each once per measure.
    """
    flags = {
        f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in dashboard_measures(today=today).items()
        if condition is not None
    }
    navigators = ArraySubquery(
        CaseAssignment.objects.filter(case=OuterRef("pk"), ended_on__isnull=True)
        .order_by("navigator_id")
        .values("navigator_id")
    )
    return (
        _measured_open_cases(user, countries, today)
        .values(country=F("team__country_id"), current_navigators=navigators, **flags)
        .annotate(cases=Count("pk"))
        .order_by()
    )


def country_caseload_numbers(user, *, countries, today) -> tuple[dict, dict]:
    """Each dashboard number per (country, assigned Navigator) (Navigator None: open cases nobody is
    assigned to) and per country over all its open cases: ({(country, navigator id): {measure: n}},
    {country: {measure: n}}), from one query whatever the number of cases and Navigators (a few groups
    per Navigator, summed here).
    """
    measures = dashboard_measures(today=today)
    counts, totals = defaultdict(Counter), defaultdict(Counter)
    for group in country_caseload_groups(user, countries=countries, today=today):
        # A condition that is NULL (no follow-up yet) counts no more than a false one, as in Count(filter=…).
        numbers = Counter(
            {name: group["cases"] for name, condition in measures.items() if condition is None or group[f"is_{name}"]}
        )
        for navigator in group["current_navigators"] or [None]:
            counts[(group["country"], navigator)] += numbers
        totals[group["country"]] += numbers
    return dict(counts), dict(totals)


def navigators_named(ids) -> list[User]:
    """The users of `ids` by name (none asked: no query)."""
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username")) if ids else []


def country_navigators(countries) -> list[TeamMembership]:
    """The current members of the countries' teams, by country, team and name."""
    return list(
        TeamMembership.objects.filter(team__country_id__in=countries, ended_on__isnull=True)
        .select_related("user", "team")
        .order_by("team__country_id", "team__name", "user__first_name", "user__last_name", "user__username")
    )


def pending_requests(user, *, countries) -> QuerySet[CaseRequest]:
    """Requests waiting for a lead of `countries`, oldest first, with what the decision needs: the survivor's
    cross-border consent in force (None: never asked) and the arrival of a repatriation not yet handed over."""
    consent = ConsentRecord.objects.filter(survivor=OuterRef("case__survivor"), topic=ConsentTopic.SHARE_CROSS_BORDER)
    arrived = Repatriation.objects.filter(case=OuterRef("case"), arrived_on__isnull=False, receiving_case__isnull=True)
    return (
        CaseRequest.objects.filter(
            status=CaseRequest.Status.PENDING, case__in=cases_visible_to(user).filter(team__country_id__in=countries)
        )
        .select_related("case__survivor", "case__team__country", "requested_by", "to_team__country")
        .annotate(
            cross_border_consent=Subquery(consent.order_by("-recorded_on", "-id").values("given")[:1]),
            repatriation_arrived_on=Subquery(arrived.order_by("-arrived_on").values("arrived_on")[:1]),
        )
        .order_by("requested_on", "id")
    )


def access_case_request(user, request_id) -> CaseRequest:
    """A request on a case `user` may see; 404 otherwise, the same as for a request that does not exist."""
    found = (
        CaseRequest.objects.filter(pk=request_id, case__in=cases_visible_to(user))
        .select_related("case__survivor", "case__team__country", "requested_by", "to_team__country")
        .first()
    )
    if found is None:
        raise Http404("No such request.")
    return found


def case_requests_of(case: Case) -> QuerySet[CaseRequest]:
    """A case's closure and transfer requests, newest first, for its page."""
    return case.requests.select_related("requested_by", "decided_by", "to_team__country", "new_case")


def current_assignments(case: Case) -> list[CaseAssignment]:
    """The case's Navigators now."""
    return list(
        CaseAssignment.objects.filter(case=case, ended_on__isnull=True)
        .select_related("navigator")
        .order_by("started_on", "id")
    )


def repatriation_awaiting_handover(case: Case) -> Repatriation | None:
    """The case's repatriation whose survivor has arrived but whose receiving team has no case yet."""
    return (
        case.repatriations.filter(arrived_on__isnull=False, receiving_case__isnull=True)
        .select_related("receiving_country", "receiving_team")
        .order_by("-arrived_on", "-id")
        .first()
    )
