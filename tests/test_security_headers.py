"""Transport and headers: production passes Django's deployment checks, every page carries the
Content-Security-Policy and the other headers, no template needs inline script or style, and nothing a
signed-in user is sent is kept in a browser's cache."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
# E-mail is read in mail programs, not under our CSP, and inline style is all most of them understand.
NOT_SERVED_AS_PAGES = {TEMPLATES / "email"}


def production_environment() -> dict[str, str]:
    """What config/django/production.py requires, with throw-away values (nothing is connected to)."""
    fernet = Fernet.generate_key().decode()
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "DATABASE_URL": "postgresql://casework@db.internal/casework",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BLIND_INDEX_KEY": secrets.token_hex(32),
        "SITE_URL": "https://casework.example.org",
        "ALLOWED_HOSTS": "casework.example.org",
        "FIELD_ENCRYPTION_KEYS": fernet,
        "BACKUP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_sends_hsts_and_secure_cookies_and_redirects_to_https():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=production_environment(), capture_output=True, text=True
    )

    assert result.stdout.split() == [str(365 * 24 * 3600), "True", "True", "True", "True", "True", "True", "False"], (
        result.stderr
    )


# Headers on every response.


@pytest.fixture
def navigator(client, world):
    client.force_login(world["assigned"])
    return client


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("page", ["casework:case_list", "account_login"])
def test_every_page_has_a_policy_without_inline_script_or_style(client, world, page):
    if page != "account_login":
        client.force_login(world["assigned"])

    response = client.get(reverse(page))

    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_may_not_be_framed_sniffed_or_leak_their_address(navigator, world):
    response = navigator.get(reverse("casework:case_detail", args=[world["case"].pk]))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_error_pages_carry_the_headers_too(navigator):
    response = navigator.get("/cases/999999999/")

    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


# Nothing a signed-in person is sent stays in the browser's cache.


@pytest.mark.parametrize("page", ["casework:case_list", "casework:case_detail", "casework:case_identity", "home"])
def test_every_page_for_a_signed_in_user_is_not_stored(navigator, world, page):
    args = [world["case"].pk] if page.startswith("casework:case_") and page != "casework:case_list" else []

    response = navigator.get(reverse(page, args=args))

    assert response.status_code in (200, 302)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_htmx_fragments_are_not_stored_either(navigator):
    response = navigator.get(reverse("casework:case_list"), HTTP_HX_REQUEST="true")

    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_cache_for_a_signed_in_user(navigator):
    response = navigator.get(settings.STATIC_URL + "css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# Pages that work under the policy: no inline script, event handler or style anywhere.

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
INLINE = {
    "inline <script>": INLINE_SCRIPT,
    "on…= handler": EVENT_HANDLER,
    "style attribute": STYLE_ATTRIBUTE,
    "<style> element": STYLE_ELEMENT,
    "javascript: URL": JAVASCRIPT_URL,
}


def served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if not any(folder in path.parents for folder in NOT_SERVED_AS_PAGES):
            yield path


def inline_code(html: str) -> list[str]:
    html = re.sub(r"{#.*?#}", "", html, flags=re.S)  # template comments are never sent
    return [f"{what}: {match.group(0)[:80]}" for what, pattern in INLINE.items() for match in pattern.finditer(html)]


def test_no_template_has_inline_script_handlers_or_style():
    found = {str(path.relative_to(PROJECT)): inline_code(path.read_text()) for path in served_templates()}

    assert {path: code for path, code in found.items() if code} == {}


def test_the_template_check_finds_what_the_policy_would_block():
    page = (
        '<script>alert(1)</script><a onclick="go()" style="color:red">x</a><style>p{}</style>'
        '<script src="/static/js/app.js" defer></script><a href="javascript:go()">y</a>'
    )

    assert len(inline_code(page)) == 5


def test_pages_as_rendered_have_no_inline_script_or_style(navigator, world):
    for url in [
        reverse("casework:case_list"),
        reverse("casework:case_detail", args=[world["case"].pk]),
        reverse("survivors:survivor_register"),
        reverse("casework:record_new", args=[world["case"].pk, "follow-up"]),
    ]:
        response = navigator.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


def test_htmx_adds_no_style_element_of_its_own():
    base = (TEMPLATES / "base.html").read_text()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in base
    assert ".htmx-indicator" in (PROJECT / "static" / "css" / "app.css").read_text()
