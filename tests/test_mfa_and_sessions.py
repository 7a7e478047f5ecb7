"""Sessions end after 15 minutes idle and 12 hours in all, and at once for a deactivated person; each
person sees and ends their own sessions; authenticator secrets are stored encrypted; the demo logins
share one development-only secret.
"""

import base64
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from allauth.usersessions.models import UserSession
from cryptography.fernet import Fernet, InvalidToken
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.settings import auth as auth_settings
from navigators import services
from navigators.adapters import EncryptedSecretsMFAAdapter
from navigators.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from seeds.organisation import DEMO_TOTP_SECRET
from tests.factories import TOTP_SECRET, UserFactory, totp_code

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "pw-for-tests-123"
HOME = reverse("home")
LOGIN = reverse("account_login")
SESSIONS = reverse("usersessions_list")


@pytest.fixture
def clock(monkeypatch):
    """The authenticator codes' clock, standing still until moved with `clock.move(seconds)`."""

    class Clock:
        now = 1767261615.0  # 1 January 2026, 10:00:15, mid-period

        def time(self):
            return self.now

        def move(self, seconds):
            self.now += seconds

    frozen = Clock()
    monkeypatch.setattr(totp_auth, "time", frozen)
    return frozen


def sign_in(username, clock, address="10.0.0.1", browser="Firefox on a laptop") -> Client:
    """A browser signed in through the real forms (password, then the code of the moment)."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=browser)
    client.post(LOGIN, {"login": username, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(clock.now)})
    assert response.status_code == 302, f"{username} could not sign in"
    assert response["Location"] == HOME, f"{username} could not sign in"
    clock.move(30)  # the next sign-in is in the next period: a code signs in only once
    return client


def shift_session(client, **seconds_ago):
    """Move the session's stored moments into the past, as if that much time had gone by."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = time.time() - ago
    session.save()


# Idle and absolute limits.


def test_signing_in_stamps_the_session_with_its_start(navigator, clock):
    before = time.time()
    client = sign_in("navigator.test", clock)

    assert before <= client.session[SIGNED_IN_AT] <= time.time()
    assert client.session[LAST_SEEN_AT] == client.session[SIGNED_IN_AT]


def test_fifteen_minutes_without_a_request_ends_the_session(client, navigator):
    client.force_login(navigator)
    session_key = client.session.session_key
    shift_session(client, last_seen=15 * 60 + 1)

    response = client.get(HOME)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/")
    assert not Session.objects.filter(session_key=session_key).exists()
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 15 minutes without activity" in page
    assert client.get(HOME).status_code == 302


def test_fourteen_minutes_without_a_request_keep_the_session_and_a_request_starts_them_again(client, navigator):
    client.force_login(navigator)
    shift_session(client, last_seen=14 * 60)

    assert client.get(HOME).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_requests_within_a_minute_do_not_rewrite_the_session(client, navigator, django_assert_num_queries):
    client.force_login(navigator)
    shift_session(client, last_seen=30)
    seen = client.session[LAST_SEEN_AT]

    # The session, the user, the page's roles and teams, the navigation's roles: no write of the session.
    with django_assert_num_queries(5) as queries:
        client.get(HOME)

    assert all(q["sql"].startswith("SELECT") for q in queries.captured_queries)
    assert client.session[LAST_SEEN_AT] == seen


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(client, navigator):
    client.force_login(navigator)
    shift_session(client, signed_in=12 * 60 * 60 + 1, last_seen=10)

    response = client.get(HOME)

    assert response["Location"].startswith(LOGIN)
    assert "a session lasts at most 12 hours" in client.get(response["Location"]).content.decode()


def test_eleven_hours_after_signing_in_a_busy_session_goes_on(client, navigator):
    client.force_login(navigator)
    shift_session(client, signed_in=11 * 60 * 60, last_seen=10)

    assert client.get(HOME).status_code == 200


def test_an_htmx_request_after_the_limit_sends_the_whole_page_to_sign_in(client, navigator):
    client.force_login(navigator)
    shift_session(client, last_seen=16 * 60)

    response = client.get(reverse("casework:case_list"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"].startswith(LOGIN)


# Deactivation signs a person out everywhere at once.


def test_deactivating_someone_ends_every_one_of_their_sessions(navigator, administrator, clock):
    laptop = sign_in("navigator.test", clock)
    phone = sign_in("navigator.test", clock, address="10.0.0.2", browser="Chrome on a phone")
    others = sign_in("admin.test", clock)
    keys = [laptop.session.session_key, phone.session.session_key]
    assert UserSession.objects.filter(user=navigator).count() == 2

    services.user_deactivate(acting_user=administrator, user=navigator)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=navigator).exists()
    for client in [laptop, phone]:
        assert client.get(HOME)["Location"].startswith(LOGIN)
    assert others.get(HOME).status_code == 200
    navigator.refresh_from_db()
    assert not navigator.is_active
    assert navigator.history.first().history_user == administrator


def test_unticking_active_in_the_admin_ends_their_sessions(navigator, administrator, clock):
    laptop = sign_in("navigator.test", clock)
    admin = sign_in("admin.test", clock)
    url = reverse("admin:navigators_user_change", args=[navigator.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "09:00:00",
        "groups": [g.pk for g in navigator.groups.all()],
        "user_permissions": [],
    }
    for prefix in ["role_grants", "memberships"]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    del data["is_active"]  # an unticked box is not sent

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    navigator.refresh_from_db()
    assert not navigator.is_active
    assert laptop.get(HOME)["Location"].startswith(LOGIN)
    assert not UserSession.objects.filter(user=navigator).exists()


def test_a_session_of_someone_deactivated_by_other_means_ends_at_its_next_request(client, navigator):
    client.force_login(navigator)
    session_key = client.session.session_key
    type(navigator).objects.filter(pk=navigator.pk).update(is_active=False)

    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=session_key).exists()


def test_resetting_someones_two_factor_authentication_signs_them_out_and_has_them_set_it_up_again(
    navigator, administrator, clock
):
    laptop = sign_in("navigator.test", clock)
    admin = sign_in("admin.test", clock)

    response = admin.post(
        reverse("admin:navigators_user_changelist"),
        {"action": "reset_two_factor_authentication", "_selected_action": [navigator.pk]},
    )

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=navigator).exists()
    assert laptop.get(HOME)["Location"].startswith(LOGIN)
    again = Client()
    again.post(LOGIN, {"login": "navigator.test", "password": PASSWORD})
    assert again.get(HOME)["Location"] == reverse("mfa_activate_totp")


# Each person's sessions page.


def test_the_sessions_page_lists_ones_own_sessions_only(navigator, administrator, clock):
    laptop = sign_in("navigator.test", clock)
    sign_in("navigator.test", clock, address="10.0.0.2", browser="Chrome on a phone")
    sign_in("admin.test", clock, address="10.9.9.9", browser="Safari on a tablet")

    page = laptop.get(SESSIONS).content.decode()

    assert "Firefox on a laptop" in page
    assert "10.0.0.1" in page
    assert "Chrome on a phone" in page
    assert "10.0.0.2" in page
    assert "Safari on a tablet" not in page
    assert "10.9.9.9" not in page
    assert page.count("This session") == 1


def test_signing_out_the_other_sessions_ends_them_and_keeps_this_one(navigator, clock):
    laptop = sign_in("navigator.test", clock)
    phone = sign_in("navigator.test", clock, address="10.0.0.2", browser="Chrome on a phone")

    response = laptop.post(SESSIONS)

    assert response.status_code == 302
    assert phone.get(HOME)["Location"].startswith(LOGIN)
    assert laptop.get(HOME).status_code == 200
    assert list(UserSession.objects.filter(user=navigator).values_list("ip", flat=True)) == ["10.0.0.1"]


def test_the_header_links_to_ones_sessions(client, navigator):
    client.force_login(navigator)

    assert f'href="{SESSIONS}"' in client.get(HOME).content.decode()


# Authenticator secrets at rest.


def raw_authenticator_data(user) -> list[str]:
    """The stored rows as the database holds them, not through the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data::text FROM mfa_authenticator WHERE user_id = %s ORDER BY type", [user.pk])
        return cursor.fetchall()


def test_the_authenticator_secret_is_stored_encrypted(navigator, settings):
    rows = dict(raw_authenticator_data(navigator))

    assert TOTP_SECRET not in rows["totp"]
    assert base64.b32encode(base64.b32decode(TOTP_SECRET)).decode() not in rows["totp"]
    stored = Authenticator.objects.get(user=navigator, type="totp").data["secret"]
    fernet = Fernet(settings.MFA_ENCRYPTION_KEYS[0])
    assert fernet.decrypt(stored.encode()).decode() == TOTP_SECRET
    seed = Authenticator.objects.get(user=navigator, type="recovery_codes").data["seed"]
    fernet.decrypt(seed.encode())  # the recovery codes' seed too: a Fernet token, not the seed itself


def test_a_secret_enrolled_through_the_page_is_stored_encrypted(client, db, clock):
    user = UserFactory(username="new.person", authenticator_app=False)
    client.post(LOGIN, {"login": "new.person", "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(clock.now, secret=secret)})

    assert secret not in dict(raw_authenticator_data(user))["totp"]
    assert (
        EncryptedSecretsMFAAdapter().decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"]) == secret
    )


def test_a_new_key_put_first_still_reads_old_secrets_and_reencrypting_moves_them_over(navigator, settings):
    old = settings.MFA_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [new, old]
    adapter = EncryptedSecretsMFAAdapter()
    assert adapter.decrypt(Authenticator.objects.get(user=navigator, type="totp").data["secret"]) == TOTP_SECRET

    out = io.StringIO()
    call_command("mfa_reencrypt", stdout=out)

    assert "Re-encrypted 2 authenticators" in out.getvalue()
    settings.MFA_ENCRYPTION_KEYS = [new]
    assert adapter.decrypt(Authenticator.objects.get(user=navigator, type="totp").data["secret"]) == TOTP_SECRET
    settings.MFA_ENCRYPTION_KEYS = [old]
    with pytest.raises(InvalidToken):
        adapter.decrypt(Authenticator.objects.get(user=navigator, type="totp").data["secret"])


def test_a_malformed_key_stops_start_up_with_one_line(monkeypatch):
    monkeypatch.setenv("MFA_ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},not-a-fernet-key")

    with pytest.raises(ImproperlyConfigured) as refused:
        auth_settings._mfa_encryption_keys()

    assert (
        str(refused.value) == "MFA_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key (32 url-safe base64-encoded bytes)"
    )


def test_unset_outside_production_the_key_is_derived_from_the_secret_key(monkeypatch):
    monkeypatch.delenv("MFA_ENCRYPTION_KEYS", raising=False)

    keys = auth_settings._mfa_encryption_keys()

    assert len(keys) == 1
    Fernet(keys[0])


def test_production_requires_its_own_mfa_encryption_keys():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "DATABASE_URL": "postgresql://u@localhost/x",
        "REDIS_URL": "redis://localhost:6379/0",
        "SECRET_KEY": "s" * 50,
        "BLIND_INDEX_KEY": "b" * 64,
        "SITE_URL": "https://casework.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: MFA_ENCRYPTION_KEYS must be set"


# The demo logins.


def test_the_demo_logins_share_the_printed_development_secret(db):
    out = io.StringIO()
    call_command("seed_demo", survivors=10, seed=1, stdout=out)

    assert DEMO_TOTP_SECRET in out.getvalue()
    assert "DEVELOPMENT ONLY" in out.getvalue()
    adapter = EncryptedSecretsMFAAdapter()
    demo = Authenticator.objects.filter(type="totp", user__username__in=["navigator.gb", "lead.gb", "me", "admin"])
    assert [adapter.decrypt(a.data["secret"]) for a in demo] == [DEMO_TOTP_SECRET] * 4


def test_demo_code_prints_the_current_code_of_the_demo_secret(db):
    out = io.StringIO()
    call_command("demo_code", stdout=out)

    assert out.getvalue().split()[0] in {totp_code(time.time() + drift, secret=DEMO_TOTP_SECRET) for drift in (-1, 0)}
