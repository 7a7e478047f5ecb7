"""What browser tests do often: sign in and out through the real forms, keep a screenshot for the docs."""

import os
import time
from pathlib import Path

from allauth.mfa import app_settings
from playwright.sync_api import Page

from tests.conftest import make_user
from tests.factories import totp_code

PASSWORD = "pw-for-tests-123"  # tests.factories.UserFactory's
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def sign_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real allauth forms, as a person would: the password, then the code their
    authenticator app shows (every test user has TOTP_SECRET), and wait for the page it leads to."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action$='/accounts/login/'] button[type=submit]")
    assert "/accounts/2fa/authenticate/" in page.url, f"sign-in as {username} did not ask for the code"
    for _attempt in range(2):
        page.fill("input[name=code]", totp_code())
        with page.expect_navigation():
            page.click("form[action$='/accounts/2fa/authenticate/'] button[type=submit]")
        if "/accounts/" not in page.url:
            return
        # A code signs in once: the same person signed in during this 30-second period already.
        time.sleep(app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD + 0.1)
    raise AssertionError(f"sign-in as {username} failed")


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
