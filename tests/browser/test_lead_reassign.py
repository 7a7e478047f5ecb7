"""A country lead on a desktop goes from the country dashboard to a case and hands it to another Navigator."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework
from casework.models import CaseAssignment
from navigators import services
from tests import factories
from tests.browser.helpers import named_user, save_screenshot, sign_in, sign_out

TODAY = timezone.localdate()
REFERENCE = "SV-4TQ7NC"

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


def days_ago(n):
    return TODAY - timedelta(days=n)


def fill_timeline(case, navigator):
    """Four months of casework, so the case page has something in each section."""

    def at(n):
        return {"acting_user": navigator, "case": case, "occurred_on": days_ago(n)}

    casework.removal_record(
        **at(118), support_type="direct_assistance", notes="Removed from a car wash in Croydon with the Met."
    )
    casework.nrm_event_record(**at(115), status="referred", first_responder="Metropolitan Police")
    casework.support_service_record(**at(114), service_type="accommodation", notes="Safe house place found.")
    casework.assessment_record(
        **at(112),
        safety=1,
        legal_protection=1,
        mental_wellbeing=1,
        economic_empowerment=1,
        social_support=2,
        physical_wellbeing=2,
    )
    casework.police_engagement_record(**at(100), level=2, notes="ABE interview completed.")
    casework.nrm_event_record(**at(95), status="rg_positive", competent_authority="sca")
    casework.care_plan_save(
        acting_user=navigator,
        case=case,
        started_on=days_ago(90),
        next_review_on=TODAY + timedelta(days=30),
        summary="Stable housing first; then English classes and work.",
        goals=[
            {"domain": "safety", "goal": "Safe, stable accommodation"},
            {
                "domain": "economic_empowerment",
                "goal": "English classes, then a job",
                "target_on": TODAY + timedelta(days=120),
            },
        ],
    )
    casework.case_stage_change(**at(90), stage="recovery")
    accused = casework.accused_find_or_register(acting_user=navigator, team=case.team, reference="ACC-7731")
    casework.arrest_record(**at(80), accused=accused, support_type="intelligence")
    prosecution = casework.prosecution_record(
        acting_user=navigator,
        case=case,
        accused=accused,
        offence="Human trafficking (MSA 2015 s.2)",
        support_kinds=["supported_victim"],
        charged_on=days_ago(60),
    )
    casework.court_hearing_schedule(
        acting_user=navigator, prosecution=prosecution, scheduled_for=TODAY + timedelta(days=21), kind="trial"
    )
    casework.support_service_record(**at(40), service_type="mental_health", notes="Counselling, weekly.")
    casework.assessment_record(
        **at(30),
        safety=3,
        legal_protection=2,
        mental_wellbeing=2,
        economic_empowerment=1,
        social_support=3,
        physical_wellbeing=3,
    )
    for n, mode, notes in [
        (56, "in_person", "Court preparation visit with the witness service."),
        (28, "phone", "Settled in the new flat."),
        (7, "in_person", "Started English classes."),
    ]:
        casework.follow_up_log(
            **at(n),
            mode=mode,
            purposes=["safety_check", "emotional_support"],
            duration_minutes=30,
            notes=notes,
            next_due_on=days_ago(n) + timedelta(days=14),
        )


@pytest.fixture
def team(transactional_db):
    """The Metropolitan Police team: Nadia has two cases, Sam one (asking to close it), and one case has nobody yet."""
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    nadia = named_user("nadia", "Nadia", "Rahman", team=met)
    sam = named_user("sam", "Sam", "Okafor", team=met)
    lead = named_user("lead.gb", "Grace", "Mensah", lead_of=gb)

    def open_case(reference, opened_days_ago, navigators):
        return casework.case_open(
            acting_user=lead,
            survivor=factories.SurvivorFactory(case_reference=reference),
            team=met,
            opened_on=days_ago(opened_days_ago),
            navigators=navigators,
        )

    case = open_case(REFERENCE, 120, [nadia])
    fill_timeline(case, nadia)
    open_case("SV-9HX2LM", 45, [nadia])
    sams = open_case("SV-K8R3PW", 30, [sam])
    factories.FollowUpFactory(case=sams, occurred_on=days_ago(20), next_due_on=days_ago(6))  # overdue
    casework.closure_request(
        acting_user=sam,
        case=sams,
        closure_reason="moved_out_of_area",
        closes_on=TODAY,
        notes="Moved to Leeds; referred to the local Navigator.",
    )
    open_case("SV-2MB6QD", 3, [])
    return {"case": case, "nadia": nadia, "sam": sam}


def test_lead_reassigns_a_case_from_the_dashboard(desktop, live_server, team):
    sign_in(desktop, live_server, "lead.gb")
    desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Country dashboard").click()
    expect(desktop.get_by_role("heading", name="Country dashboard", level=1)).to_be_visible()
    waiting = (
        desktop.get_by_role("region", name="Requests waiting for you").get_by_role("row").filter(has_text="SV-K8R3PW")
    )
    expect(waiting).to_contain_text("Close (Moved out of area)")
    save_screenshot(desktop, "lead-dashboard.png")

    # Nadia's row: its first number is her open cases, which opens the list of exactly those.
    nadia_row = desktop.get_by_role("table", name="United Kingdom").get_by_role("row").filter(has_text="Nadia Rahman")
    nadia_row.get_by_role("link").first.click()
    expect(desktop.get_by_text("2 cases")).to_be_visible()
    desktop.get_by_role("link", name=REFERENCE).click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text(REFERENCE)

    desktop.get_by_role("link", name="Reassign Navigators").click()
    navigators = desktop.get_by_role("group", name="Assigned Navigators")
    expect(navigators.get_by_role("checkbox", name="Nadia Rahman")).to_be_checked()
    navigators.get_by_role("checkbox", name="Nadia Rahman").uncheck()
    navigators.get_by_role("checkbox", name="Sam Okafor").check()
    expect(desktop.get_by_label("From")).to_have_value(TODAY.isoformat())
    desktop.get_by_role("button", name="Save").click()

    expect(desktop.get_by_role("status")).to_contain_text("Assigned Navigators saved.")
    assigned = desktop.get_by_role("term").filter(has_text="Assigned").locator("xpath=following-sibling::dd[1]")
    expect(assigned).to_have_text("Sam Okafor")
    timeline = desktop.get_by_role("region", name="Timeline").get_by_role("listitem")
    expect(timeline.first).to_contain_text("Upcoming")  # the trial date ahead, then the latest follow-up
    expect(timeline.nth(1)).to_contain_text("Started English classes.")
    save_screenshot(desktop, "case-page.png")

    case = team["case"]
    assert list(
        CaseAssignment.objects.filter(case=case, ended_on__isnull=True).values_list("navigator", flat=True)
    ) == [team["sam"].pk]
    assert CaseAssignment.objects.get(case=case, navigator=team["nadia"]).ended_on == TODAY

    # Nadia's own caseload ("Assigned to me") no longer has it; Sam's has.
    for username, sees_it in [("nadia", False), ("sam", True)]:
        sign_out(desktop)
        sign_in(desktop, live_server, username)
        desktop.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
        expect(desktop.get_by_role("combobox", name="Cases")).to_have_value("mine")
        caseload = desktop.get_by_role("table")
        expect(caseload.get_by_role("link", name=REFERENCE)).to_have_count(1 if sees_it else 0)
        expect(caseload.get_by_role("link", name="SV-9HX2LM")).to_have_count(0 if sees_it else 1)
