"""Reliability: two editors never lose an update, every Celery task is safe to run twice, and a database
that goes away mid-request gives the error page, keeps nothing half-written, and the next request works."""

import ast
import importlib
import threading
from datetime import timedelta
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from casework import services as casework
from casework.choices import ClosureReason, Stage
from casework.models import CarePlan, Case
from config.celery import app as celery_app
from navigators.versioning import EditConflict, check_version
from reporting.exports.jobs import ExportRequest
from reporting.figures import ReportPeriod
from reporting.tasks import export_request
from survivors.models import Survivor, SurvivorIdentity
from survivors.services import survivor_identity_update
from tests import factories
from tests.conftest import TODAY

PROJECT = Path(__file__).resolve().parent.parent
OUR_APPS = ["navigators", "survivors", "casework", "reporting", "dataprotection", "seeds"]
ROUNDS = 200


# Two editors, one record: each round both read the same version, then both save from it.


def race(save, read_version, rounds=ROUNDS) -> list[tuple[str, str]]:
    """Two threads, each with its own database connection, save the same record from the version both
    read, `rounds` times. Returns each round's pair of outcomes ("saved" or "conflict")."""
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list[list[str]] = [[], []]
    failures: list[BaseException] = []

    def editor(who: int):
        try:
            for round_ in range(rounds):
                barrier.wait()  # the previous round's saves are both committed
                version = read_version()
                barrier.wait()  # both hold the same version: now both save
                try:
                    save(who, round_, version)
                    outcomes[who].append("saved")
                except EditConflict:
                    outcomes[who].append("conflict")
        except BaseException as failure:  # noqa: BLE001 - reported by the test below
            failures.append(failure)
            barrier.abort()
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=editor, args=(who,)) for who in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return list(zip(*outcomes, strict=True))


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_a_care_plan_from_the_same_version_never_lose_an_update(world):
    case = world["case"]
    editors = [world["assigned"], world["lead"]]
    casework.care_plan_save(
        acting_user=world["lead"], case=case, started_on=TODAY, next_review_on=TODAY + timedelta(days=30)
    )
    last_saved = {}

    def save(who, round_, version):
        casework.care_plan_save(
            acting_user=editors[who],
            case=Case.objects.get(pk=case.pk),
            started_on=TODAY,
            next_review_on=TODAY + timedelta(days=30),
            summary=f"round {round_} by {who}",
            version=version,
        )
        last_saved["summary"] = f"round {round_} by {who}"

    rounds = race(save, lambda: CarePlan.objects.get(case=case).version)

    assert all(sorted(outcome) == ["conflict", "saved"] for outcome in rounds), [
        o for o in rounds if sorted(o) != ["conflict", "saved"]
    ]
    plan = CarePlan.objects.get(case=case)
    saved = sum(outcome.count("saved") for outcome in rounds)
    assert (saved, plan.version) == (ROUNDS, 1 + saved)
    assert plan.summary == last_saved["summary"]
    assert plan.history.count() == 1 + saved


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_an_identity_from_the_same_version_never_lose_an_update(world):
    survivor = world["case"].survivor
    editors = [world["assigned"], world["lead"]]
    survivor_identity_update(acting_user=world["lead"], survivor=survivor, version=0, legal_name="Ana Popescu")

    def save(who, round_, version):
        survivor_identity_update(
            acting_user=editors[who],
            survivor=Survivor.objects.get(pk=survivor.pk),
            version=version,
            address=f"{round_} Strada Florilor, editor {who}",
        )

    rounds = race(save, lambda: SurvivorIdentity.objects.get(survivor=survivor).version)

    assert all(sorted(outcome) == ["conflict", "saved"] for outcome in rounds)
    identity = SurvivorIdentity.objects.get(survivor=survivor)
    assert identity.version == 1 + ROUNDS
    assert identity.address.startswith(f"{ROUNDS - 1} Strada Florilor")


@pytest.mark.django_db(transaction=True)
def test_a_version_check_outside_a_transaction_is_refused(world):
    survivor = world["case"].survivor  # read in autocommit, so not locked

    with pytest.raises(RuntimeError, match="select_for_update"):
        check_version(survivor, survivor.version, [])


# Celery: late acknowledgement means a task may be delivered twice, so each must be safe to run twice.


def test_celery_acknowledges_late_and_takes_one_task_at_a_time():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def _project_tasks() -> set[str]:
    for app in OUR_APPS:
        try:
            importlib.import_module(f"{app}.tasks")
        except ModuleNotFoundError as missing:
            if missing.name != f"{app}.tasks":
                raise
    return {name for name in celery_app.tasks if name.split(".")[0] in OUR_APPS}


def _database_fingerprint() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows: live tables, history tables, all of them."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {quoted} t"
            )
            fingerprint[table] = cursor.fetchone()
    return fingerprint


@pytest.fixture
def work_for_every_task(world, django_capture_on_commit_callbacks):
    """Something for each task to do, and the arguments it is queued with."""
    navigator = world["assigned"]
    navigator.email = "assigned@example.org"
    navigator.save()
    casework.follow_up_log(
        acting_user=navigator,
        case=world["case"],
        occurred_on=TODAY - timedelta(days=20),
        mode="phone",
        next_due_on=TODAY - timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=False):  # built below, twice, instead of when queued
        job = export_request(
            acting_user=world["me"],
            export=ExportRequest(period=ReportPeriod(None, TODAY - timedelta(days=180), TODAY), format="csv"),
        )
    # A survivor whose only case closed nine years ago, due for anonymisation.
    long_closed = casework.case_open(
        acting_user=world["lead"],
        survivor=factories.SurvivorFactory(),
        team=world["met"],
        opened_on=TODAY - timedelta(days=10 * 365),
    )
    survivor_identity_update(
        acting_user=world["lead"], survivor=long_closed.survivor, version=0, legal_name="Maria Ionescu"
    )
    Case.objects.filter(pk=long_closed.pk).update(
        stage=Stage.CLOSED, closed_on=TODAY - timedelta(days=9 * 365), closure_reason=ClosureReason.GRADUATED
    )
    return {
        "casework.tasks.reminders_send_daily": (TODAY.isoformat(),),
        "reporting.tasks.export_build": (job.pk,),
        "dataprotection.tasks.retention_anonymise_due": (TODAY.isoformat(),),
    }


def test_every_task_run_twice_changes_nothing_the_second_time(work_for_every_task, mailoutbox):
    assert set(work_for_every_task) == _project_tasks(), (
        "a new task needs its arguments here, to show it is safe to run twice"
    )

    for name, args in work_for_every_task.items():
        before = _database_fingerprint()
        celery_app.tasks[name].apply(args=args, throw=True)
        after_first, mails = _database_fingerprint(), len(mailoutbox)
        assert after_first != before, f"{name} had nothing to do: the second run would prove nothing"

        celery_app.tasks[name].apply(args=args, throw=True)

        assert _database_fingerprint() == after_first, name
        assert len(mailoutbox) == mails, name
    assert len(mailoutbox) == 1  # the first run did send the digest


def test_tasks_are_queued_only_once_the_transaction_has_committed():
    """A worker must never pick up a task for rows it cannot see yet, or that were rolled back: every
    `.delay(` / `.apply_async(` in the project is inside `transaction.on_commit(...)`, or is `delay_on_commit`."""
    unqueued = []
    for path in (path for folder in [*OUR_APPS, "config"] for path in (PROJECT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        inside_on_commit = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "on_commit":
                inside_on_commit.update(id(child) for child in ast.walk(node))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"delay", "apply_async"}
                and id(node) not in inside_on_commit
            ):
                unqueued.append(f"{path.relative_to(PROJECT)}:{node.lineno}")
    assert unqueued == []


# The database going away.


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        result = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            result[table] = cursor.fetchone()[0]
    return result


def registration(team, name="Zenobia Farquharson"):
    return {
        "gender": "feminine",
        "citizenships": ["RO"],
        "birth_year": "1994",
        "birth_date_precision": "year",
        "age_at_exploitation": "24",
        "trafficking_status": "possible",
        "status_decided_by": "",
        "exploitation_types": ["forced_labour"],
        "sexual_subtype": "",
        "industry": "F",
        "means_of_control": ["debt_bondage"],
        "recruiter_relation": "unknown",
        "legal_name": name,
        "aliases": "",
        "date_of_birth": "",
        "phone": "07700 900987",
        "email": "",
        "address": "",
        "safe_contact_notes": "",
        "team": str(team.pk),
    }


def test_the_error_page_needs_no_database(django_db_blocker):
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/cases/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_database_failure_mid_registration_shows_the_error_page_and_keeps_nothing(world, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(world["assigned"])
    before = counts()
    original_save = Case.save

    def connection_lost(self, *args, **kwargs):
        # The survivor, their identity and its history are written by now, in the service's transaction.
        assert Survivor.objects.count() == before[Survivor._meta.db_table] + 1
        assert SurvivorIdentity.objects.count() == before[SurvivorIdentity._meta.db_table] + 1
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Case, "save", connection_lost)
    response = client.post(reverse("survivors:survivor_register"), registration(world["met"]))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Zenobia" not in page
    assert "Traceback" not in page
    assert [t.name for t in response.templates] == ["500.html"]
    assert "no-store" in response["Cache-Control"]
    assert counts() == before

    monkeypatch.setattr(Case, "save", original_save)  # the database is back
    again = client.post(reverse("survivors:survivor_register"), registration(world["met"]))

    assert again.status_code == 302
    assert Survivor.objects.count() == before[Survivor._meta.db_table] + 1
    assert SurvivorIdentity.objects.latest("pk").legal_name == "Zenobia Farquharson"


# Connections dropped by the server (a restart, a failover, an idle timeout), with connections kept
# between requests as in production. Through Django's real WSGI handler: the test client leaves out
# the request-boundary connection checks that this is about.


def _terminate(pid: int) -> None:
    """Kill a backend from a second connection, as a database restart would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def wsgi_get(world, monkeypatch):
    """GET a page as the assigned Navigator through the WSGI handler; returns the status code and the body."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    signed_in = Client()
    signed_in.force_login(world["assigned"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler = WSGIHandler()

    def get(path):
        environ = {"PATH_INFO": path, "HTTP_COOKIE": cookie}
        setup_testing_defaults(environ)
        status = []
        body = handler(environ, lambda line, headers, exc_info=None: status.append(int(line.split()[0])))
        try:
            return status[0], b"".join(body).decode()
        finally:
            body.close()  # request_finished: Django's end-of-request connection handling

    yield get
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_connections_are_checked_before_reuse():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_between_requests_is_replaced_before_the_next_one(wsgi_get):
    assert wsgi_get("/cases/")[0] == 200
    pid = _backend_pid()

    _terminate(pid)
    status, _page = wsgi_get("/cases/")

    assert status == 200
    assert _backend_pid() != pid


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_request_gives_the_error_page_and_the_next_request_works(wsgi_get, monkeypatch):
    from casework.views import cases

    assert wsgi_get("/cases/")[0] == 200
    original = cases.caseload

    def dropped(*args, **kwargs):
        _terminate(_backend_pid())
        return original(*args, **kwargs)

    monkeypatch.setattr(cases, "caseload", dropped)
    status, page = wsgi_get("/cases/")

    assert status == 500
    assert "Something went wrong" in page
    monkeypatch.setattr(cases, "caseload", original)
    assert wsgi_get("/cases/")[0] == 200
