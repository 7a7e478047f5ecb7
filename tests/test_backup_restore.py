"""`manage.py backup` writes an encrypted pg_dump; `manage.py restore` brings it back into an empty database."""

import io
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from casework.models import FollowUp
from survivors.models import SurvivorIdentity
from tests.test_seed_demo import seed

PROJECT = Path(__file__).resolve().parent.parent


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


def restore(path: Path, **options) -> str:
    out = io.StringIO()
    call_command("restore", input=str(path), stdout=out, **options)
    return out.getvalue()


def row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def empty_database():
    """A new empty database on the same server, reachable as the alias 'restored' and by URL."""
    name = f"test_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings = {**connection.settings_dict, "NAME": name}
    connections.settings["restored"] = settings
    host = quote(settings["HOST"], safe="") if settings["HOST"].startswith("/") else settings["HOST"]
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    yield f"postgresql://{quote(settings['USER'], safe='')}{password}@{host}{port}/{name}"
    connections["restored"].close()
    del connections["restored"]
    del connections.settings["restored"]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_row_and_reads_with_the_keys(tmp_path, empty_database):
    seed(survivors=10, seed=3)
    path = tmp_path / "casework.backup"

    assert "Wrote an encrypted backup" in backup(path)
    assert "Restored" in restore(path, database_url=empty_database)
    # Connected directly: the test runner refuses to open aliases it did not know when the test began.
    connections["restored"].connect()

    with connection.cursor() as cursor:
        original = row_counts(cursor)
    with connections["restored"].cursor() as cursor:
        restored = row_counts(cursor)
    assert restored == original
    assert original["survivors_survivoridentity"] > 0
    assert original["casework_historicalfollowup"] > 0
    identities = SurvivorIdentity.objects.order_by("pk")
    assert [(i.legal_name, i.date_of_birth, i.phone) for i in identities.using("restored")] == [
        (i.legal_name, i.date_of_birth, i.phone) for i in identities
    ]
    assert sorted(FollowUp.objects.using("restored").values_list("pk", "notes")) == sorted(
        FollowUp.objects.values_list("pk", "notes")
    )
    # The file itself gives nothing away, not even what is plain in the database (the case references).
    assert identities.first().survivor.case_reference.encode() not in path.read_bytes()


@pytest.fixture(scope="module")
def backup_file(tmp_path_factory, django_db_setup, django_db_blocker):
    """One backup of the (empty) test database, for the tests that only need a file."""
    path = tmp_path_factory.mktemp("backups") / "empty.backup"
    with django_db_blocker.unblock():
        backup(path)
    return path


@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_tables(backup_file):
    with pytest.raises(CommandError, match=r"already has \d+ tables: restore only into an empty database"):
        restore(backup_file)


@pytest.mark.django_db
def test_backup_does_not_overwrite_a_file(backup_file):
    with pytest.raises(CommandError, match="already exists"):
        backup(backup_file)


@pytest.mark.django_db
def test_a_backup_does_not_open_with_another_key(backup_file):
    with (
        override_settings(BACKUP_ENCRYPTION_KEY=Fernet.generate_key().decode()),
        pytest.raises(CommandError, match="does not open with BACKUP_ENCRYPTION_KEY"),
    ):
        restore(backup_file)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "is cut short"),
        (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:], "does not open with BACKUP_ENCRYPTION_KEY"),
        (lambda data: data + b"more", "data after the end"),
        (lambda data: b"PGDMP" + data, "is not a backup written by manage.py backup"),
    ],
)
def test_a_damaged_backup_is_refused_before_the_database_is_touched(backup_file, tmp_path, damage, message):
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(damage(backup_file.read_bytes()))

    with pytest.raises(CommandError, match=message):
        restore(damaged, database_url="postgresql://nobody@localhost:1/never_reached")


def test_a_bad_file_exits_non_zero_with_one_line(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a backup")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", "--input", str(bad)],
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.django.test"},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"CommandError: {bad} is not a backup written by manage.py backup"
    assert len([line for line in result.stderr.splitlines() if "Error" in line]) == 1
