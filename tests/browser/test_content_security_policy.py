"""The pages work under the Content-Security-Policy: in a real browser, nothing is refused.

A template that slipped in an inline script or style, or htmx adding its own <style>, shows here as a
`securitypolicyviolation` event, which the browser fires for everything the policy blocks.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from casework import services as casework

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads the rows from its own thread

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


def signed_in(page, live_server, user):
    """The browser carries a session of `user` (the sign-in form is tested elsewhere) and records violations."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    page.add_init_script(RECORD_VIOLATIONS)
    errors = []
    # Script errors; a missing resource is taken from its response instead, as Chromium's own request
    # for /favicon.ico (there is none) is logged too.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return errors


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_a_navigators_pages_run_without_a_violation(desktop, live_server, world):
    errors = signed_in(desktop, live_server, world["assigned"])
    case = world["case"]

    for path in [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/identity/",
        "/survivors/new/",
        f"/cases/{case.pk}/record/follow-up/",
    ]:
        desktop.goto(live_server.url + path)
        assert violations(desktop) == [], path

    desktop.goto(live_server.url + "/cases/")
    # htmx posts the filters as one types (POST: nothing typed goes into a URL).
    with desktop.expect_response(
        lambda response: response.url.endswith("/cases/") and response.request.method == "POST"
    ):
        desktop.get_by_label("Case reference").fill(case.survivor.case_reference[:4])
    desktop.wait_for_load_state("networkidle")

    assert violations(desktop) == []
    assert desktop.evaluate("document.querySelectorAll('style').length") == 0  # htmx added none
    assert errors == []


def test_the_me_pages_run_without_a_violation(desktop, live_server, world):
    errors = signed_in(desktop, live_server, world["me"])

    for path in ["/reports/headline/", "/reports/trends/", "/reports/exports/"]:
        desktop.goto(live_server.url + path)
        assert violations(desktop) == [], path
    assert errors == []


def test_a_leads_dashboard_runs_without_a_violation(desktop, live_server, world):
    casework.follow_up_log(
        acting_user=world["assigned"],
        case=world["case"],
        occurred_on=TODAY - timedelta(days=9),
        mode="phone",
        next_due_on=TODAY - timedelta(days=2),
    )
    errors = signed_in(desktop, live_server, world["lead"])

    for path in ["/cases/dashboard/", "/cases/requests/", f"/cases/{world['case'].pk}/reassign/"]:
        desktop.goto(live_server.url + path)
        assert violations(desktop) == [], path
    assert errors == []


def test_a_page_that_broke_the_policy_would_be_caught(desktop, live_server, world):
    """The check itself: an inline style added to a served page is reported."""
    signed_in(desktop, live_server, world["assigned"])
    desktop.goto(live_server.url + "/cases/")

    desktop.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
    desktop.wait_for_function("window.__violations.length > 0")

    assert any(violation.startswith("style-src") for violation in violations(desktop))
