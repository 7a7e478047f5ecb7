"""The survivor registration page, reached from the main navigation (and pictured for the docs)."""

import pytest
from playwright.sync_api import expect

from navigators import services
from tests.browser.helpers import named_user, save_screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread


def test_navigator_opens_the_registration_form(desktop, live_server):
    gb = services.country_create(acting_user=None, code="GB", name="United Kingdom", is_direct_work=True)
    met = services.team_create(acting_user=None, name="Metropolitan Police", country=gb, kind="police")
    named_user("nadia", "Nadia", "Rahman", team=met)

    sign_in(desktop, live_server, "nadia")
    desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Register a survivor").click()

    expect(desktop.get_by_role("heading", name="Register a survivor", level=1)).to_be_visible()
    for section in ("About the survivor", "Who they are", "Their first case"):
        expect(desktop.get_by_role("region", name=section)).to_be_visible()
    expect(desktop.get_by_label("Team")).to_have_value(str(met.pk))
    save_screenshot(desktop, "register-survivor.png")
