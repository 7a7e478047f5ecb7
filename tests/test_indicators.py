"""The headline indicators, each rule of ../shared/spec/indicators.md with its edge cases."""

from datetime import date
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import choices as cw
from reporting.figures import Ratio, growth_pct, percent_rounded
from reporting.headline import comparator_for, headline_report, period_for_label, period_for_range, period_to_date
from tests import factories as f

H1 = period_for_label("21/22 H1")  # 1 Sep 2021 – 28 Feb 2022
H2 = period_for_label("21/22 H2")  # 1 Mar 2022 – 31 Aug 2022
IN_H1 = date(2021, 10, 5)
IN_H2 = date(2022, 4, 12)
BEFORE = date(2021, 5, 1)  # 20/21 H2
OPENED = date(2020, 1, 6)


@pytest.fixture
def teams(db):
    return {code: f.TeamFactory(country=f.CountryFactory(code=code)) for code in ("GB", "RO", "BD")}


def case(team, survivor=None, **kwargs):
    return f.CaseFactory(team=team, survivor=survivor or f.SurvivorFactory(), opened_on=OPENED, **kwargs)


def support(case, *days, reached=True):
    for day in days:
        f.FollowUpFactory(case=case, occurred_on=day, outcome="reached" if reached else "not_reached")


def value(indicator, period=H1, country=None):
    row = headline_report(period).indicator(indicator)
    return row.direct_total if country is None else row.by_country[country]


# ---- survivors cared for ------------------------------------------------------------------------


def test_a_survivor_cared_for_in_two_countries_counts_once_in_the_total_and_once_in_each_country(teams):
    survivor = f.SurvivorFactory()
    support(case(teams["GB"], survivor), date(2021, 9, 10), date(2021, 9, 20))
    f.SupportServiceFactory(case=case(teams["RO"], survivor), occurred_on=date(2022, 1, 15))

    row = headline_report(H1).indicator("survivors_cared_for")

    assert row.by_country == {"BD": 0, "GB": 1, "RO": 1}
    assert row.direct_total == 1


def test_a_single_support_instance_is_not_care(teams):
    support(case(teams["GB"]), IN_H1)
    assert value("survivors_cared_for") == 0


def test_an_earlier_instance_makes_one_in_the_period_count_but_a_later_one_does_not(teams):
    earlier, later = case(teams["GB"]), case(teams["GB"])
    support(earlier, BEFORE, IN_H1)
    support(later, IN_H1, IN_H2)  # the second instance is after the end of H1

    assert value("survivors_cared_for") == 1
    assert value("survivors_cared_for", H2) == 1  # "later" only: "earlier" had nothing in H2


def test_a_follow_up_that_did_not_reach_the_survivor_is_not_a_support_instance(teams):
    c = case(teams["GB"])
    support(c, IN_H1)
    support(c, date(2021, 11, 1), reached=False)
    assert value("survivors_cared_for") == 0


def test_instances_by_another_countrys_team_count_towards_the_two_but_not_for_the_country(teams):
    survivor = f.SurvivorFactory()
    support(case(teams["GB"], survivor), BEFORE)  # cared for by GB before the period only
    support(case(teams["RO"], survivor), IN_H1)

    row = headline_report(H1).indicator("survivors_cared_for")
    assert (row.by_country["GB"], row.by_country["RO"], row.direct_total) == (0, 1, 1)


# ---- victims removed, arrests, prosecutions, convictions -----------------------------------------


def test_a_removal_the_team_only_learnt_of_afterwards_is_not_counted(teams):
    f.RemovalFromExploitationFactory(case=case(teams["BD"]), occurred_on=IN_H1, support_type=cw.TeamSupportType.NONE)
    f.RemovalFromExploitationFactory(
        case=case(teams["BD"]), occurred_on=IN_H1, support_type=cw.TeamSupportType.TACTICAL_ADVICE
    )
    f.RemovalFromExploitationFactory(
        case=case(teams["BD"]), occurred_on=IN_H2, support_type=cw.TeamSupportType.DIRECT_ASSISTANCE
    )

    assert value("victims_removed", country="BD") == 1


def test_a_survivor_removed_twice_in_a_period_is_one_victim_removed(teams):
    c = case(teams["RO"])
    f.RemovalFromExploitationFactory(case=c, occurred_on=IN_H1)
    f.RemovalFromExploitationFactory(case=c, occurred_on=date(2022, 2, 1))
    assert value("victims_removed") == 1


def test_arrests_count_distinct_accused_supported_by_the_team(teams):
    accused = f.AccusedPersonFactory(recorded_by_team=teams["GB"])
    f.ArrestFactory(case=case(teams["GB"]), accused=accused, occurred_on=IN_H1)
    f.ArrestFactory(case=case(teams["GB"]), accused=accused, occurred_on=date(2021, 12, 1))  # the same person again
    f.ArrestFactory(case=case(teams["GB"]), occurred_on=IN_H1, support_type=cw.TeamSupportType.NONE)

    assert value("accused_arrested") == 1


def prosecution(team, trial, outcome="ongoing", outcome_on=None, accused=None):
    kwargs = {"accused": accused} if accused else {}
    return f.ProsecutionFactory(
        case=case(team), trial_started_on=trial, outcome=outcome, outcome_on=outcome_on, **kwargs
    )


def test_a_prosecution_active_across_two_periods_counts_in_both(teams):
    prosecution(teams["GB"], trial=date(2021, 6, 1))  # started in 20/21, still going
    prosecution(teams["GB"], trial=date(2021, 6, 1), outcome="convicted", outcome_on=date(2022, 3, 10))

    assert value("prosecutions_supported", H1) == 2
    assert value("prosecutions_supported", H2) == 2


def test_a_prosecution_concluded_before_the_period_or_not_yet_at_trial_is_not_counted(teams):
    prosecution(teams["GB"], trial=date(2021, 1, 5), outcome="acquitted", outcome_on=date(2021, 8, 31))
    prosecution(teams["GB"], trial=date(2022, 3, 1))  # trial starts after H1
    f.ProsecutionFactory(case=case(teams["GB"]))  # charged, no trial yet

    assert value("prosecutions_supported", H1) == 0
    assert value("prosecutions_supported", H2) == 1


def test_a_prosecution_concluding_on_the_first_day_of_the_period_counts(teams):
    prosecution(teams["RO"], trial=date(2021, 3, 1), outcome="convicted", outcome_on=H1.start)
    assert value("prosecutions_supported") == 1
    assert value("exploiters_convicted") == 1


def test_convictions_count_in_the_period_of_the_conviction_date(teams):
    prosecution(teams["BD"], trial=date(2021, 6, 1), outcome="convicted", outcome_on=IN_H1)
    prosecution(teams["BD"], trial=date(2021, 6, 1), outcome="acquitted", outcome_on=IN_H1)
    prosecution(teams["BD"], trial=date(2021, 6, 1), outcome="convicted", outcome_on=IN_H2)

    assert value("exploiters_convicted", H1, "BD") == 1
    assert value("exploiters_convicted", H2) == 1


def test_an_accused_prosecuted_with_two_survivors_in_two_countries_is_one_in_the_total(teams):
    accused = f.AccusedPersonFactory(recorded_by_team=teams["GB"])
    prosecution(teams["GB"], trial=date(2021, 6, 1), accused=accused)
    prosecution(teams["RO"], trial=date(2021, 7, 1), accused=accused)

    row = headline_report(H1).indicator("prosecutions_supported")
    assert (row.by_country["GB"], row.by_country["RO"], row.direct_total) == (1, 1, 1)


# ---- repatriations, graduation, training and prevention ------------------------------------------


def test_a_return_counts_for_the_sending_and_the_receiving_country_and_once_in_the_total(teams):
    sending = case(teams["GB"])
    receiving = case(teams["RO"], sending.survivor)
    f.RepatriationFactory(
        case=sending,
        receiving_country=teams["RO"].country,
        receiving_team=teams["RO"],
        receiving_case=receiving,
        stage="arrived",
        departed_on=IN_H1,
        arrived_on=IN_H1,
    )
    f.RepatriationFactory(case=case(teams["GB"]), stage="cancelled", departed_on=IN_H1, arrived_on=None)

    row = headline_report(H1).indicator("survivors_repatriated")
    assert (row.by_country["GB"], row.by_country["RO"], row.direct_total) == (1, 1, 1)


def test_graduation_is_reaching_the_stable_stage_in_the_period(teams):
    f.StageChangeFactory(case=case(teams["BD"]), occurred_on=IN_H1, stage="stable")
    f.StageChangeFactory(case=case(teams["BD"]), occurred_on=IN_H1, stage="reintegration")
    assert value("survivors_graduated") == 1


def test_head_counts_are_sums_and_indirect_prevention_is_never_added(teams):
    f.TrainingSessionFactory(team=teams["GB"], held_on=IN_H1, attendee_count=25)
    f.TrainingSessionFactory(team=teams["BD"], held_on=IN_H1, attendee_count=30)
    f.PreventionSessionFactory(team=teams["BD"], held_on=IN_H1, participants=40, reach="direct")
    f.PreventionSessionFactory(team=teams["BD"], held_on=IN_H1, participants=4000, reach="indirect")

    report = headline_report(H1)
    assert report.indicator("professionals_trained").direct_total == 55
    assert report.indicator("prevention_reached").by_country["BD"] == 40


def test_every_indicator_and_outcome_is_present_with_zeros(teams):
    report = headline_report(H1).as_dict()
    assert [i["id"] for i in report["indicators"]] == [
        "victims_removed",
        "survivors_cared_for",
        "survivors_repatriated",
        "prevention_reached",
        "survivors_graduated",
        "accused_arrested",
        "prosecutions_supported",
        "exploiters_convicted",
        "professionals_trained",
    ]
    assert {o["id"] for o in report["outcomes"]} == {
        "police_engaged",
        "police_abe",
        "police_prosecution",
        "wellbeing_improved",
        "retrafficked",
        "follow_ups",
    }
    assert report["indicators"][0]["by_country"] == {"BD": 0, "GB": 0, "RO": 0}
    assert report["indicators"][0]["growth_pct"] is None  # a comparator of 0: no growth figure


# ---- growth and comparators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "comparator", "expected"),
    [
        (55, 40, 37),  # 37.5% truncated
        (2394, 155, 1444),  # 1,444.5%
        (17, 1, 1600),
        (305, 315, -3),  # -3.17%
        (30, 40, -25),
        (1, Fraction(3, 2), -33),  # -33.3%, toward zero
        (40, 40, 0),
        (5, 0, None),
        (5, None, None),
    ],
)
def test_growth_is_truncated_toward_zero(value, comparator, expected):
    assert growth_pct(value, comparator) == expected


def test_the_comparators_of_half_years_years_and_ranges():
    assert comparator_for(H1).label == "20/21 HY average"
    assert (comparator_for(H2).start, comparator_for(H2).end) == (date(2020, 9, 1), date(2021, 8, 31))
    assert comparator_for(period_for_label("21/22")).label == "20/21"
    assert comparator_for(period_for_range(date(2021, 9, 1), date(2021, 12, 31))) is None
    assert period_for_range(date(2021, 9, 1), date(2022, 2, 28)).label == "21/22 H1"


def test_a_half_years_comparator_averages_the_previous_years_halves_each_counted_on_its_own(teams):
    c = case(teams["GB"])
    support(c, date(2020, 9, 10), date(2020, 10, 10), date(2021, 4, 10))  # cared for in both halves of 20/21
    support(case(teams["GB"]), date(2021, 5, 1), date(2021, 6, 1))  # only in 20/21 H2
    support(case(teams["GB"]), IN_H1, date(2021, 11, 1))

    row = headline_report(H1).indicator("survivors_cared_for")

    assert row.comparator_value == Fraction(3, 2)  # (1 + 2) / 2
    assert row.growth_pct == -33


def test_a_year_known_only_from_a_full_year_legacy_return_is_halved(teams):
    legacy = f.AggregateReturnFactory(
        source="legacy",
        partner=None,
        country=None,
        funded=False,
        period_start=date(2020, 9, 1),
        period_end=date(2021, 8, 31),
    )
    f.AggregateReturnValueFactory(aggregate_return=legacy, indicator="victims_removed", value=80)
    for day in (IN_H1, date(2021, 10, 6)):
        for _ in range(11):
            f.RemovalFromExploitationFactory(case=case(teams["GB"]), occurred_on=day)

    row = headline_report(H1).indicator("victims_removed")
    assert row.comparator_value == 40
    assert (row.direct_total, row.growth_pct) == (22, -45)


def test_a_financial_years_comparator_is_the_previous_year_as_one_period(teams):
    c = case(teams["GB"])
    support(c, date(2020, 9, 10), date(2021, 4, 10))  # one survivor over the whole of 20/21
    support(case(teams["GB"]), date(2021, 9, 10), date(2022, 4, 10))

    row = headline_report(period_for_label("21/22")).indicator("survivors_cared_for")
    assert (row.direct_total, row.comparator_value, row.growth_pct) == (1, 1, 0)


def test_a_custom_range_has_no_comparator(teams):
    report = headline_report(period_for_range(date(2021, 10, 1), date(2021, 10, 31)))
    assert report.comparator is None
    assert report.as_dict()["comparator"] is None
    assert report.as_dict()["indicators"][0]["comparator_value"] is None


# ---- partners and legacy returns -----------------------------------------------------------------


def partner_return(name, country, funded, period=H1, **values):
    partner = f.PartnerFactory(name=name, country=f.CountryFactory(code=country))
    aggregate = f.AggregateReturnFactory(
        partner=partner, funded=funded, period_start=period.start, period_end=period.end
    )
    for indicator, amount in values.items():
        f.AggregateReturnValueFactory(aggregate_return=aggregate, indicator=indicator, value=amount)


def test_only_funded_partners_join_incl_funded_joint_ops(teams):
    support(case(teams["GB"]), IN_H1, date(2021, 11, 1))
    partner_return("LIFT International", "TH", False, survivors_cared_for=27)
    partner_return("Vihaan", "IN", True, survivors_cared_for=66)

    row = headline_report(H1).as_dict()["indicators"][1]
    assert row["partners"] == [
        {"partner": "LIFT International", "country": "TH", "value": 27, "funded": False},
        {"partner": "Vihaan", "country": "IN", "value": 66, "funded": True},
    ]
    assert row["incl_funded_joint_ops"] == 1 + 66
    assert "TH" not in row["by_country"]  # partners are not direct-work columns


def test_legacy_values_add_to_case_records_and_are_flagged(teams):
    legacy = f.AggregateReturnFactory(
        source="legacy",
        partner=None,
        country=teams["GB"].country,
        funded=False,
        period_start=H1.start,
        period_end=H1.end,
    )
    f.AggregateReturnValueFactory(aggregate_return=legacy, indicator="victims_removed", value=10)
    f.RemovalFromExploitationFactory(case=case(teams["GB"]), occurred_on=IN_H1)

    row = headline_report(H1).indicator("victims_removed")
    assert (row.by_country["GB"], row.direct_total) == (11, 11)
    assert row.legacy_overlap == ["GB"]


def test_to_date_totals_include_legacy_returns(teams):
    legacy = f.AggregateReturnFactory(
        source="legacy",
        partner=None,
        country=None,
        funded=False,
        period_start=date(2015, 9, 1),
        period_end=date(2016, 8, 31),
    )
    f.AggregateReturnValueFactory(aggregate_return=legacy, indicator="exploiters_convicted", value=7)
    prosecution(teams["GB"], trial=date(2021, 6, 1), outcome="convicted", outcome_on=IN_H1)

    assert value("exploiters_convicted", period_to_date(date(2022, 8, 31))) == 8
    assert value("exploiters_convicted", period_to_date(date(2021, 9, 30))) == 7


# ---- outcomes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 8, 13),
        (5, 8, 63),
        (3, 8, 38),
        (2, 3, 67),
        (1, 3, 33),
        (122, 130, 94),
        (290, 305, 95),
        (0, 5, 0),
        (7, 7, 100),
    ],
)
def test_percentages_round_halves_away_from_zero(numerator, denominator, expected):
    assert percent_rounded(numerator, denominator) == expected
    assert Ratio(numerator, denominator).pct == expected


def test_a_ratio_without_a_denominator_has_no_percentage():
    assert Ratio(0, 0).pct is None
    assert Ratio(12, None).as_dict() == {"numerator": 12, "denominator": None, "pct": None}


def cared_for(team, survivor=None):
    c = case(team, survivor)
    support(c, IN_H1, date(2021, 11, 2))
    return c


def test_police_engagement_outcomes_use_the_highest_level_by_the_end_of_the_period(teams):
    engaged = cared_for(teams["GB"])
    f.PoliceEngagementEventFactory(case=engaged, occurred_on=BEFORE, level=3)
    f.PoliceEngagementEventFactory(
        case=engaged, occurred_on=IN_H1, level=0, is_withdrawal=True
    )  # withdrew: highest stays 3
    interviewed = cared_for(teams["GB"])
    f.PoliceEngagementEventFactory(case=interviewed, occurred_on=IN_H1, level=2)
    f.PoliceEngagementEventFactory(case=interviewed, occurred_on=IN_H2, level=4)  # after the period
    cared_for(teams["GB"])  # never engaged

    outcomes = headline_report(H1)
    assert outcomes.outcome("police_engaged").direct_total == Ratio(2, 3)
    assert outcomes.outcome("police_abe").by_country["GB"] == Ratio(2, 3)
    assert outcomes.outcome("police_prosecution").direct_total == Ratio(1, 3)
    assert outcomes.outcome("police_engaged").direct_total.pct == 67


def test_wellbeing_improvement_compares_the_latest_with_the_first_assessment(teams):
    improved = cared_for(teams["BD"])
    f.WellbeingAssessmentFactory(case=improved, occurred_on=BEFORE, mental_wellbeing=1)
    f.WellbeingAssessmentFactory(case=improved, occurred_on=IN_H1, mental_wellbeing=3)
    same = cared_for(teams["BD"])
    f.WellbeingAssessmentFactory(case=same, occurred_on=BEFORE, mental_wellbeing=2)
    f.WellbeingAssessmentFactory(case=same, occurred_on=IN_H1, mental_wellbeing=3)
    f.WellbeingAssessmentFactory(case=same, occurred_on=date(2021, 12, 1), mental_wellbeing=2)  # latest is back to 2
    none_in_period = cared_for(teams["BD"])
    f.WellbeingAssessmentFactory(case=none_in_period, occurred_on=BEFORE, mental_wellbeing=1)
    f.WellbeingAssessmentFactory(case=none_in_period, occurred_on=date(2021, 6, 1), mental_wellbeing=4)
    once = cared_for(teams["BD"])
    f.WellbeingAssessmentFactory(case=once, occurred_on=IN_H1, mental_wellbeing=4)

    assert headline_report(H1).outcome("wellbeing_improved").by_country["BD"] == Ratio(1, 2)


def test_retrafficking_rate_and_follow_ups(teams):
    retrafficked = cared_for(teams["RO"])
    f.RetraffickingEventFactory(case=retrafficked, occurred_on=date(2022, 1, 3))
    earlier = cared_for(teams["RO"])
    f.RetraffickingEventFactory(case=earlier, occurred_on=BEFORE)
    support(case(teams["GB"]), IN_H1, reached=False)

    report = headline_report(H1)
    assert report.outcome("retrafficked").direct_total == Ratio(1, 2)
    assert report.outcome("follow_ups").by_country == {"BD": Ratio(0, None), "GB": Ratio(0, None), "RO": Ratio(4, None)}
    assert report.outcome("follow_ups").direct_total == Ratio(4, None)


def test_the_outcome_cohort_is_per_country_and_de_duplicated_in_the_total(teams):
    survivor = f.SurvivorFactory()
    gb = cared_for(teams["GB"], survivor)
    cared_for(teams["RO"], survivor)
    f.PoliceEngagementEventFactory(case=gb, occurred_on=IN_H1, level=1)

    outcome = headline_report(H1).outcome("police_engaged")
    assert outcome.by_country["RO"] == Ratio(1, 1)  # the survivor's level, whichever team recorded it
    assert outcome.direct_total == Ratio(1, 1)


# ---- properties and cost -------------------------------------------------------------------------

days = st.dates(min_value=date(2021, 3, 1), max_value=date(2022, 2, 28))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["GB", "RO", "BD"]), st.lists(days, min_size=1, max_size=3)),
        max_size=15,
    )
)
def test_a_person_based_total_lies_between_the_largest_country_and_the_sum(teams, records):
    from django.db import transaction

    with transaction.atomic():
        survivors = [f.SurvivorFactory() for _ in range(6)]
        cases = {}
        for who, country, when in records:
            if (who, country) not in cases:
                cases[who, country] = case(teams[country], survivors[who])
            c = cases[who, country]
            support(c, *when)
            f.RemovalFromExploitationFactory(case=c, occurred_on=when[0])
        report = headline_report(H1)
        for indicator in ("survivors_cared_for", "victims_removed"):
            row = report.indicator(indicator)
            assert max(row.by_country.values()) <= row.direct_total <= sum(row.by_country.values())
        transaction.set_rollback(True)


def bulk_world(teams, survivors: int, prefix: str):
    from casework.models import Case, FollowUp, RemovalFromExploitation
    from survivors.models import Survivor

    people = Survivor.objects.bulk_create(
        [
            Survivor(case_reference=f"SV-{prefix}{n:06d}", citizenships=["GB"], registered_on=OPENED)
            for n in range(survivors)
        ]
    )
    team_list = list(teams.values())
    cases = Case.objects.bulk_create(
        [Case(survivor=p, team=team_list[n % 3], opened_on=OPENED) for n, p in enumerate(people)]
    )
    FollowUp.objects.bulk_create(
        [FollowUp(case=c, occurred_on=day, mode="phone") for c in cases for day in (BEFORE, IN_H1)]
    )
    RemovalFromExploitation.objects.bulk_create(
        [RemovalFromExploitation(case=c, occurred_on=IN_H1, support_type="intelligence") for c in cases[::2]]
    )


def test_the_report_costs_the_same_queries_for_10_survivors_and_for_1000(teams):
    bulk_world(teams, 10, "A")
    with CaptureQueriesContext(connection) as small:
        assert headline_report(H1).indicator("survivors_cared_for").direct_total == 10
    bulk_world(teams, 990, "B")
    with CaptureQueriesContext(connection) as large:
        assert headline_report(H1).indicator("survivors_cared_for").direct_total == 1000

    assert len(small) == len(large) <= 8
