"""Sign-in goes through django-allauth with a username; nobody can sign themselves up."""

from django.urls import reverse


def test_navigator_signs_in_with_username_and_password(client, navigator):
    response = client.post(reverse("account_login"), {"login": "navigator.test", "password": "pw-for-tests-123"})

    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Metropolitan Police" in home.content.decode()


def test_wrong_password_is_refused_and_keeps_the_username(client, navigator):
    response = client.post(reverse("account_login"), {"login": "navigator.test", "password": "wrong-password-1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "not correct" in page
    assert 'value="navigator.test"' in page
    assert client.get(reverse("home")).status_code == 302


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))

    assert "Sign Up Closed" in response.content.decode()


def test_home_needs_sign_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
