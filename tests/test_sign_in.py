"""Sign-in: django-allauth with a username and password, then a code from an authenticator app (TOTP)
or a recovery code; nobody can sign themselves up; 5 failed passwords in 15 minutes lock that username
out from that address (django-axes); passwords of at least 12 characters that are not common.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import totp_code

PASSWORD = "pw-for-tests-123"
LOGIN = reverse("account_login")
CODE = reverse("mfa_authenticate")
ENROL = reverse("mfa_activate_totp")
HOME = reverse("home")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The authenticator codes' clock stands still (1 January 2026, 10:00:15, mid-period), so a test
    never straddles the 30-second period change between typing a code and checking it."""
    frozen = 1767261615.0
    monkeypatch.setattr(totp_auth, "time", type("FrozenTime", (), {"time": staticmethod(lambda: frozen)}))
    return frozen


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": username, "password": password}, **extra)


def code_step(client, code):
    return client.post(CODE, {"code": code})


def confirm_password(client):
    """allauth asks for the password again before any change to two-factor authentication."""
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


# Password, then the code.


def test_the_password_leads_to_the_code_and_only_the_code_signs_in(client, navigator, clock):
    response = password_step(client, "navigator.test")

    assert response.status_code == 302
    assert response["Location"] == CODE
    assert client.get(HOME).status_code == 302  # not signed in yet

    response = code_step(client, totp_code(clock))

    assert response.status_code == 302
    home = client.get(HOME)
    assert home.status_code == 200
    assert "Metropolitan Police" in home.content.decode()


def test_a_wrong_code_is_refused(client, navigator, clock):
    password_step(client, "navigator.test")

    response = code_step(client, totp_code(clock - 60))  # the code of a minute ago

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_code_signs_in_only_once(navigator, clock):
    first, second = Client(), Client()
    password_step(first, "navigator.test")
    code_step(first, totp_code(clock))
    password_step(second, "navigator.test")

    response = code_step(second, totp_code(clock))  # the same code, still in its 30 seconds

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert second.get(HOME).status_code == 302
    assert first.get(HOME).status_code == 200


def test_guesses_at_the_code_are_limited(client, navigator, clock):
    password_step(client, "navigator.test")
    for _ in range(5):
        code_step(client, "000000")

    response = code_step(client, totp_code(clock))  # even the right code, after 5 wrong ones

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_recovery_code_signs_in_once(navigator):
    code = RecoveryCodes.activate(navigator).generate_codes()[0]
    first, second = Client(), Client()
    password_step(first, "navigator.test")

    assert code_step(first, code).status_code == 302
    assert first.get(HOME).status_code == 200

    password_step(second, "navigator.test")
    response = code_step(second, code)
    assert "Incorrect code" in response.content.decode()
    assert second.get(HOME).status_code == 302


def test_wrong_password_is_refused_and_keeps_the_username(client, navigator):
    response = password_step(client, "navigator.test", "wrong-password-1")

    assert response.status_code == 200
    page = response.content.decode()
    assert "not correct" in page
    assert 'value="navigator.test"' in page
    assert client.get(HOME).status_code == 302


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))

    assert "Sign Up Closed" in response.content.decode()


def test_home_needs_sign_in(client, db):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# The admin signs in through the same forms.


def test_the_admin_asks_for_the_code_too(client, administrator, clock):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)

    response = client.post(response.redirect_chain[-1][0], {"login": "admin.test", "password": PASSWORD})
    assert response["Location"] == CODE
    assert client.get(reverse("admin:index")).status_code == 302

    response = code_step(client, totp_code(clock))
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


# Someone without an authenticator app is signed in by password and must set one up first.


@pytest.fixture
def newcomer(db):
    return factories.UserFactory(username="new.navigator", authenticator_app=False)


def test_someone_without_an_authenticator_app_is_sent_to_set_one_up(client, newcomer):
    response = password_step(client, "new.navigator")
    assert response.status_code == 302  # no code to ask: signed in by password alone

    for url in [HOME, reverse("casework:case_list"), reverse("admin:index"), reverse("usersessions_list")]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, ENROL), url

    response = client.get(ENROL)
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # allowed
    assert client.get(response["Location"]).status_code == 200
    confirm_password(client)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()


def test_an_administrator_without_an_authenticator_app_is_sent_to_set_one_up(client, newcomer):
    newcomer.is_staff = newcomer.is_superuser = True
    newcomer.save()
    password_step(client, "new.navigator")

    assert client.get(reverse("admin:index"))["Location"] == ENROL


def test_setting_up_the_authenticator_app_opens_the_site_and_gives_recovery_codes(client, newcomer, clock):
    password_step(client, "new.navigator")
    confirm_password(client)
    client.get(ENROL)
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(ENROL, {"code": totp_code(clock, secret=secret)})

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    assert len(RecoveryCodes(Authenticator.objects.get(user=newcomer, type="recovery_codes")).get_unused_codes()) == 10
    assert client.get(HOME).status_code == 200


def test_someone_without_an_authenticator_app_can_still_sign_out(client, newcomer):
    password_step(client, "new.navigator")

    client.post(reverse("account_logout"))

    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_the_authenticator_app_cannot_be_switched_off(client, navigator, clock):
    password_step(client, "navigator.test")
    code_step(client, totp_code(clock))
    confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert "You cannot deactivate two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=navigator, type=Authenticator.Type.TOTP).exists()


# Lockout: 5 failed passwords in 15 minutes for one username from one address.


def fail(client, username="navigator.test", address="10.0.0.1", **headers):
    return password_step(client, username, "wrong-password-1", REMOTE_ADDR=address, **headers)


def test_the_fifth_failure_locks_out_that_username_from_that_address(client, navigator):
    for _ in range(4):
        assert fail(client).status_code == 200

    response = fail(client)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert "paused for 15 minutes" in page


def test_the_password_typed_is_not_kept_with_the_failure(client, navigator):
    fail(client)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("navigator.test", 1)
    assert "wrong-password-1" not in attempt.post_data


def test_once_locked_out_even_the_right_password_is_refused(client, navigator):
    for _ in range(5):
        fail(client)

    response = password_step(client, "navigator.test", REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 429
    assert client.get(HOME).status_code == 302


def test_a_made_up_forwarded_for_header_neither_dodges_nor_resets_the_count(client, navigator):
    for n in range(5):
        fail(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")  # a different "client" each time

    assert (
        password_step(client, "navigator.test", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 429
    )
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_another_address_is_not_locked_out(client, navigator):
    for _ in range(5):
        fail(client)

    response = password_step(Client(), "navigator.test", REMOTE_ADDR="10.0.0.2")

    assert (response.status_code, response["Location"]) == (302, CODE)


def test_another_username_from_the_same_address_is_not_locked_out(client, navigator, administrator):
    for _ in range(5):
        fail(client)

    response = password_step(Client(), "admin.test", REMOTE_ADDR="10.0.0.1")

    assert (response.status_code, response["Location"]) == (302, CODE)


def test_the_username_counts_whatever_its_letter_case(client, navigator):
    for username in ["Navigator.Test", "NAVIGATOR.TEST", "navigator.TEST", "Navigator.test"]:
        fail(client, username)

    assert fail(client, "navigator.test").status_code == 429


def test_the_lockout_ends_after_15_minutes(client, navigator):
    for _ in range(5):
        fail(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=15, seconds=1))

    response = password_step(client, "navigator.test", REMOTE_ADDR="10.0.0.1")

    assert (response.status_code, response["Location"]) == (302, CODE)


def test_failures_older_than_15_minutes_do_not_count(client, navigator):
    for _ in range(4):
        fail(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))

    assert fail(client).status_code == 200  # the fifth within 15 minutes is yet to come


# Passwords: at least 12 characters, not a common one, no rules about which characters.


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("abcdefghijk", "too short"),  # 11 characters
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
    ],
)
def test_short_or_common_passwords_are_refused(password, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_password(password)


@pytest.mark.parametrize("password", ["correct horse battery", "abcdefghijkl", "mangoes in june"])
def test_any_twelve_characters_that_are_not_common_will_do(password):
    validate_password(password)  # no digits, capitals or symbols demanded


def test_changing_ones_password_follows_the_same_rules(client, navigator):
    client.force_login(navigator)
    url = reverse("account_change_password")

    refused = client.post(url, {"oldpassword": PASSWORD, "password1": "short-pw", "password2": "short-pw"})
    assert "too short" in refused.content.decode()

    accepted = client.post(
        url, {"oldpassword": PASSWORD, "password1": "mangoes in june", "password2": "mangoes in june"}
    )
    assert accepted.status_code == 302
    navigator.refresh_from_db()
    assert navigator.check_password("mangoes in june")
