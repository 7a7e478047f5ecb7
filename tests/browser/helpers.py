"""What browser tests do often: sign in and out through the real forms, keep a screenshot for the docs."""

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.conftest import make_user

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


def sign_out(page: Page) -> None:
    """Sign out with the header's button, so the same page can sign in as someone else."""
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def named_user(username: str, first_name: str, last_name: str, **roles):
    """tests.conftest.make_user with a real name, as the pages (and screenshots) show people by name."""
    user = make_user(username, **roles)
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


def save_screenshot(page: Page, name: str) -> None:
    """Keep a picture for the docs, only when asked (SAVE_SCREENSHOTS=1), so plain runs change no file."""
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.activeElement?.blur()")  # no focus ring or selected text in the picture
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
