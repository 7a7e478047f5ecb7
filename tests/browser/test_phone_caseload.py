"""A Navigator on a 360 px phone signs in and reads their caseload."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services as casework
from navigators import services
from tests import factories
from tests.browser.helpers import save_screenshot, sign_in
from tests.conftest import make_user

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


@pytest.fixture
def caseload(transactional_db):
    """Nadia, a Navigator of the Metropolitan Police, assigned to three cases; one follow-up is overdue."""
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    nadia, lead = make_user("nadia", team=met), make_user("lead.gb", lead_of=gb)
    due = {"SV-4TQ7NC": TODAY + timedelta(days=6), "SV-9HX2LM": TODAY - timedelta(days=3), "SV-K8R3PW": None}
    for reference, next_due_on in due.items():
        case = casework.case_open(
            acting_user=lead,
            survivor=factories.SurvivorFactory(case_reference=reference),
            team=met,
            opened_on=TODAY - timedelta(days=60),
            navigators=[nadia],
        )
        if next_due_on:
            factories.FollowUpFactory(case=case, occurred_on=TODAY - timedelta(days=10), next_due_on=next_due_on)
    return {"navigator": nadia, "overdue": "SV-9HX2LM"}


def open_caseload(page, live_server, username):
    sign_in(page, live_server, username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My caseload").click()
    page.wait_for_selector("table.caseload tbody tr")


def test_overdue_case_comes_first_marked_overdue(phone, live_server, caseload):
    open_caseload(phone, live_server, "nadia")

    rows = phone.locator("table.caseload tbody tr")
    assert rows.count() == 3
    assert caseload["overdue"] in rows.first.inner_text()
    assert rows.first.get_by_text("Overdue", exact=True).is_visible()
    assert [rows.nth(i).get_by_text("Overdue", exact=True).count() for i in (1, 2)] == [0, 0]


def test_caseload_fits_a_360px_screen(phone, live_server, caseload):
    open_caseload(phone, live_server, "nadia")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    save_screenshot(phone, "caseload-phone.png")


# Points across each cell of the first case whose topmost element is a column heading, which on a
# phone should be hidden (the cells carry their own labels).
HEADINGS_OVER_FIRST_CASE = """() => [...document.querySelectorAll('table.caseload tbody tr:first-child td')].filter(td => {
  const box = td.getBoundingClientRect();
  return [box.left + 2, box.left + box.width / 2, box.right - 2].some(
    x => document.elementFromPoint(x, box.top + box.height / 2)?.closest('thead'));
}).map(td => td.dataset.label)"""


def test_column_headings_do_not_cover_the_first_case_on_a_phone(phone, live_server, caseload):
    open_caseload(phone, live_server, "nadia")

    assert phone.evaluate(HEADINGS_OVER_FIRST_CASE) == []
