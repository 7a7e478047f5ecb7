"""What browser tests do often: sign in through the real form, keep a screenshot for the docs."""

import os
from pathlib import Path

from playwright.sync_api import Page

PASSWORD = "pw-for-tests-123"  # tests.factories.UserFactory's
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def sign_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real allauth form, as a person would, and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action$='/accounts/login/'] button[type=submit]")
    assert "/accounts/login/" not in page.url, f"sign-in as {username} failed"


def save_screenshot(page: Page, name: str) -> None:
    """Keep a picture for the docs, only when asked (SAVE_SCREENSHOTS=1), so plain runs change no file."""
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
