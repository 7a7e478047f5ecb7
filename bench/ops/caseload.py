"""A Navigator's caseload page (200 cases)."""

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from bench.harness import Operation, Target, register
from casework import choices as cw
from casework.models import Case, CaseAssignment, CourtHearing, FollowUp, PoliceEngagementEvent
from navigators.models import User

# ---- a Navigator's caseload ------------------------------------------------------------------------

CASELOAD_SIZE = 200


def caseload_setup():
    """The Navigator whose caseload (cases assigned to them now) is nearest 200 cases."""
    counts = (
        CaseAssignment.objects.filter(ended_on__isnull=True)
        .values("navigator")
        .annotate(cases=Count("id"))
        .order_by("navigator")
    )
    picked = min(counts, key=lambda row: (abs(row["cases"] - CASELOAD_SIZE), row["navigator"]))
    navigator = User.objects.get(pk=picked["navigator"])
    return {"navigator": navigator, "today": timezone.localdate()}, f"{navigator.username}, {picked['cases']} cases"


def caseload_app(navigator, today):
    from casework.selectors import caseload

    return list(caseload(navigator, scope="mine", today=today))  # what the case list view pages through


def caseload_answer(cases) -> list[tuple]:
    return [
        (
            c.pk,
            c.survivor.case_reference,
            c.team.name,
            c.last_contact_on,
            c.next_follow_up_due,
            c.current_engagement,
            c.highest_engagement,
            c.care_plan_review_due,
            c.next_court_date,
        )
        for c in cases
    ]


# The same rows, columns and order as the caseload selector, from the assignment (which is what gives
# an assigned Navigator their permission) instead of through django-guardian.
CASELOAD_SQL = """
SELECT c.id, s.case_reference, t.name, contact.last_contact_on, latest.next_due_on, engagement.level,
       highest.level, plan.next_review_on, court.scheduled_for,
       c.*, s.*, t.*, k.*
FROM casework_caseassignment a
JOIN casework_case c ON c.id = a.case_id
JOIN survivors_survivor s ON s.id = c.survivor_id
JOIN navigators_team t ON t.id = c.team_id
JOIN navigators_country k ON k.code = t.country_id
LEFT JOIN casework_careplan plan ON plan.case_id = c.id
LEFT JOIN LATERAL (SELECT max(f.occurred_on) AS last_contact_on FROM casework_followup f
                   WHERE f.case_id = c.id AND f.outcome = 'reached') contact ON true
LEFT JOIN LATERAL (SELECT f.next_due_on FROM casework_followup f WHERE f.case_id = c.id
                   ORDER BY f.occurred_on DESC, f.id DESC LIMIT 1) latest ON true
LEFT JOIN LATERAL (SELECT e.level FROM casework_policeengagementevent e WHERE e.case_id = c.id
                   ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1) engagement ON true
LEFT JOIN LATERAL (SELECT max(e.level) AS level FROM casework_policeengagementevent e WHERE e.case_id = c.id) highest ON true
LEFT JOIN LATERAL (SELECT min(h.scheduled_for) AS scheduled_for FROM casework_courthearing h
                   JOIN casework_prosecution p ON p.id = h.prosecution_id
                   WHERE p.case_id = c.id AND h.scheduled_for >= %(today)s) court ON true
WHERE a.navigator_id = %(navigator)s AND a.ended_on IS NULL
ORDER BY latest.next_due_on < %(today)s DESC NULLS LAST, latest.next_due_on ASC NULLS LAST, s.case_reference
"""


def caseload_lower_bound(navigator, today) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(CASELOAD_SQL, {"navigator": navigator.pk, "today": today})
        return [tuple(row[:9]) for row in cursor.fetchall()]


def caseload_naive(navigator, today) -> list[tuple]:
    """A first version: the assigned cases, then each case's columns asked for one case at a time."""
    cases = Case.objects.filter(assignments__navigator=navigator, assignments__ended_on__isnull=True).select_related(
        "survivor", "team__country"
    )
    rows = []
    for case in cases:
        follow_ups = FollowUp.objects.filter(case=case)
        reached = follow_ups.filter(outcome=cw.FollowUpOutcome.REACHED).order_by("-occurred_on").first()
        latest = follow_ups.order_by("-occurred_on", "-id").first()
        engagement = list(PoliceEngagementEvent.objects.filter(case=case).order_by("-occurred_on", "-id"))
        plan = getattr(case, "care_plan", None)  # a missing care plan raises AttributeError's subclass
        hearing = (
            CourtHearing.objects.filter(prosecution__case=case, scheduled_for__gte=today)
            .order_by("scheduled_for")
            .first()
        )
        rows.append(
            (
                case.pk,
                case.survivor.case_reference,
                case.team.name,
                reached and reached.occurred_on,
                latest and latest.next_due_on,
                engagement[0].level if engagement else None,
                max((e.level for e in engagement), default=None),
                plan and plan.next_review_on,
                hearing and hearing.scheduled_for,
            )
        )
    overdue = {True: 0, False: 1, None: 2}
    rows.sort(key=lambda r: (overdue[None if r[4] is None else r[4] < today], r[4] is None, r[4] or today, r[1]))
    return rows


register(
    Operation(
        name="a Navigator's caseload",
        setup=caseload_setup,
        app=caseload_app,
        lower_bound=caseload_lower_bound,
        naive=caseload_naive,
        app_answer=caseload_answer,
        target=Target("≤ 3× lower bound; queries constant", max_vs_lower=3.0),
    )
)
