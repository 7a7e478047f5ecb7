"""A case page with 500 timeline events."""

import re
from datetime import date

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.harness import Operation, Target, register
from casework.models import Case, CaseAssignment, FollowUp
from navigators.sessions import MFA_ENROLLED

TIMELINE_SIZE = 500

# Everything the case page shows, in one statement: each timeline entry with the columns its line is
# written from (and who recorded it), then the sections that are not timeline entries (the case and
# its survivor, the care plan and its goals, the Navigators now assigned, each repatriation, the
# closure and transfer requests). The wellbeing, police, NRM and legal sections show the same rows as
# the timeline, so the database is asked for them once. Timeline rows come newest first, in the page's
# order: day, then the record's id, then the kind's place in the timeline (`rank`).
CASE_PAGE_SQL = """
SELECT t.kind, t.key, t.day, t.a, t.b, t.c, t.d, t.e, t.notes, u.username, u.first_name, u.last_name
FROM (
  SELECT 'follow-up' AS kind, 'follow-up-' || f.id AS key, f.occurred_on AS day, f.id AS ord, 0 AS rank,
         f.mode AS a, f.outcome AS b, array_to_string(f.purposes, ',') AS c, f.duration_minutes::text AS d,
         f.next_due_on::text AS e, f.notes, f.recorded_by_id AS who
    FROM casework_followup f WHERE f.case_id = %(case)s
  UNION ALL SELECT 'support', 'support-' || s.id, s.occurred_on, s.id, 1, s.service_type, NULL, NULL, NULL, NULL,
         s.notes, s.recorded_by_id FROM casework_supportservice s WHERE s.case_id = %(case)s
  UNION ALL SELECT 'assessment', 'assessment-' || w.id, w.occurred_on, w.id, 2,
         concat_ws(',', w.safety, w.legal_protection, w.mental_wellbeing, w.economic_empowerment, w.social_support,
                   w.physical_wellbeing), NULL, NULL, NULL, NULL, NULL, w.recorded_by_id
    FROM casework_wellbeingassessment w WHERE w.case_id = %(case)s
  UNION ALL SELECT 'engagement', 'engagement-' || p.id, p.occurred_on, p.id, 3, p.level::text, p.is_withdrawal::text,
         NULL, NULL, NULL, p.notes, p.recorded_by_id FROM casework_policeengagementevent p WHERE p.case_id = %(case)s
  UNION ALL SELECT 'nrm', 'nrm-' || n.id, n.occurred_on, n.id, 4, n.status, n.first_responder, n.competent_authority,
         NULL, NULL, n.notes, n.recorded_by_id FROM casework_nrmevent n WHERE n.case_id = %(case)s
  UNION ALL SELECT 'stage', 'stage-' || g.id, g.occurred_on, g.id, 5, g.stage, g.closure_reason, NULL, NULL, NULL,
         g.notes, g.recorded_by_id FROM casework_stagechange g WHERE g.case_id = %(case)s
  UNION ALL SELECT 'retrafficking', 'retrafficking-' || r.id, r.occurred_on, r.id, 6, NULL, NULL, NULL, NULL, NULL,
         r.notes, r.recorded_by_id FROM casework_retraffickingevent r WHERE r.case_id = %(case)s
  UNION ALL SELECT 'rescue', 'rescue-' || x.id, x.occurred_on, x.id, 7, x.support_type, NULL, NULL, NULL, NULL,
         x.notes, x.recorded_by_id FROM casework_removalfromexploitation x WHERE x.case_id = %(case)s
  UNION ALL SELECT 'arrest', 'arrest-' || a.id, a.occurred_on, a.id, 8, a.support_type, ap.reference, NULL, NULL, NULL,
         a.notes, a.recorded_by_id
    FROM casework_arrest a JOIN casework_accusedperson ap ON ap.id = a.accused_id WHERE a.case_id = %(case)s
  UNION ALL SELECT 'legal', step.key || '-' || p.id, step.day, p.id, step.rank, ap.reference, p.offence, p.outcome,
         p.sentence, NULL, NULL, p.recorded_by_id
    FROM casework_prosecution p JOIN casework_accusedperson ap ON ap.id = p.accused_id
    CROSS JOIN LATERAL (VALUES ('charged', p.charged_on, 9), ('trial', p.trial_started_on, 10),
                               ('outcome', p.outcome_on, 11)) AS step(key, day, rank)
   WHERE p.case_id = %(case)s AND step.day IS NOT NULL
  UNION ALL SELECT 'court', 'court-' || h.id, h.scheduled_for, h.id, 12, h.kind, ap.reference,
         (h.scheduled_for >= %(today)s)::text, NULL, NULL, h.notes, NULL
    FROM casework_courthearing h JOIN casework_prosecution p ON p.id = h.prosecution_id
    JOIN casework_accusedperson ap ON ap.id = p.accused_id WHERE p.case_id = %(case)s
  UNION ALL SELECT 'repatriation', 'repatriation-' || rs.id, rs.occurred_on, rs.id, 13, rs.stage,
         rp.sending_country_id, rp.receiving_country_id, NULL, NULL, rs.notes, rs.recorded_by_id
    FROM casework_repatriationstep rs JOIN casework_repatriation rp ON rp.id = rs.repatriation_id
   WHERE rp.case_id = %(case)s
  -- the sections that are not timeline entries
  UNION ALL SELECT 'section:case', NULL, c.opened_on, c.id, 20, s.case_reference, tm.name, c.stage, c.closure_reason,
         c.closed_on::text, NULL, NULL
    FROM casework_case c JOIN survivors_survivor s ON s.id = c.survivor_id JOIN navigators_team tm ON tm.id = c.team_id
   WHERE c.id = %(case)s
  UNION ALL SELECT 'section:care-plan', NULL, cp.next_review_on, cp.id, 21, cp.started_on::text,
         cp.last_reviewed_on::text, NULL, NULL, NULL, cp.summary, NULL FROM casework_careplan cp WHERE cp.case_id = %(case)s
  UNION ALL SELECT 'section:goal', NULL, cg.target_on, cg.id, 22, cg.domain, cg.status, NULL, NULL, NULL, cg.goal, NULL
    FROM casework_careplangoal cg JOIN casework_careplan cp ON cp.id = cg.care_plan_id WHERE cp.case_id = %(case)s
  UNION ALL SELECT 'section:assigned', NULL, ca.started_on, ca.id, 23, NULL, NULL, NULL, NULL, NULL, NULL, ca.navigator_id
    FROM casework_caseassignment ca WHERE ca.case_id = %(case)s AND ca.ended_on IS NULL
  UNION ALL SELECT 'section:repatriation', NULL, rp.requested_on, rp.id, 24, rp.stage, sc.name, rc.name, rt.name, NULL,
         NULL, NULL
    FROM casework_repatriation rp JOIN navigators_country sc ON sc.code = rp.sending_country_id
    JOIN navigators_country rc ON rc.code = rp.receiving_country_id
    LEFT JOIN casework_case rcase ON rcase.id = rp.receiving_case_id LEFT JOIN navigators_team rt ON rt.id = rcase.team_id
   WHERE rp.case_id = %(case)s
  UNION ALL SELECT 'section:request', NULL, q.requested_on, q.id, 25, q.kind, q.status, q.closure_reason,
         q.closes_on::text, q.decision_note, q.notes, q.requested_by_id
    FROM casework_caserequest q WHERE q.case_id = %(case)s
) t
LEFT JOIN navigators_user u ON u.id = t.who
ORDER BY t.day DESC NULLS LAST, t.ord DESC, t.rank
"""

# A timeline entry on the page: <li id="entry-follow-up-123" …><div class="when"><time datetime="2025-03-01">
ENTRY = re.compile(r'<li id="entry-([a-z-]+-\d+)"[^>]*>\s*<div class="when"><time datetime="(\d{4}-\d\d-\d\d)">')


def _timeline_sizes(case_ids) -> dict[int, int]:
    """How many timeline entries each case has (what the lower bound's query returns for it)."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        sizes = {}
        for case_id in case_ids:
            cursor.execute(CASE_PAGE_SQL, {"case": case_id, "today": today})
            sizes[case_id] = sum(1 for row in cursor.fetchall() if not row[0].startswith("section:"))
    return sizes


def case_page_setup():
    """The case whose timeline is nearest 500 entries (seed_scale gives a few cases over 500 follow-ups),
    opened by its assigned Navigator, signed in as after their authenticator code."""
    busiest = (
        FollowUp.objects.values("case")
        .annotate(n=Count("id"))
        .order_by("-n", "case")
        .values_list("case", flat=True)[:20]
    )
    sizes = _timeline_sizes(busiest)
    case_id = min(sizes, key=lambda pk: (abs(sizes[pk] - TIMELINE_SIZE), pk))
    case = Case.objects.select_related("survivor").get(pk=case_id)
    assignment = (
        CaseAssignment.objects.filter(case=case, ended_on__isnull=True)
        .select_related("navigator")
        .order_by("started_on", "id")
        .first()
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(assignment.navigator)
    session = client.session
    session[MFA_ENROLLED] = True  # as after signing in with the authenticator's code
    session.save()
    detail = f"{case.survivor.case_reference}, {sizes[case_id]} entries; {assignment.navigator.username}"
    return {"client": client, "url": reverse("casework:case_detail", args=[case.pk]), "case_id": case.pk}, detail


def case_page_app(client, url, case_id):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"the case page answered {response.status_code}")
    return response.content.decode()


def case_page_answer(page: str) -> list[tuple[str, date]]:
    """The timeline entries the page shows, in its order: (key, day)."""
    return [(key, date.fromisoformat(day)) for key, day in ENTRY.findall(page)]


def case_page_lower_bound(client, url, case_id) -> list[tuple[str, date]]:
    with connection.cursor() as cursor:
        cursor.execute(CASE_PAGE_SQL, {"case": case_id, "today": timezone.localdate()})
        return [(row[1], row[2]) for row in cursor.fetchall() if not row[0].startswith("section:")]


register(
    Operation(
        name="a case page with 500 timeline events",
        setup=case_page_setup,
        app=case_page_app,
        lower_bound=case_page_lower_bound,
        app_answer=case_page_answer,
        target=Target("≤ 3× lower bound", max_vs_lower=3.0),
    )
)
