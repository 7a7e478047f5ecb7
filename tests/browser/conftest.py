"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium, which
scripts/_setup.sh installs when missing. Tests that use these fixtures also need
`@pytest.mark.django_db(transaction=True)`: the live server answers from another thread, so the
test's rows must be committed for it to see them.
"""

import os

import pytest
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API keeps an asyncio event loop in this thread, and Django refuses database calls
# from a thread with a running loop. The loop only drives the browser, so the calls are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# Headless without a sandbox (we run as root) and without any of Chromium's own calls home: the
# machine's network is closed, and each refused connection slows the start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each test gets its own context (cookies, viewport)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, **context_options) -> Page:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **context_options)
    page = context.new_page()
    # A page here answers in milliseconds; a step that waits seconds is a failure, not a slow server.
    page.set_default_timeout(5_000)
    return page


@pytest.fixture
def phone(browser):
    """A 360 × 740 phone, the smallest screen a Navigator works on."""
    page = _page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser):
    page = _page(browser, viewport={"width": 1280, "height": 800})
    yield page
    page.context.close()
