"""The headline and outcome indicators, one small named definition each (../shared/spec/indicators.md).

Each headline indicator is a SQL query naming its *contributions*: rows of (country_id, subject_id,
amount) for one period, where country_id is the ISO code of the country of the team that did the work.
`reporting.headline` aggregates them in PostgreSQL: person-based indicators count distinct subjects
(per country, and de-duplicated across countries for the direct-work total), head-count indicators sum
the amounts. Queries take the named parameters %(start)s and %(end)s (the period, inclusive).

The choices the spec leaves open are documented beside the rule here and in docs/indicators.md.
"""

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext_lazy as _


class Counting(Enum):
    DISTINCT = "distinct"  # distinct subjects: one survivor (accused, return) counts once per column
    SUM = "sum"  # a sum of head counts


# Team support that counts a removal or an arrest: intelligence, tactical advice or direct assistance.
_TEAM_SUPPORTED = "('intelligence', 'tactical_advice', 'direct_assistance')"

# Support instances in the period: reached follow-ups and support services, with the survivor, the
# country of the case's team and whether it was a follow-up (the outcomes count those too, so the
# follow-ups of the period are read once). Used by survivors_cared_for and by the outcome cohort.
SUPPORT_INSTANCES_IN_PERIOD = """
    SELECT c.survivor_id, t.country_id, 1 AS follow_up
      FROM casework_followup f
      JOIN casework_case c ON c.id = f.case_id
      JOIN navigators_team t ON t.id = c.team_id
     WHERE f.outcome = 'reached' AND f.occurred_on BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT c.survivor_id, t.country_id, 0 AS follow_up
      FROM casework_supportservice s
      JOIN casework_case c ON c.id = s.case_id
      JOIN navigators_team t ON t.id = c.team_id
     WHERE s.occurred_on BETWEEN %(start)s AND %(end)s
"""

# Survivors cared for: ≥1 support instance by a team of C in the period, and ≥2 in all (any team)
# on or before its end. Two in all by the end of the period is: two or more in the period, or one in
# the period and one before it. So only the survivors with a single instance in the period are looked
# up further back (through the (case, -occurred_on) indexes), instead of reading every instance since
# records began. These are the common table expressions; `cared_for` is (country_id, survivor_id).
CARED_FOR_CTES = f"""
    in_period AS (
        SELECT country_id, survivor_id, count(*) AS instances, sum(follow_up) AS follow_ups
          FROM ({SUPPORT_INSTANCES_IN_PERIOD}) AS instances
         GROUP BY country_id, survivor_id
    ),
    per_survivor AS (
        SELECT survivor_id, sum(instances) AS instances FROM in_period GROUP BY survivor_id
    ),
    supported_twice AS (
        SELECT survivor_id FROM per_survivor WHERE instances >= 2
        UNION ALL
        SELECT p.survivor_id FROM per_survivor p
         WHERE p.instances = 1 AND (
            EXISTS (SELECT 1 FROM casework_followup f JOIN casework_case c ON c.id = f.case_id
                     WHERE c.survivor_id = p.survivor_id AND f.outcome = 'reached' AND f.occurred_on < %(start)s)
            OR EXISTS (SELECT 1 FROM casework_supportservice s JOIN casework_case c ON c.id = s.case_id
                        WHERE c.survivor_id = p.survivor_id AND s.occurred_on < %(start)s)
         )
    ),
    cared_for AS (
        SELECT p.country_id, p.survivor_id FROM in_period p JOIN supported_twice USING (survivor_id)
    )
"""

# Rows: (country_id, subject_id = survivor id, amount).
SURVIVORS_CARED_FOR = f"""
    WITH {CARED_FOR_CTES}
    SELECT country_id, survivor_id AS subject_id, 1 AS amount FROM cared_for
"""


@dataclass(frozen=True)
class HeadlineIndicator:
    id: str
    label: str
    unit: str
    counting: Counting
    definition: str
    sql: str
    section: str  # the published table's grouping: "saving_lives" or "prosecuting"

    @property
    def person_based(self) -> bool:
        return self.counting is Counting.DISTINCT


def _event_by_case_team(table: str, subject: str, where: str) -> str:
    """Contributions from a case event table: the case team's country, a subject column, a condition."""
    return f"""
        SELECT t.country_id, {subject} AS subject_id, 1 AS amount
          FROM {table} e
          JOIN casework_case c ON c.id = e.case_id
          JOIN navigators_team t ON t.id = c.team_id
         WHERE {where}
    """


VICTIMS_REMOVED = HeadlineIndicator(
    id="victims_removed",
    label=_("Victims removed from exploitation"),
    unit=_("survivors"),
    counting=Counting.DISTINCT,
    definition=_(
        "The survivor has a removal-from-exploitation event dated in the period, supported by a team of the "
        "country with intelligence, tactical advice or direct assistance (a removal the team only learnt of "
        "afterwards does not count). Direct work: distinct survivors."
    ),
    sql=_event_by_case_team(
        "casework_removalfromexploitation",
        "c.survivor_id",
        f"e.occurred_on BETWEEN %(start)s AND %(end)s AND e.support_type IN {_TEAM_SUPPORTED}",
    ),
    section="saving_lives",
)

SURVIVORS_CARED_FOR_INDICATOR = HeadlineIndicator(
    id="survivors_cared_for",
    label=_("Survivors cared for"),
    unit=_("survivors"),
    counting=Counting.DISTINCT,
    definition=_(
        "The survivor has at least one support instance (a follow-up that reached them, or a support service) "
        "by a team of the country dated in the period, and at least two support instances in all (any "
        "direct-work team) dated on or before the end of the period. Direct work: distinct survivors."
    ),
    sql=SURVIVORS_CARED_FOR,
    section="saving_lives",
)

SURVIVORS_REPATRIATED = HeadlineIndicator(
    id="survivors_repatriated",
    label=_("Survivors repatriated (supported safe returns)"),
    unit=_("returns"),
    counting=Counting.DISTINCT,
    definition=_(
        "A repatriation completed (arrival date) in the period that a team of the country supported, on the "
        "sending or the receiving side. Direct work: distinct repatriations."
    ),
    # The supporting teams: the named sending and receiving teams, the team of the case it was planned
    # on (the sending side) and the team of the receiving case. A cancelled return never arrived.
    sql="""
        SELECT DISTINCT t.country_id, r.id AS subject_id, 1 AS amount
          FROM casework_repatriation r
          JOIN casework_case c ON c.id = r.case_id
          LEFT JOIN casework_case rc ON rc.id = r.receiving_case_id
          JOIN navigators_team t ON t.id IN (r.sending_team_id, r.receiving_team_id, c.team_id, rc.team_id)
         WHERE r.arrived_on BETWEEN %(start)s AND %(end)s AND r.stage <> 'cancelled'
    """,
    section="saving_lives",
)

PREVENTION_REACHED = HeadlineIndicator(
    id="prevention_reached",
    label=_("Vulnerable people receiving prevention education (direct)"),
    unit=_("people (head count)"),
    counting=Counting.SUM,
    definition=_(
        "The sum of participants of direct prevention sessions held by teams of the country in the period; "
        "indirect reach (mass messaging, broadcasts) is recorded apart and never added here."
    ),
    sql="""
        SELECT t.country_id, p.id AS subject_id, p.participants AS amount
          FROM reporting_preventionsession p
          JOIN navigators_team t ON t.id = p.team_id
         WHERE p.reach = 'direct' AND p.held_on BETWEEN %(start)s AND %(end)s
    """,
    section="saving_lives",
)

ACCUSED_ARRESTED = HeadlineIndicator(
    id="accused_arrested",
    label=_("Accused traffickers arrested"),
    unit=_("accused persons"),
    counting=Counting.DISTINCT,
    definition=_(
        "The accused person has an arrest dated in the period supported by a team of the country with "
        "intelligence, tactical advice or direct assistance. Direct work: distinct accused persons."
    ),
    sql=_event_by_case_team(
        "casework_arrest",
        "e.accused_id",
        f"e.occurred_on BETWEEN %(start)s AND %(end)s AND e.support_type IN {_TEAM_SUPPORTED}",
    ),
    section="prosecuting",
)


def _supported_prosecutions(where: str) -> str:
    """Accused persons of prosecutions supported by a team of C: recorded on a case of that team (every
    prosecution records how the team supported it: the arrest, the victim or the prosecutor; the model
    requires one)."""
    return f"""
        SELECT t.country_id, p.accused_id AS subject_id, 1 AS amount
          FROM casework_prosecution p
          JOIN casework_case c ON c.id = p.case_id
          JOIN navigators_team t ON t.id = c.team_id
         WHERE {where} AND cardinality(p.support_kinds) > 0
    """


PROSECUTIONS_SUPPORTED = HeadlineIndicator(
    id="prosecutions_supported",
    label=_("Prosecutions of exploiters supported"),
    unit=_("accused persons"),
    counting=Counting.DISTINCT,
    definition=_(
        "The accused person was brought to trial (trial start on or before the end of the period) for an "
        "offence related to the exploitation of a survivor, the prosecution had not concluded before the "
        "start of the period, and a team of the country supported it. Direct work: distinct accused persons."
    ),
    sql=_supported_prosecutions(
        "p.trial_started_on <= %(end)s AND (p.outcome_on IS NULL OR p.outcome_on >= %(start)s)"
    ),
    section="prosecuting",
)

EXPLOITERS_CONVICTED = HeadlineIndicator(
    id="exploiters_convicted",
    label=_("Exploiters convicted"),
    unit=_("accused persons"),
    counting=Counting.DISTINCT,
    definition=_(
        "A prosecution supported by a team of the country ended in a conviction dated in the period. "
        "Direct work: distinct accused persons."
    ),
    sql=_supported_prosecutions("p.outcome = 'convicted' AND p.outcome_on BETWEEN %(start)s AND %(end)s"),
    section="prosecuting",
)

PROFESSIONALS_TRAINED = HeadlineIndicator(
    id="professionals_trained",
    label=_("Frontline professionals trained"),
    unit=_("people (head count)"),
    counting=Counting.SUM,
    definition=_("The sum of attendees of training sessions delivered by teams of the country in the period."),
    sql="""
        SELECT t.country_id, s.id AS subject_id, s.attendee_count AS amount
          FROM reporting_trainingsession s
          JOIN navigators_team t ON t.id = s.team_id
         WHERE s.held_on BETWEEN %(start)s AND %(end)s
    """,
    section="prosecuting",
)

# Graduated: a stage change to "stable / graduated" recorded in the period by a team of C. A case
# closed with the reason "graduated" without passing through the stable stage is not counted here
# (the stage is what the definition names); docs/indicators.md says so.
SURVIVORS_GRADUATED = HeadlineIndicator(
    id="survivors_graduated",
    label=_("Survivors rehabilitated (graduated)"),
    unit=_("survivors"),
    counting=Counting.DISTINCT,
    definition=_(
        "The survivor reached the stable-reintegration (graduated) stage in the period, recorded by a team "
        "of the country. Direct work: distinct survivors."
    ),
    sql=_event_by_case_team(
        "casework_stagechange", "c.survivor_id", "e.stage = 'stable' AND e.occurred_on BETWEEN %(start)s AND %(end)s"
    ),
    section="saving_lives",
)

# In the order of the published table.
HEADLINE_INDICATORS = [
    VICTIMS_REMOVED,
    SURVIVORS_CARED_FOR_INDICATOR,
    SURVIVORS_REPATRIATED,
    PREVENTION_REACHED,
    SURVIVORS_GRADUATED,
    ACCUSED_ARRESTED,
    PROSECUTIONS_SUPPORTED,
    EXPLOITERS_CONVICTED,
    PROFESSIONALS_TRAINED,
]
HEADLINE_BY_ID = {indicator.id: indicator for indicator in HEADLINE_INDICATORS}

SECTIONS = {"saving_lives": _("Saving lives"), "prosecuting": _("Prosecuting criminals")}


@dataclass(frozen=True)
class OutcomeIndicator:
    id: str
    label: str
    definition: str
    column: str  # the numerator's column in OUTCOMES_SQL
    denominator: str | None  # the denominator's column, None for a plain count


OUTCOME_INDICATORS = [
    OutcomeIndicator(
        "police_engaged",
        _("Survivors engaging with police"),
        _(
            "Highest police-engagement level on or before the end of the period is 'information on record' or higher; "
            "of the survivors cared for."
        ),
        "police_engaged",
        "cohort",
    ),
    OutcomeIndicator(
        "police_abe",
        _("Survivors giving an ABE (or equivalent formal) interview"),
        _(
            "Highest level on or before the end of the period is a formal interview or higher; of the survivors cared for."
        ),
        "police_abe",
        "cohort",
    ),
    OutcomeIndicator(
        "police_prosecution",
        _("Survivors willing to support a prosecution"),
        _(
            "Highest level on or before the end of the period is 'willing to support a prosecution' or higher; "
            "of the survivors cared for."
        ),
        "police_prosecution",
        "cohort",
    ),
    OutcomeIndicator(
        "wellbeing_improved",
        _("Survivors with measurable improvement in mental and emotional wellbeing"),
        _(
            "The latest wellbeing assessment on or before the end of the period scores mental wellbeing higher than "
            "the survivor's first assessment; of the survivors cared for with two or more assessments on or before "
            "the end of the period, at least one of them in the period."
        ),
        "wellbeing_improved",
        "wellbeing_assessed",
    ),
    OutcomeIndicator(
        "retrafficked",
        _("Re-trafficking rate"),
        _("A re-trafficking event dated in the period; of the survivors cared for."),
        "retrafficked",
        "cohort",
    ),
    OutcomeIndicator(
        "follow_ups",
        _("Follow-ups conducted"),
        _("Follow-ups that reached the survivor, dated in the period, by teams of the country (a count, not a share)."),
        "follow_ups",
        None,
    ),
]
OUTCOME_BY_ID = {outcome.id: outcome for outcome in OUTCOME_INDICATORS}

# The outcome cohort for C in P is the survivors cared for by C in P. The police-engagement level,
# the wellbeing assessments and re-trafficking are the survivor's, over all their cases with any
# direct-work team (the spec names no team for them); docs/indicators.md says so.
# Wellbeing: assessments are ordered by date, then by the order they were recorded.
OUTCOMES_SQL = f"""
    WITH {CARED_FOR_CTES},
    people AS (SELECT DISTINCT survivor_id FROM cared_for),
    -- Each fact is read over its whole (small) event table and joined to the cohort by hash: filtering
    -- by the cohort first made the planner, which cannot foresee the cohort's size, loop over 40,000
    -- survivors one index look-up at a time (0.4 s a fact instead of a few tens of milliseconds).
    engagement AS (
        SELECT c.survivor_id, max(e.level) AS highest
          FROM casework_policeengagementevent e JOIN casework_case c ON c.id = e.case_id
         WHERE e.occurred_on <= %(end)s
         GROUP BY c.survivor_id
    ),
    wellbeing AS (
        SELECT c.survivor_id,
               count(*) AS assessments,
               count(*) FILTER (WHERE w.occurred_on >= %(start)s) AS assessments_in_period,
               (array_agg(w.mental_wellbeing ORDER BY w.occurred_on, w.id))[1] AS first_score,
               (array_agg(w.mental_wellbeing ORDER BY w.occurred_on DESC, w.id DESC))[1] AS latest_score
          FROM casework_wellbeingassessment w JOIN casework_case c ON c.id = w.case_id
         WHERE w.occurred_on <= %(end)s
         GROUP BY c.survivor_id
    ),
    retrafficked AS (
        SELECT DISTINCT c.survivor_id
          FROM casework_retraffickingevent e JOIN casework_case c ON c.id = e.case_id
         WHERE e.occurred_on BETWEEN %(start)s AND %(end)s
    ),
    facts AS (
        SELECT p.survivor_id,
               coalesce(g.highest, 0) AS highest,
               coalesce(w.assessments >= 2 AND w.assessments_in_period >= 1, false) AS assessed,
               coalesce(w.latest_score > w.first_score, false) AS improved,
               r.survivor_id IS NOT NULL AS retrafficked
          FROM people p
          LEFT JOIN engagement g USING (survivor_id)
          LEFT JOIN wellbeing w USING (survivor_id)
          LEFT JOIN retrafficked r USING (survivor_id)
    ),
    -- The period's reached follow-ups per country, from the instances already read for the cohort.
    follow_ups AS (
        SELECT coalesce(country_id, '*') AS country_key, sum(follow_ups) AS follow_ups
          FROM in_period
         GROUP BY GROUPING SETS ((country_id), ())
    ),
    shares AS (
        SELECT coalesce(k.country_id, '*') AS country_key,
               count(DISTINCT k.survivor_id) AS cohort,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.highest >= 1) AS police_engaged,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.highest >= 2) AS police_abe,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.highest >= 3) AS police_prosecution,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.assessed) AS wellbeing_assessed,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.assessed AND f.improved) AS wellbeing_improved,
               count(DISTINCT k.survivor_id) FILTER (WHERE f.retrafficked) AS retrafficked
          FROM cared_for k JOIN facts f USING (survivor_id)
         GROUP BY GROUPING SETS ((k.country_id), ())
    )
    SELECT coalesce(s.country_key, u.country_key) AS country_key,
           coalesce(s.cohort, 0), coalesce(s.police_engaged, 0), coalesce(s.police_abe, 0),
           coalesce(s.police_prosecution, 0), coalesce(s.wellbeing_assessed, 0), coalesce(s.wellbeing_improved, 0),
           coalesce(s.retrafficked, 0), coalesce(u.follow_ups, 0)
      FROM shares s
      FULL JOIN follow_ups u ON u.country_key = s.country_key
"""
OUTCOME_COLUMNS = [
    "cohort",
    "police_engaged",
    "police_abe",
    "police_prosecution",
    "wellbeing_assessed",
    "wellbeing_improved",
    "retrafficked",
    "follow_ups",
]
