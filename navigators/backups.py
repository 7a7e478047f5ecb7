"""Encrypted backups of the whole database: `manage.py backup` and `manage.py restore` (docs/security.md).

A backup is `pg_dump --format=custom`, encrypted with BACKUP_ENCRYPTION_KEY (Fernet) one chunk of 1 MiB
at a time, so a database of any size passes through in constant memory and nothing unencrypted touches
the disk. The file is a header line, a random backup id, then frames: a 4-byte length and a Fernet token
of (backup id, chunk number, last-chunk flag, data). Each token is authenticated, so a changed, dropped,
reordered or foreign chunk, or a file cut short, is refused rather than half restored. Identity details
and notes stay field-encrypted inside the dump: a restore also needs the FIELD_ENCRYPTION_KEYS of the time.
"""

import os
import re
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

MAGIC = b"SURVIVOR-CASEWORK-BACKUP 1\n"
CHUNK = 1024 * 1024
_ID_BYTES = 16
_FRAME_HEADER = struct.Struct(">16sQ?")  # backup id, chunk number, last chunk


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the operator."""


def _pg_tool(name: str) -> str:
    """The newest `name` (pg_dump, pg_restore) on PATH or bundled with pgserver: neither works with a newer server."""
    candidates = [path for path in [shutil.which(name)] if path]
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            candidates.append(str(bundled))
    except ImportError:
        pass
    if not candidates:
        raise BackupError(f"{name} not found: install the PostgreSQL 16 (or newer) client programs")
    return max(candidates, key=_version)


def _version(path: str) -> tuple[int, ...]:
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else (0, 0)


def database_from_url(url: str) -> dict:
    """Django's connection settings for a postgresql:// URL (a percent-encoded host is a socket folder)."""
    return dj_database_url.parse(url)


def _libpq_env(database: dict) -> dict:
    """The connection as libpq's environment variables: no password on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return env


def _last_line(stream) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream.read().decode(errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def backup_write(*, output: Path, database: dict) -> int:
    """Dump `database` into the encrypted file `output` (which must not exist yet); returns its size in bytes."""
    if output.exists():
        raise BackupError(f"{output} already exists: choose a new file name")
    fernet = Fernet(settings.BACKUP_ENCRYPTION_KEY)
    partial = output.with_name(output.name + ".partial")
    backup_id = os.urandom(_ID_BYTES)
    with tempfile.TemporaryFile() as errors:
        dump = subprocess.Popen(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=_libpq_env(database),
        )
        try:
            # Owner read and write only: the file is encrypted, but its name and size are nobody else's business.
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                out.write(MAGIC + backup_id)
                number, chunk = 0, dump.stdout.read(CHUNK)
                while True:
                    following = dump.stdout.read(CHUNK) if chunk else b""
                    token = fernet.encrypt(_FRAME_HEADER.pack(backup_id, number, not following) + chunk)
                    out.write(len(token).to_bytes(4, "big") + token)
                    if not following:
                        break
                    number, chunk = number + 1, following
            if dump.wait() != 0:
                raise BackupError(f"pg_dump failed: {_last_line(errors)}")
        except BaseException:
            dump.kill()
            dump.wait()
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, output)
    return output.stat().st_size


def backup_chunks(path: Path, key: str) -> Iterator[bytes]:
    """The dump inside an encrypted backup file, chunk by chunk, each checked before it is given."""
    fernet = Fernet(key)
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed by the `with file:` below, once open() has succeeded
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    with file:
        if file.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{path} is not a backup written by manage.py backup")
        backup_id = file.read(_ID_BYTES)
        number = 0
        while True:
            size = file.read(4)
            token = file.read(int.from_bytes(size, "big")) if len(size) == 4 else b""
            if not token or len(token) != int.from_bytes(size, "big"):
                raise BackupError(f"{path} is cut short: the backup is incomplete")
            try:
                plain = fernet.decrypt(token)
            except InvalidToken:
                raise BackupError(
                    f"{path} does not open with BACKUP_ENCRYPTION_KEY (another key, or the file was changed)"
                ) from None
            chunk_id, chunk_number, last = _FRAME_HEADER.unpack_from(plain)
            if chunk_id != backup_id or chunk_number != number:
                raise BackupError(f"{path} has chunks out of order or from another backup")
            yield plain[_FRAME_HEADER.size :]
            if last:
                if file.read(1):
                    raise BackupError(f"{path} has data after the end of the backup")
                return
            number += 1


def _table_count(database: dict) -> int:
    params = {
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "dbname": database.get("NAME"),
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}) as connection:
            return connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
    except psycopg.Error as error:
        message = str(error).strip().splitlines()
        raise BackupError(
            f"cannot connect to database {database.get('NAME')!r}: {message[0] if message else error}"
        ) from None


def restore(*, source: Path, database: dict) -> None:
    """Restore the encrypted backup `source` into `database`, which must be empty; all or nothing."""
    key = settings.BACKUP_ENCRYPTION_KEY
    for _ in backup_chunks(source, key):
        pass  # the whole file is checked before the database is touched
    tables = _table_count(database)
    if tables:
        raise BackupError(
            f"database {database.get('NAME')!r} already has {tables} tables: restore only into an empty database"
        )
    with tempfile.TemporaryFile() as errors:
        load = subprocess.Popen(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database['NAME']}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=_libpq_env(database),
        )
        try:
            for chunk in backup_chunks(source, key):
                load.stdin.write(chunk)
            load.stdin.close()
        except BrokenPipeError:
            pass  # pg_restore stopped early: its own message says why
        except BaseException:
            load.kill()
            load.wait()
            raise
        if load.wait() != 0:
            raise BackupError(f"pg_restore failed, nothing was restored: {_last_line(errors)}")
