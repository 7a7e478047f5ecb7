"""Each validation rule: bad input gives a clear error naming the field, and nothing is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import services
from casework.models import FollowUp, PoliceEngagementEvent, Prosecution, Repatriation, StageChange, WellbeingAssessment
from survivors.models import Survivor, SurvivorExploitation, SurvivorIdentity
from survivors.services import survivor_register
from tests import factories

TODAY = timezone.localdate()
SCORES = {
    "safety": 2,
    "legal_protection": 2,
    "mental_wellbeing": 2,
    "economic_empowerment": 2,
    "social_support": 2,
    "physical_wellbeing": 2,
}


@pytest.fixture
def case(met_police):
    return factories.CaseFactory(team=met_police, opened_on=TODAY - timedelta(days=60))


def errors_of(excinfo, field):
    return excinfo.value.message_dict[field]


def test_a_valid_follow_up_is_saved_once(case, navigator):
    services.follow_up_log(
        acting_user=navigator, case=case, occurred_on=TODAY, mode="phone", next_due_on=TODAY + timedelta(days=7)
    )

    assert FollowUp.objects.filter(case=case).count() == 1


def test_follow_up_in_the_future_is_refused(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_log(acting_user=navigator, case=case, occurred_on=TODAY + timedelta(days=1), mode="phone")

    assert errors_of(excinfo, "occurred_on") == ["Enter a date between 1 Jan 2010 and today."]
    assert FollowUp.objects.count() == 0


def test_follow_up_before_the_case_opened_is_refused(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_log(
            acting_user=navigator, case=case, occurred_on=case.opened_on - timedelta(days=1), mode="phone"
        )

    assert "before the case opened" in errors_of(excinfo, "occurred_on")[0]
    assert FollowUp.objects.count() == 0


def test_police_engagement_before_the_case_opened_is_refused(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.police_engagement_record(
            acting_user=navigator, case=case, occurred_on=case.opened_on - timedelta(days=3), level=1
        )

    assert "before the case opened" in errors_of(excinfo, "occurred_on")[0]
    assert PoliceEngagementEvent.objects.count() == 0


def test_next_follow_up_due_before_this_one_is_refused(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_log(
            acting_user=navigator, case=case, occurred_on=TODAY, mode="phone", next_due_on=TODAY - timedelta(days=1)
        )

    assert errors_of(excinfo, "next_due_on") == ["The next follow-up cannot be due before this one."]
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("score", [0, 5])
def test_wellbeing_score_outside_one_to_four_is_refused(case, navigator, score):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_record(
            acting_user=navigator, case=case, occurred_on=TODAY, **{**SCORES, "mental_wellbeing": score}
        )

    assert "mental_wellbeing" in excinfo.value.message_dict
    assert WellbeingAssessment.objects.count() == 0


def test_database_refuses_a_score_of_five_even_bypassing_validation(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        WellbeingAssessment.objects.create(case=case, occurred_on=TODAY, **{**SCORES, "safety": 5})


def test_police_engagement_level_above_four_is_refused(case, navigator):
    with pytest.raises(ValidationError) as excinfo:
        services.police_engagement_record(acting_user=navigator, case=case, occurred_on=TODAY, level=5)

    assert "level" in excinfo.value.message_dict
    assert PoliceEngagementEvent.objects.count() == 0


def test_nrm_step_on_a_romanian_case_is_refused(navigator):
    ro_case = factories.CaseFactory(team=factories.TeamFactory(country=factories.CountryFactory(code="RO")))

    with pytest.raises(ValidationError) as excinfo:
        services.nrm_event_record(acting_user=navigator, case=ro_case, occurred_on=TODAY, status="referred")

    assert "only to cases of UK teams" in str(excinfo.value)


def test_closing_a_case_without_a_reason_is_refused(case, navigator):
    before = StageChange.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.case_stage_change(acting_user=navigator, case=case, stage="closed", occurred_on=TODAY)

    assert errors_of(excinfo, "closure_reason") == ["Say why the case is closing."]
    assert StageChange.objects.count() == before
    case.refresh_from_db()
    assert case.stage == "crisis"
    assert case.closed_on is None


def test_closing_a_case_records_date_and_reason(case, navigator):
    services.case_stage_change(
        acting_user=navigator, case=case, stage="closed", occurred_on=TODAY, closure_reason="graduated"
    )

    case.refresh_from_db()
    assert (case.stage, case.closed_on, case.closure_reason) == ("closed", TODAY, "graduated")


def test_conviction_without_a_trial_start_is_refused(case, navigator):
    accused = factories.AccusedPersonFactory(recorded_by_team=case.team)

    with pytest.raises(ValidationError) as excinfo:
        services.prosecution_record(
            acting_user=navigator,
            case=case,
            accused=accused,
            offence="Human trafficking",
            support_kinds=["supported_victim"],
            outcome="convicted",
            outcome_on=TODAY,
        )

    assert errors_of(excinfo, "outcome") == ["A conviction needs the date the trial started."]
    assert Prosecution.objects.count() == 0


def test_database_refuses_a_conviction_without_a_trial_start(case):
    accused = factories.AccusedPersonFactory(recorded_by_team=case.team)

    with pytest.raises(IntegrityError), transaction.atomic():
        Prosecution.objects.create(
            case=case,
            accused=accused,
            offence="x",
            support_kinds=["supported_victim"],
            outcome="convicted",
            outcome_on=TODAY,
        )


def test_arrival_before_departure_is_refused(case):
    repatriation = factories.RepatriationFactory.build(
        case=case,
        sending_country=case.team.country,
        receiving_country=factories.CountryFactory(code="RO"),
        departed_on=TODAY - timedelta(days=2),
        arrived_on=TODAY - timedelta(days=3),
    )

    with pytest.raises(ValidationError) as excinfo:
        repatriation.full_clean()

    assert errors_of(excinfo, "arrived_on") == ["The arrival date cannot be before the departure date."]


def test_database_refuses_arrival_before_departure(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Repatriation.objects.create(
            case=case,
            sending_country=case.team.country,
            receiving_country=factories.CountryFactory(code="RO"),
            requested_on=TODAY - timedelta(days=10),
            departed_on=TODAY - timedelta(days=2),
            arrived_on=TODAY - timedelta(days=3),
        )


def test_repatriation_cannot_go_back_a_step(case, navigator):
    repatriation = services.repatriation_plan(
        acting_user=navigator,
        case=case,
        requested_on=TODAY - timedelta(days=20),
        sending_country=case.team.country,
        receiving_country=factories.CountryFactory(code="RO"),
    )
    services.repatriation_advance(
        acting_user=navigator, repatriation=repatriation, stage="planned", occurred_on=TODAY - timedelta(days=5)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.repatriation_advance(
            acting_user=navigator, repatriation=repatriation, stage="risk_assessment", occurred_on=TODAY
        )

    assert errors_of(excinfo, "stage") == ["The repatriation is already at 'Planned'."]
    assert repatriation.steps.count() == 2


def test_arrival_step_sets_the_arrival_date(case, navigator):
    repatriation = services.repatriation_plan(
        acting_user=navigator,
        case=case,
        requested_on=TODAY - timedelta(days=20),
        sending_country=case.team.country,
        receiving_country=factories.CountryFactory(code="RO"),
    )
    services.repatriation_advance(
        acting_user=navigator, repatriation=repatriation, stage="in_transit", occurred_on=TODAY - timedelta(days=1)
    )
    services.repatriation_advance(acting_user=navigator, repatriation=repatriation, stage="arrived", occurred_on=TODAY)

    repatriation.refresh_from_db()
    assert (repatriation.departed_on, repatriation.arrived_on, repatriation.stage) == (
        TODAY - timedelta(days=1),
        TODAY,
        "arrived",
    )


def test_registering_with_a_bad_citizenship_saves_nothing(navigator):
    with pytest.raises(ValidationError) as excinfo:
        survivor_register(acting_user=navigator, identity={"legal_name": "A Person"}, citizenships=["XX"])

    assert "'XX' is not a valid choice" in errors_of(excinfo, "citizenships")[0]
    assert Survivor.objects.count() == 0


def test_registering_with_a_bad_exploitation_row_saves_no_survivor_or_identity(navigator):
    with pytest.raises(ValidationError):
        survivor_register(
            acting_user=navigator,
            identity={"legal_name": "A Person"},
            citizenships=["RO"],
            exploitations=[{"type": "domestic_servitude", "industry": "F"}],
        )

    assert (Survivor.objects.count(), SurvivorIdentity.objects.count(), SurvivorExploitation.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_second_open_case_for_the_same_survivor_and_team_is_refused(case, navigator):
    with pytest.raises(ValidationError):
        services.case_open(acting_user=navigator, survivor=case.survivor, team=case.team, opened_on=TODAY)

    assert case.survivor.cases.count() == 1
