"""A survivor goes home from the UK to Romania: the GB Navigator plans and records the repatriation and asks
to transfer the case, the GB country lead approves, and the Romanian team finds the new case."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework
from casework.models import Case, Repatriation
from navigators import services
from survivors import services as survivors
from tests import factories
from tests.browser.helpers import named_user, save_screenshot, sign_in, sign_out

TODAY = timezone.localdate()
REFERENCE = "SV-7RQ4BX"
STEPS = ["Risk assessment", "Travel documents", "Planned", "In transit", "Arrived (completed)"]

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


@pytest.fixture
def case(transactional_db):
    """A Romanian survivor's case with the Metropolitan Police; she has consented to her case crossing the border."""
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    ro = services.country_create(acting_user=None, code="RO", name="Romania", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    bucharest = services.team_create(acting_user=None, name="Bucharest brigade", country=ro, kind="oc_brigade")
    nadia = named_user("nadia", "Nadia", "Rahman", team=met)
    lead = named_user("lead.gb", "Grace", "Mensah", lead_of=gb)
    named_user("ioana", "Ioana", "Popescu", team=bucharest)
    survivor = factories.SurvivorFactory(case_reference=REFERENCE, citizenships=["RO"])
    case = casework.case_open(
        acting_user=lead, survivor=survivor, team=met, opened_on=TODAY - timedelta(days=90), navigators=[nadia]
    )
    casework.follow_up_log(
        acting_user=nadia,
        case=case,
        occurred_on=TODAY - timedelta(days=20),
        mode="in_person",
        purposes=["repatriation_planning"],
        notes="Wants to go home to her family in Iași.",
    )
    survivors.consent_record(
        acting_user=nadia,
        survivor=survivor,
        topic="share_cross_border",
        given=True,
        recorded_on=TODAY - timedelta(days=20),
    )
    # Another request waits for the lead too, so the Requests page shows how two sit together.
    other = casework.case_open(
        acting_user=lead,
        survivor=factories.SurvivorFactory(case_reference="SV-3JW8TC"),
        team=met,
        opened_on=TODAY - timedelta(days=400),
        navigators=[nadia],
    )
    casework.closure_request(
        acting_user=nadia,
        case=other,
        closure_reason="graduated",
        closes_on=TODAY,
        notes="Care plan goals met; in work and settled.",
    )
    return case


def test_repatriation_to_romania_ends_in_a_handover(desktop, live_server, case):
    page = desktop

    # The GB Navigator plans the repatriation from the case page.
    sign_in(page, live_server, "nadia")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    page.get_by_role("link", name=REFERENCE).click()
    page.get_by_text("Add another record", exact=True).click()
    page.get_by_role("link", name="Plan a repatriation").click()
    expect(page.get_by_label("Date requested")).to_have_value(TODAY.isoformat())
    expect(page.get_by_label("Sending country")).to_have_value("GB")
    page.get_by_label("Receiving country").select_option(label="Romania")
    page.get_by_label("Receiving team").select_option(label="Bucharest brigade")
    page.get_by_role("button", name="Save").click()
    repatriation = page.get_by_role("region", name="Repatriation")
    expect(repatriation.get_by_role("heading", level=3)).to_have_text("United Kingdom → Romania: Requested")

    # …then records each step to the survivor's arrival.
    for step in STEPS:
        repatriation.get_by_role("link", name="Record the next step").click()
        page.get_by_label("Next step").select_option(label=step)
        expect(page.get_by_label("Date", exact=True)).to_have_value(TODAY.isoformat())
        if step == "In transit":
            page.get_by_label("Notes").fill("Flight LTN → OTP with the brigade's escort.")
        page.get_by_role("button", name="Save").click()
        expect(repatriation.get_by_role("heading", level=3)).to_have_text(f"United Kingdom → Romania: {step}")
    expect(repatriation.get_by_role("listitem")).to_have_count(len(STEPS) + 1)

    # …and asks to transfer the case to the receiving team, which the form suggests.
    page.get_by_role("link", name="Ask to transfer the case").click()
    expect(page.get_by_text("The survivor arrived in Romania")).to_be_visible()
    team = page.get_by_label("Team to hand the case to")
    expect(team.locator("option:checked")).to_have_text("Bucharest brigade (Romania)")
    page.get_by_label("Notes for the country lead").fill(
        "Arrived safely; the brigade's Navigator will meet her weekly."
    )
    page.get_by_role("button", name="Send to the country lead").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Your request to transfer case {REFERENCE} is waiting for the country lead."
    )
    expect(page.get_by_role("region", name="Closure and transfer requests")).to_contain_text(
        "Transfer the case to Bucharest brigade"
    )

    # The GB country lead approves it on the Requests page.
    sign_out(page)
    sign_in(page, live_server, "lead.gb")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    request = page.get_by_role("article", name=f"Transfer case {REFERENCE}")
    expect(request).to_contain_text("The survivor consents to sharing their case across a border")
    expect(request).to_contain_text("approving hands the repatriation over to the receiving team")
    save_screenshot(page, "requests.png")
    request.get_by_label("Comment (optional)").fill("Approved: consent on record.")
    request.get_by_role("button", name="Approve the transfer").click()
    expect(page.get_by_role("status")).to_contain_text(f"Approved: case {REFERENCE} is now with Bucharest brigade.")
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_role("article", name="Close case SV-3JW8TC")).to_be_visible()  # still waiting

    # The GB case is closed and says where it went.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_role("region", name="Repatriation")).to_contain_text("Handed over to Bucharest brigade.")
    expect(page.get_by_role("term").filter(has_text="Stage").locator("xpath=following-sibling::dd[1]")).to_contain_text(
        "Closed"
    )

    # The Romanian Navigator, assigned to nothing yet, finds the new case among all she may see.
    sign_out(page)
    sign_in(page, live_server, "ioana")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    expect(page.get_by_text("0 cases", exact=True)).to_be_visible()  # assigned to me: none
    page.get_by_role("combobox", name="Cases").select_option(label="All I may see")
    expect(page.get_by_text("1 case", exact=True)).to_be_visible()
    page.get_by_role("table").get_by_role("link", name=REFERENCE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{REFERENCE} · Bucharest brigade")

    new_case = Case.objects.get(survivor=case.survivor, team__name="Bucharest brigade")
    assert new_case.transferred_from_id == case.pk
    assert new_case.is_open
    assert Repatriation.objects.get(case=case).receiving_case_id == new_case.pk
