"""The embedded PostgreSQL and Redis start on demand; PostgreSQL stops with its last user, Redis with its owner."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
import redis

PROJECT = Path(__file__).resolve().parent.parent


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def wait_until(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_postgres_starts_answers_and_stops_with_its_last_user(tmp_path):
    pgdata = tmp_path / "pg"
    output = run_python(f"""
        from pathlib import Path
        import psycopg, dj_database_url
        from config import embedded
        url = embedded.postgres_url(Path({str(pgdata)!r}))
        settings = dj_database_url.parse(url)
        with psycopg.connect(host=settings["HOST"], user=settings["USER"], dbname=settings["NAME"]) as conn:
            print(conn.execute("select current_setting('server_version_num')").fetchone()[0])
    """)

    assert output.startswith("16")
    assert wait_until(lambda: not (pgdata / "postmaster.pid").exists()), (
        "PostgreSQL still running after its process exited"
    )


def test_redis_starts_answers_and_stops_with_its_owner(tmp_path):
    dbfile = tmp_path / "redis.rdb"
    output = run_python(f"""
        from pathlib import Path
        import redis
        from config import embedded
        url = embedded.redis_url(Path({str(dbfile)!r}))
        socket = url.removeprefix("redis+socket://")
        client = redis.Redis(unix_socket_path=socket)
        client.set("greeting", "hello")
        print(socket)
        print(client.info("server")["process_id"])
        print(client.get("greeting").decode())
        client.close()  # Redis may not have noticed by the time the owner exits: it must stop all the same
    """)

    socket, pid, value = output.splitlines()
    assert value == "hello"
    # The owner stops Redis in its exit handler and waits for it, so it is gone as soon as the owner is.
    with pytest.raises(redis.ConnectionError):
        redis.Redis(unix_socket_path=socket, socket_connect_timeout=5).ping()
    assert not running(int(pid)), "Redis still running after its owner exited"
    assert dbfile.exists(), "Redis did not save its data on the way down"


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
