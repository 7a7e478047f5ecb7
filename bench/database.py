"""The benchmark's own database on the same PostgreSQL server: created, migrated and seeded when empty.

Called before Django is set up: it decides which database Django will use (DATABASE_URL).
"""

import os
from urllib.parse import urlsplit, urlunsplit


def server_url() -> str:
    """DATABASE_URL when set, or the embedded PostgreSQL (started, or joined, by this process)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from config import embedded

    return embedded.postgres_url()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(name: str, *, fresh: bool = False) -> str:
    """Create database `name` on the server unless it exists (with `fresh`, drop it first); returns its URL."""
    import psycopg

    url = server_url()
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def ensure_seeded(survivors: int, *, stdout) -> bool:
    """Migrate, and load seed_scale when the database has no survivors yet. True when it seeded."""
    from django.core.management import call_command

    from survivors.models import Survivor

    call_command("migrate", verbosity=0)
    if Survivor.objects.exists():
        return False
    stdout.write(f"Seeding {survivors:,} survivors (seed_scale; at 100,000 this takes several minutes)...\n")
    call_command("seed_scale", survivors=survivors, stdout=stdout)
    return True


def describe_data() -> str:
    """What is in the database, in one line."""
    from casework import models as m
    from navigators.models import Team, TeamMembership
    from survivors.models import Survivor

    other = [
        m.SupportService,
        m.PoliceEngagementEvent,
        m.WellbeingAssessment,
        m.StageChange,
        m.RemovalFromExploitation,
        m.Arrest,
        m.RetraffickingEvent,
        m.Prosecution,
        m.Repatriation,
        m.NrmEvent,
    ]
    navigators = TeamMembership.objects.filter(ended_on__isnull=True).values("user").distinct().count()
    return (
        f"{Survivor.objects.count():,} survivors, {m.Case.objects.count():,} cases, "
        f"{m.FollowUp.objects.count():,} follow-ups, {sum(model.objects.count() for model in other):,} other case events, "
        f"{navigators:,} Navigators in {Team.objects.count():,} teams"
    )


def describe_machine() -> str:
    """CPU, memory, PostgreSQL and its memory settings, Python and Django, in one line."""
    import platform

    import django
    from django.db import connection

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kib = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
            memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        settings = {}
        for name in ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; PostgreSQL {settings['server_version'].split()[0]} "
        f"(shared_buffers {settings['shared_buffers']}, work_mem {settings['work_mem']}, "
        f"effective_cache_size {settings['effective_cache_size']}, jit {settings['jit']}); "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
