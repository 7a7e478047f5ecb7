"""The anonymised case-level extract (reporting/exports/case_extract.py, docs/extract.md): its columns and
values, that nothing identifying leaves in it, that its row keys link nothing, who may download it, its
line in the access trail, its query count, and that it is streamed."""

import csv
import hmac
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import choices as cw
from navigators.models import RoleGrant
from reporting.breakdowns import AGE_BANDS
from reporting.exports import case_extract
from reporting.exports.case_extract import HEADER, case_extract_csv
from reporting.figures import ReportPeriod
from survivors.models import AccessRecord
from tests import factories
from tests.conftest import TODAY, make_user

URL = reverse("reporting:case_extract")
EVERYTHING = ReportPeriod(None, date(2000, 1, 1), TODAY)
ALL_DATES = {"start": "2000-01-01", "end": TODAY.isoformat()}

COLUMNS = [
    "row_key",
    "country",
    "opened_month",
    "closed_month",
    "stage",
    "closure_reason",
    "sex",
    "age_band_at_opening",
    "age_band_at_exploitation",
    "minor_at_exploitation",
    "citizenship",
    "trafficking_status",
    "exploitation_types",
    "removed_from_exploitation",
    "support_received",
    "police_engagement_highest",
    "police_engagement_current",
    "nrm_status",
    "nrm_reasonable_grounds",
    "nrm_conclusive_grounds",
    "repatriated",
    "retrafficked",
    "arrests",
    "prosecutions",
    "convictions",
]


def extract(period=EVERYTHING, **kwargs) -> str:
    return "".join(case_extract_csv(period, **kwargs))


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def download(client, data=None):
    """POST the form and read the whole streamed body."""
    response = client.post(URL, ALL_DATES if data is None else data)
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return response, body


def cases_of_one_month(team, count: int, opened_on: date):
    return [factories.CaseFactory(team=team, opened_on=opened_on) for _ in range(count)]


@pytest.fixture
def me_client(client, world):
    client.force_login(world["me"])
    return client


# ---- the columns and their values ----------------------------------------------------------------


def test_the_columns_are_the_documented_ones(world):
    assert HEADER == COLUMNS
    assert rows_of(extract())[0].keys() == set(COLUMNS)


def test_a_case_with_everything_recorded(world):
    survivor = factories.SurvivorFactory(
        gender="feminine", birth_year=TODAY.year - 30, age_at_exploitation=16, citizenships=["RO", "MD"]
    )
    factories.SurvivorExploitationFactory(survivor=survivor, type="sexual", industry="")
    factories.SurvivorExploitationFactory(survivor=survivor, type="forced_labour")
    opened = TODAY - timedelta(days=60)
    case = factories.CaseFactory(survivor=survivor, team=world["met"], opened_on=opened, stage=cw.Stage.RECOVERY)
    day = opened + timedelta(days=5)
    factories.PoliceEngagementEventFactory(case=case, occurred_on=day, level=3)
    factories.PoliceEngagementEventFactory(case=case, occurred_on=day + timedelta(days=1), level=1, is_withdrawal=True)
    for step, status in enumerate(["referred", "rg_positive", "recovery_period", "cg_pending"]):
        factories.NrmEventFactory(case=case, occurred_on=day + timedelta(days=step), status=status)
    factories.SupportServiceFactory(case=case)
    factories.RemovalFromExploitationFactory(case=case)
    factories.RetraffickingEventFactory(case=case)
    factories.ArrestFactory(case=case)
    factories.ArrestFactory(case=case)
    factories.ProsecutionFactory(
        case=case, outcome=cw.ProsecutionOutcome.CONVICTED, trial_started_on=day, outcome_on=day
    )
    factories.ProsecutionFactory(case=case)
    factories.RepatriationFactory(case=case, departed_on=day, arrived_on=day, stage=cw.RepatriationStage.ARRIVED)

    (row,) = [row for row in rows_of(extract(threshold=1)) if row["sex"] == "feminine"]

    assert re.fullmatch(r"[0-9a-f]{16}", row.pop("row_key"))
    assert row == {
        "country": "GB",
        "opened_month": opened.strftime("%Y-%m"),
        "closed_month": "",
        "stage": "recovery",
        "closure_reason": "",
        "sex": "feminine",
        "age_band_at_opening": "30-38",
        "age_band_at_exploitation": "9-17",
        "minor_at_exploitation": "minor",
        "citizenship": "RO",
        "trafficking_status": "possible",
        "exploitation_types": "forced_labour;sexual",
        "removed_from_exploitation": "yes",
        "support_received": "yes",
        "police_engagement_highest": "3",
        "police_engagement_current": "1",
        "nrm_status": "cg_pending",
        "nrm_reasonable_grounds": "positive",
        "nrm_conclusive_grounds": "pending",
        "repatriated": "yes",
        "retrafficked": "yes",
        "arrests": "2",
        "prosecutions": "2",
        "convictions": "1",
    }


def test_a_case_with_nothing_recorded(world):
    # The world's case: opened 50 days ago on a GB team, survivor born 1995, 24 at exploitation, GB citizen.
    opened = world["case"].opened_on
    age_at_opening = opened.year - 1995
    band = next(key for _low, high, key, _label in AGE_BANDS if high is None or age_at_opening <= high)
    (row,) = rows_of(extract(threshold=1))

    assert {name: value for name, value in row.items() if name != "row_key"} == {
        "country": "GB",
        "opened_month": opened.strftime("%Y-%m"),
        "closed_month": "",
        "stage": "crisis",
        "closure_reason": "",
        "sex": "unknown",
        "age_band_at_opening": band,
        "age_band_at_exploitation": "24-26",
        "minor_at_exploitation": "adult",
        "citizenship": "GB",
        "trafficking_status": "possible",
        "exploitation_types": "",
        "removed_from_exploitation": "no",
        "support_received": "no",
        "police_engagement_highest": "",
        "police_engagement_current": "",
        "nrm_status": "",
        "nrm_reasonable_grounds": "",
        "nrm_conclusive_grounds": "",
        "repatriated": "no",
        "retrafficked": "no",
        "arrests": "0",
        "prosecutions": "0",
        "convictions": "0",
    }


def test_a_follow_up_that_reached_the_survivor_is_support_and_one_that_did_not_is_not(world):
    factories.FollowUpFactory(case=world["case"], outcome=cw.FollowUpOutcome.NOT_REACHED)
    assert rows_of(extract())[0]["support_received"] == "no"

    factories.FollowUpFactory(case=world["case"], outcome=cw.FollowUpOutcome.REACHED)
    assert rows_of(extract())[0]["support_received"] == "yes"


def test_a_closed_case_gives_its_month_and_reason(world):
    opened = date(2022, 1, 10)
    factories.CaseFactory(
        team=world["met"],
        opened_on=opened,
        stage=cw.Stage.CLOSED,
        closed_on=date(2022, 6, 3),
        closure_reason=cw.ClosureReason.GRADUATED,
    )

    row = next(row for row in rows_of(extract()) if row["opened_month"] == "2022-01")

    assert (row["stage"], row["closed_month"], row["closure_reason"]) == ("closed", "2022-06", "graduated")


def test_only_cases_open_at_some_time_in_the_period(world):
    factories.CaseFactory(
        team=world["met"],
        opened_on=date(2021, 3, 1),
        stage=cw.Stage.CLOSED,
        closed_on=date(2021, 8, 31),
        closure_reason=cw.ClosureReason.GRADUATED,
    )  # closed before 21/22 H1
    factories.CaseFactory(team=world["met"], opened_on=date(2021, 3, 1))  # still open during it
    factories.CaseFactory(team=world["met"], opened_on=date(2022, 3, 1))  # opened after it

    rows = rows_of(extract(ReportPeriod("21/22 H1", date(2021, 9, 1), date(2022, 2, 28))))

    assert [(row["opened_month"], row["closed_month"]) for row in rows] == [("2021-03", "")]


def test_a_citizenship_shared_by_fewer_cases_than_the_threshold_is_other(world):
    for _ in range(3):
        factories.CaseFactory(team=world["met"], survivor=factories.SurvivorFactory(citizenships=["AL"]))
    factories.CaseFactory(team=world["met"], survivor=factories.SurvivorFactory(citizenships=["VN"]))
    factories.CaseFactory(team=world["met"], survivor=factories.SurvivorFactory(citizenships=[]))

    citizenships = sorted(row["citizenship"] for row in rows_of(extract(threshold=3)))

    assert citizenships == ["AL", "AL", "AL", "other", "other", "unknown"]  # the world's GB case is the second "other"


# ---- anonymity -----------------------------------------------------------------------------------


def test_nothing_identifying_is_in_the_extract(world, me_client):
    survivor = factories.SurvivorFactory(case_reference="SV-ZX7QW3", citizenships=["RO"])
    identity = factories.SurvivorIdentityFactory(
        survivor=survivor,
        legal_name="Ioana Marinescu",
        aliases="Ioana M.\nNina",
        date_of_birth=date(1998, 4, 17),
        phone="+40 721 555 019",
        email="ioana.m@example.ro",
        address="Strada Florilor 12, Iasi",
        safe_contact_notes="Call after 6pm on the second phone",
    )
    factories.IdentityDocumentFactory(survivor=survivor, number="RX4471902")
    navigator = make_user("dragos.navigator", team=world["met"])
    navigator.first_name, navigator.last_name = "Dragos", "Ionescu"
    navigator.save()
    case = factories.CaseFactory(survivor=survivor, team=world["met"], opened_on=TODAY - timedelta(days=40))
    factories.CaseAssignmentFactory(case=case, navigator=navigator)
    factories.FollowUpFactory(case=case, notes="Met her at the Leeds safe house, worried about Vasile")
    factories.ConsentRecordFactory(survivor=survivor, notes="Consent taken with an interpreter")
    with connection.cursor() as cursor:  # the values as stored: ciphertext
        cursor.execute(
            "SELECT legal_name, aliases, date_of_birth, phone, email, address, safe_contact_notes"
            " FROM survivors_survivoridentity WHERE id = %s",
            [identity.pk],
        )
        stored = [value for value in cursor.fetchone() if value]

    _, body = download(me_client)

    plain = [
        "Ioana",
        "Marinescu",
        "Nina",
        "1998-04-17",
        "17/04/1998",
        "721 555",
        "ioana.m@example.ro",
        "Florilor",
        "Iasi",
        "second phone",
        "RX4471902",
        "SV-ZX7QW3",
        world["case"].survivor.case_reference,
        "Dragos",
        "Ionescu",
        "dragos.navigator",
        "Leeds",
        "Vasile",
        "interpreter",
        "Metropolitan",
        "Surrey",
        "Bucharest",
    ]
    assert [value for value in plain + stored if value.lower() in body.lower()] == []
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "a full date in the extract"
    assert len(rows_of(body)) == 2


def test_no_column_holds_a_database_id(world):
    cases = cases_of_one_month(world["met"], 3, TODAY - timedelta(days=10))
    ids = {str(case.pk) for case in cases} | {str(case.survivor_id) for case in cases}
    counts = {"arrests", "prosecutions", "convictions", "police_engagement_highest", "police_engagement_current"}

    rows = rows_of(extract())

    assert [
        (row["row_key"], name) for row in rows for name, value in row.items() if name not in counts and value in ids
    ] == []


def test_row_keys_change_with_every_extract_and_the_rows_do_not(world):
    cases_of_one_month(world["met"], 5, TODAY - timedelta(days=10))

    first, second = rows_of(extract()), rows_of(extract())

    assert {row["row_key"] for row in first}.isdisjoint(row["row_key"] for row in second)
    assert len({row["row_key"] for row in first}) == 6

    def content(rows):
        return sorted(tuple(value for name, value in row.items() if name != "row_key") for row in rows)

    assert content(first) == content(second)


def test_the_row_key_is_an_hmac_of_the_case_with_the_extract_s_own_key(world, monkeypatch):
    key = b"k" * 32
    monkeypatch.setattr(case_extract, "new_row_key", lambda: key)

    (row,) = rows_of(extract())

    assert row["row_key"] == hmac.digest(key, world["case"].pk.to_bytes(8, "big"), "sha256").hex()[:16]


def test_rows_are_not_in_the_order_of_the_cases(world, monkeypatch):
    # In case order, a row's position would link it to the same case in another extract.
    key = b"k" * 32
    monkeypatch.setattr(case_extract, "new_row_key", lambda: key)
    cases = cases_of_one_month(world["met"], 30, world["case"].opened_on)
    key_of = {
        hmac.digest(key, case.pk.to_bytes(8, "big"), "sha256").hex()[:16]: case.pk for case in cases + [world["case"]]
    }

    order = [key_of[row["row_key"]] for row in rows_of(extract())]

    assert sorted(order) == sorted(key_of.values())
    assert order not in (sorted(order), sorted(order, reverse=True))  # 2 chances in 31! that random order is either


# ---- who may download it, and the access trail ---------------------------------------------------


@pytest.mark.parametrize("who", ["assigned", "lead", "other_lead", "admin", "dpl"])
def test_everyone_but_m_and_e_is_refused(world, client, who):
    person = make_user("dpl", role=RoleGrant.Role.DATA_PROTECTION_LEAD) if who == "dpl" else world[who]
    client.force_login(person)

    assert client.get(URL).status_code == 403
    assert client.post(URL, ALL_DATES).status_code == 403
    assert not AccessRecord.objects.exists()


def test_signing_in_comes_first(world, client):
    response = client.post(URL, ALL_DATES)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_m_and_e_see_the_page_with_the_columns(world, me_client):
    response = me_client.get(URL)

    assert response.status_code == 200
    assert [column.name for column in response.context["columns"]] == COLUMNS
    assert not AccessRecord.objects.exists()  # looking at the page exports nothing


def test_each_download_is_one_access_record_naming_no_one(world, me_client):
    response, body = download(me_client, {"period": "21/22 H1"})

    record = AccessRecord.objects.get()
    assert (record.user, record.action, record.survivor, record.case) == (
        world["me"],
        AccessRecord.Action.EXPORTED,
        None,
        None,
    )
    assert record.subject == "anonymised case extract 21/22 H1 (csv)"
    assert response["Content-Disposition"] == 'attachment; filename="cases-21-22-H1.csv"'

    download(me_client)
    assert AccessRecord.objects.count() == 2


def test_a_form_with_errors_downloads_nothing(world, me_client):
    response = me_client.post(URL, {"period": "not a period"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AccessRecord.objects.exists()


# ---- cost and streaming --------------------------------------------------------------------------


def queries_to_download(client) -> tuple[int, int]:
    """(queries, rows) of one download."""
    with CaptureQueriesContext(connection) as queries:
        response, body = download(client)
    assert response.status_code == 200
    return len(queries), len(rows_of(body))


def test_the_query_count_does_not_grow_with_the_cases(world, me_client):
    cases_of_one_month(world["met"], 4, TODAY - timedelta(days=10))
    five = queries_to_download(me_client)
    cases_of_one_month(world["met"], 45, TODAY - timedelta(days=10))
    fifty = queries_to_download(me_client)

    # The session, the user, their M&E role (3); the access record in its savepoint with its link in the
    # audit chain: savepoint, insert, lock, the chain's last link, insert, release (6); the extract in its
    # transaction: savepoint, DECLARE of the server-side cursor, release (3). Its FETCHes are psycopg's own.
    assert (five[1], fifty[1]) == (5, 50)
    assert five[0] == fifty[0] == 12


def test_the_download_is_a_streaming_response(world, me_client):
    response = me_client.post(URL, ALL_DATES)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    b"".join(response.streaming_content)


def open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
        return cursor.fetchone()[0]


def test_rows_are_sent_before_the_cursor_is_read_to_the_end(world):
    cases_of_one_month(world["met"], 4, TODAY - timedelta(days=10))
    chunks = case_extract_csv(EVERYTHING, chunk_size=2)

    first = next(chunks)

    assert first.splitlines()[0] == ",".join(COLUMNS)
    assert len(first.splitlines()) == 1 + 2  # the header and the first two rows of five
    assert open_cursors() == 1  # the server-side cursor still holds the rest
    assert sum(len(chunk.splitlines()) for chunk in chunks) == 3
    assert open_cursors() == 0


def test_a_download_stopped_early_closes_its_cursor(world):
    cases_of_one_month(world["met"], 4, TODAY - timedelta(days=10))
    chunks = case_extract_csv(EVERYTHING, chunk_size=2)
    next(chunks)

    chunks.close()  # what the response does when the client goes away

    assert open_cursors() == 0


def test_no_case_gives_the_header_alone(db):
    assert extract() == ",".join(COLUMNS) + "\n"
