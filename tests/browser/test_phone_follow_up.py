"""A Navigator on a 360 px phone logs a follow-up from their caseload, and a wrong date is explained."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework
from casework.models import FollowUp
from navigators import services
from tests import factories
from tests.browser.helpers import save_screenshot, sign_in
from tests.conftest import make_user

TODAY = timezone.localdate()
REFERENCE = "SV-4TQ7NC"

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


@pytest.fixture
def case(transactional_db):
    """Nadia, a Metropolitan Police Navigator, has one case; its last follow-up was ten days ago."""
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    nadia, lead = make_user("nadia", team=met), make_user("lead.gb", lead_of=gb)
    case = casework.case_open(
        acting_user=lead,
        survivor=factories.SurvivorFactory(case_reference=REFERENCE),
        team=met,
        opened_on=TODAY - timedelta(days=60),
        navigators=[nadia],
    )
    casework.follow_up_log(
        acting_user=nadia,
        case=case,
        occurred_on=TODAY - timedelta(days=10),
        mode="phone",
        purposes=["safety_check"],
        duration_minutes=15,
        notes="Earlier call.",
        next_due_on=TODAY,
    )
    return case


def open_follow_up_form(page, live_server):
    """From signing in: My caseload → the case → Log a follow-up."""
    sign_in(page, live_server, "nadia")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    page.get_by_role("link", name=REFERENCE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(REFERENCE)
    page.get_by_role("link", name="Log a follow-up").click()
    expect(page.get_by_role("heading", name="Log a follow-up", level=1)).to_be_visible()


def test_navigator_logs_a_follow_up_on_a_phone(phone, live_server, case):
    open_follow_up_form(phone, live_server)

    date = phone.get_by_label("Date", exact=True)
    expect(date).to_have_value(TODAY.isoformat())  # today by default
    phone.get_by_role("group", name="Mode").get_by_role("radio", name="In person").check()
    phone.get_by_role("group", name="Outcome").get_by_role("radio", name="Reached the survivor").check()
    phone.get_by_role("group", name="Purposes").get_by_role("checkbox", name="Emotional and relational support").check()
    phone.get_by_label("Duration (minutes)").fill("35")
    phone.get_by_label("Short notes").fill("Met at the café; feeling safer, wants English classes.")
    phone.get_by_label("Next follow-up due").fill((TODAY + timedelta(days=14)).isoformat())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the form scrolls sideways on a phone"
    save_screenshot(phone, "follow-up-phone.png")

    phone.get_by_role("button", name="Save").click()

    expect(phone.get_by_role("status")).to_contain_text("Saved: Log a follow-up.")
    newest = phone.get_by_role("region", name="Timeline").get_by_role("listitem").first
    expect(newest).to_contain_text("Follow-up (In person): Reached the survivor")
    expect(newest).to_contain_text("Met at the café; feeling safer, wants English classes.")
    expect(newest).to_contain_text("35 minutes")
    assert FollowUp.objects.filter(case=case).count() == 2


def test_a_future_date_is_refused_and_the_notes_are_kept(phone, live_server, case):
    open_follow_up_form(phone, live_server)

    phone.get_by_label("Date", exact=True).fill((TODAY + timedelta(days=1)).isoformat())
    phone.get_by_role("group", name="Mode").get_by_role("radio", name="Phone").check()
    phone.get_by_label("Short notes").fill("Called twice; she will call back.")
    phone.get_by_role("button", name="Save").click()

    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("Enter a date between 1 Jan 2010 and today.")
    date = phone.get_by_label("Date", exact=True)
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description("Enter a date between 1 Jan 2010 and today.")
    expect(phone.get_by_label("Short notes")).to_have_value("Called twice; she will call back.")
    expect(phone.get_by_role("radio", name="Phone")).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert FollowUp.objects.filter(case=case).count() == 1
