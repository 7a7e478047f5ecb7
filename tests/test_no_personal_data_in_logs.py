"""No personal data in URLs, logs or error reports.

The demo charity is seeded, then a Navigator, a country lead and M&E go through their day while every
log record of every logger is kept, at DEBUG; none may hold a survivor's name, contact details, date of
birth or notes. Error reports (the e-mail to ADMINS) hold no POST data, query string or row values.
"""

import contextlib
import io
import logging
import re
import traceback
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.formats import date_format

from casework.models import Case, CaseAssignment
from navigators.models import User
from survivors.models import Survivor, SurvivorIdentity

TODAY = timezone.localdate()

# Who the Navigator registers, and what they write: distinctive, so that any leak is found.
NEW_SURVIVOR = {
    "legal_name": "Perpetua Vandermolen-Achterberg",
    "aliases": "Petty Vandy",
    "phone": "07700 900731",
    "email": "perpetua.v@example.net",
    "address": "17 Larkspur Mews, Hebden Bridge",
    "safe_contact_notes": "Only after the school run on Thursdays",
    "date_of_birth": "1993-02-17",
}
FOLLOW_UP_NOTES = "Met her at the lavender cafe behind Hebden Bridge station"
NEW_ADDRESS = "4 Wrenfield Terrace, Todmorden"


# What counts as personal data, and where it is looked for.


def identity_values() -> set[str]:
    """Every identity value in the database (seeded and new), as text a log line could hold."""
    values = {FOLLOW_UP_NOTES, NEW_ADDRESS}
    for identity in SurvivorIdentity.objects.all():
        for field in ["legal_name", "phone", "email", "address", "safe_contact_notes", "aliases"]:
            text = getattr(identity, field) or ""
            values.add(text)
            values.update(line.strip().rstrip(",") for line in text.splitlines())
        if identity.date_of_birth:
            born = identity.date_of_birth
            values.update(
                {born.isoformat(), born.strftime("%d/%m/%Y"), date_format(born, "j M Y"), date_format(born, "j F Y")}
            )
    # Very short fragments (a flat number, "UK") are not anyone's identity on their own.
    return {value for value in values if len(value) >= 6}


def record_text(record: logging.LogRecord) -> str:
    """All of a record that a handler could write: message, arguments, exception and stack."""
    parts = [str(record.msg), repr(record.args)]
    with contextlib.suppress(Exception):  # a malformed record still has its msg and args above
        parts.append(record.getMessage())
    if record.exc_info and record.exc_info[0] is not None:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    parts += [record.exc_text or "", record.stack_info or ""]
    return "\n".join(parts)


def leaks(records, values) -> list[str]:
    return [f"{record.name}: {value!r}" for record in records for value in values if value in record_text(record)]


@pytest.fixture
def every_log_record(monkeypatch):
    """Every record of every logger at DEBUG, kept before any handler or filter sees it."""
    records = []
    original = logging.Logger.handle

    def keep(self, record):
        records.append(record)
        return original(self, record)

    monkeypatch.setattr(logging.Logger, "handle", keep)
    loggers = [
        logging.getLogger(),
        *(logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)),
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield records
    for logger, level in levels.items():
        logger.setLevel(level)


def test_the_leak_check_finds_a_name_in_a_message_an_argument_or_a_traceback(every_log_record):
    logger = logging.getLogger("casework.test")
    logger.debug("Registered %s", "Perpetua Vandermolen-Achterberg")
    try:
        raise ValueError("bad phone 07700 900731")
    except ValueError:
        logger.exception("failed")

    assert len(leaks(every_log_record, {"Perpetua Vandermolen-Achterberg", "07700 900731"})) == 2


# The day of a Navigator, a country lead and M&E, on the seeded demo charity.


@pytest.fixture
def demo(db):
    call_command("seed_demo", survivors=20, seed=11, today=TODAY, stdout=io.StringIO())


def navigator_on_a_case():
    assignment = (
        CaseAssignment.objects.filter(ended_on__isnull=True, navigator__username__startswith="navigator.")
        .exclude(case__stage="closed")
        .select_related("navigator", "case")
        .order_by("pk")
        .first()
    )
    return assignment.navigator, assignment.case


def registration(team) -> dict:
    return {
        "gender": "feminine",
        "citizenships": ["GB"],
        "birth_year": "",
        "birth_date_precision": "unknown",
        "age_at_exploitation": "24",
        "trafficking_status": "possible",
        "status_decided_by": "",
        "exploitation_types": ["forced_labour"],
        "sexual_subtype": "",
        "industry": "F",
        "means_of_control": ["debt_bondage"],
        "recruiter_relation": "unknown",
        "team": str(team.pk),
        **NEW_SURVIVOR,
    }


def test_a_day_of_casework_logs_no_identity_detail(client, demo, every_log_record, django_capture_on_commit_callbacks):
    navigator, case = navigator_on_a_case()
    seeded_name = SurvivorIdentity.objects.get(survivor=case.survivor).legal_name
    client.force_login(navigator)

    assert client.get(reverse("casework:case_list")).status_code == 200
    assert client.get(reverse("casework:case_list"), {"scope": "all", "name": seeded_name}).status_code == 200
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("casework:case_identity", args=[case.pk])).status_code == 200
    assert client.get(reverse("casework:case_detail", args=[999_999_999])).status_code == 404  # logged: "Not Found"

    team = navigator.memberships.get(ended_on__isnull=True).team
    registered = client.post(reverse("survivors:survivor_register"), registration(team))
    assert registered.status_code == 302, registered.context["form"].errors if registered.context else registered
    survivor = Survivor.objects.order_by("-pk").first()
    new_case = Case.objects.get(survivor=survivor)
    assert client.get(registered["Location"]).status_code == 200

    follow_up = {
        "occurred_on": TODAY.isoformat(),
        "mode": "phone",
        "outcome": "reached",
        "purposes": ["safety_check"],
        "duration_minutes": "20",
        "notes": FOLLOW_UP_NOTES,
        "next_due_on": (TODAY + timedelta(days=7)).isoformat(),
    }
    assert client.post(reverse("casework:record_new", args=[new_case.pk, "follow-up"]), follow_up).status_code == 302
    mistaken = {**follow_up, "occurred_on": (TODAY + timedelta(days=3)).isoformat()}
    assert client.post(reverse("casework:record_new", args=[new_case.pk, "follow-up"]), mistaken).status_code == 200

    identity_url = reverse("survivors:survivor_identity_edit", args=[survivor.pk])
    assert client.get(identity_url).status_code == 200
    identity = SurvivorIdentity.objects.get(survivor=survivor)
    edited = {**dict(NEW_SURVIVOR.items()), "version": identity.version, "address": NEW_ADDRESS}
    assert client.post(identity_url, edited).status_code == 302
    assert SurvivorIdentity.objects.get(survivor=survivor).address == NEW_ADDRESS

    client.force_login(
        User.objects.get(username=f"lead.{team.country_id.lower()}")
    )  # the lead of the survivor's country
    assert client.get(reverse("casework:lead_dashboard")).status_code == 200
    assert client.get(reverse("casework:request_list")).status_code == 200
    assert (
        client.get(reverse("casework:case_list"), {"scope": "all", "name": NEW_SURVIVOR["legal_name"]}).status_code
        == 200
    )
    assert client.get(reverse("casework:case_identity", args=[new_case.pk])).status_code == 200

    client.force_login(User.objects.get(username="me"))
    assert client.get(reverse("reporting:headline")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the export's Celery task runs here
        asked = client.post(
            reverse("reporting:export_new"),
            {
                "start": (TODAY - timedelta(days=365)).isoformat(),
                "end": (TODAY - timedelta(days=1)).isoformat(),
                "format": "csv",
                "indicator": "survivors_cared_for",
                "dimensions": ["age_band", "sex"],
            },
        )
    assert asked.status_code == 302
    assert client.get(asked["Location"]).status_code == 200
    assert client.get(asked["Location"] + "download/").status_code == 200

    assert every_log_record, "the day logged nothing at all: the check would prove nothing"
    assert leaks(every_log_record, identity_values()) == []


# Error reports and request logs.


@pytest.fixture
def failing_registration(client, world, settings, monkeypatch):
    """A registration the database refuses with an error that quotes the row, as PostgreSQL's do."""
    settings.ADMINS = [("Operations", "ops@example.org")]
    client.raise_request_exception = False
    client.force_login(world["assigned"])

    def refused(self, *args, **kwargs):
        raise IntegrityError(
            'new row for relation "casework_case" violates check constraint "x"\n'
            f"DETAIL:  Failing row contains ({NEW_SURVIVOR['legal_name']}, {NEW_SURVIVOR['phone']})."
        )

    monkeypatch.setattr(Case, "save", refused)
    return client.post(
        reverse("survivors:survivor_register") + "?from=" + NEW_SURVIVOR["phone"].replace(" ", "+"),
        registration(world["met"]),
    )


def personal_values_in(text: str) -> list[str]:
    return [value for value in [*NEW_SURVIVOR.values(), "07700+900731"] if value in text]


def test_an_error_report_holds_no_post_data_query_string_or_row_values(failing_registration, mailoutbox):
    assert failing_registration.status_code == 500
    [report] = mailoutbox
    text = report.subject + report.body + "".join(content for content, _type in report.alternatives)

    assert "Internal Server Error: /survivors/new/" in report.subject
    assert "legal_name = '[hidden]'" in text  # the fields are named, their values are not
    assert "DETAIL: [hidden]" in text
    assert personal_values_in(text) == []


def test_a_logged_error_keeps_its_traceback_but_not_the_row_values(failing_registration, caplog):
    console = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    [error] = [
        record
        for record in caplog.get_records("setup")  # logged while the fixture made the request
        if record.name == "django.request" and record.levelno == logging.ERROR
    ]

    assert console.filter(error)
    line = console.format(error)

    assert "Traceback" in line
    assert "IntegrityError" in line
    assert "DETAIL: [hidden]" in line
    assert personal_values_in(line) == []


def test_request_lines_are_logged_without_their_query_string():
    logger = logging.getLogger("django.server")
    handler = next(handler for handler in logger.handlers if handler.name == "request_lines")
    record = logger.makeRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /cases/?scope=all&name=Perpetua+Vandermolen HTTP/1.1", "200", "5120"),
        None,
    )

    assert handler.filter(record)
    line = handler.format(record)

    assert '"GET /cases/?[hidden] HTTP/1.1" 200 5120' in line
    assert "Perpetua" not in line


def test_sql_is_never_logged_with_its_parameters():
    assert logging.getLogger("django.db.backends").getEffectiveLevel() > logging.DEBUG


# URLs: ids and case references, never a name.


def routes(patterns=None, prefix="", namespace=None):
    """(route, namespace, pattern) for every URL of the project, included ones too."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def captured_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def test_no_url_carries_a_name_or_an_identity_detail():
    identity_words = re.compile(r"name|phone|mail|address|birth|dob|alias|note|identity|passport|document", re.I)

    captured = {name for route, _namespace, _pattern in routes() for name in captured_names(route)}

    assert captured, "no URL captures anything: the walk over the URLs is broken"
    assert sorted(name for name in captured if identity_words.search(name)) == []


# Words of a controlled vocabulary in a URL: the kind of record to add, the source of an aggregate return.
VOCABULARY_SLUGS = {"kind", "source"}


def test_our_urls_take_only_numeric_ids_and_words_of_our_vocabulary():
    ours = [route for route, namespace, _pattern in routes() if namespace in {"casework", "survivors", "reporting"}]

    assert ours
    for route in ours:
        for name in captured_names(route):
            assert (name.endswith("_id") and f"<int:{name}>" in route) or (
                name in VOCABULARY_SLUGS and f"<slug:{name}>" in route
            ), route
