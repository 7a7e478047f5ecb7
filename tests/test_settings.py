"""Settings fail loudly: a bad or missing value stops start-up with one clear line."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_url

PROJECT = Path(__file__).resolve().parent.parent


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)


def test_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "12h")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE must be a whole number"):
        env_int("SESSION_COOKIE_AGE", 60)


def test_sqlite_url_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL starting with"):
        env_url("DATABASE_URL", ("postgres", "postgresql"), None)


def test_production_without_secrets_stops_with_one_line():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.django.production"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert result.stderr.strip() == "Configuration error: DATABASE_URL must be set"


@pytest.mark.parametrize("missing", ["BLIND_INDEX_KEY", "SITE_URL"])
def test_production_requires_its_own_blind_index_key_and_site_url(missing):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "DATABASE_URL": "postgresql://u@localhost/x",
        "REDIS_URL": "redis://localhost:6379/0",
        "SECRET_KEY": "s" * 50,
        "BLIND_INDEX_KEY": "b" * 64,
        "SITE_URL": "https://casework.example.org",
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert result.stderr.strip() == f"Configuration error: {missing} must be set"
