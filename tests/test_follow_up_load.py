"""The load benchmark's plumbing (bench/ops/follow_up_load.py): reading wrk's report, the signed-in
sessions it hands to wrk, and the database check after the run. Timings are never asserted."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from bench.ops import follow_up_load as load
from casework import services
from casework.models import FollowUp
from survivors.models import AccessRecord
from tests.factories import TOTP_SECRET

TODAY = timezone.localdate()
PASSWORD = "pw-for-tests-123"

# A real `wrk --latency` report with bench/load/follow_up.lua's line, from a run with failures in it.
WRK_OUTPUT = """\
Running 30s test @ http://127.0.0.1:41235
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   572.64ms  555.33ms   2.69s    86.60%
    Req/Sec    11.54      5.52    29.00     71.79%
  Latency Distribution
     50%  369.41ms
     75%  457.05ms
     90%    1.55s
     99%    2.56s
  4179 requests in 30.04s, 1.64MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    139.11
Transfer/sec:     55.93KB
follow-up answers: 4170 success, 9 other
"""


def test_wrk_report_is_read_with_every_failure_counted():
    result = load.parse_wrk(WRK_OUTPUT)

    assert (result.requests, result.seconds, result.rate) == (4179, 30.04, 139.11)
    assert result.latency_ms == {50: 369.41, 75: 457.05, 90: 1550.0, 99: 2560.0}
    assert (result.p50, result.p99) == (369.41, 2560.0)
    # 9 answers that were not the success answer (4 of them not 2xx or 3xx), and 3 that never came.
    assert (result.success, result.other, result.non_2xx_3xx, result.socket_errors) == (4170, 9, 4, 3)
    assert result.errors == 12


def test_a_wrk_report_in_microseconds_without_failures():
    output = WRK_OUTPUT.replace("369.41ms", "870.00us").replace(
        "  Socket errors: connect 0, read 1, write 0, timeout 2\n", ""
    )
    output = output.replace("  Non-2xx or 3xx responses: 4\n", "").replace(
        "4170 success, 9 other", "4179 success, 0 other"
    )

    result = load.parse_wrk(output)

    assert (result.p50, result.errors) == (0.87, 0)


def test_a_report_without_the_scripts_line_is_refused():
    with pytest.raises(ValueError, match="follow-up answers"):
        load.parse_wrk(WRK_OUTPUT.replace("follow-up answers: 4170 success, 9 other\n", ""))


def test_the_navigators_picked_are_assigned_to_a_case_they_may_change(world):
    assert load.pick_navigators(1) == [(world["assigned"], world["case"])]
    with pytest.raises(RuntimeError, match="only 1 Navigators"):
        load.pick_navigators(2)


@pytest.fixture
def poster(world):
    """The assigned Navigator signed in through the sign-in pages, and the client that did it."""
    return load.sign_in(world["assigned"], world["case"], password=PASSWORD, totp_secret=TOTP_SECRET)


def wrk_like_post(poster, fields):
    """The request wrk sends: the Cookie header and the form's token, from a client that holds nothing else."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1", HTTP_COOKIE=poster[0].cookie)
    return client.generic(
        "POST",
        poster[0].path,
        f"csrfmiddlewaretoken={poster[0].token}&{fields}",
        content_type="application/x-www-form-urlencoded",
    )


def test_the_session_of_a_sign_in_with_password_and_code_logs_a_follow_up(poster, world):
    response = wrk_like_post(poster, load.follow_up_fields(TODAY))

    assert (response.status_code, response["Location"]) == (302, f"/cases/{world['case'].pk}/")
    follow_up = FollowUp.objects.get(case=world["case"])
    assert (follow_up.mode, follow_up.purposes, follow_up.next_due_on) == (
        "phone",
        ["emotional_support", "safety_check"],
        TODAY + timedelta(days=14),
    )
    assert follow_up.history.get().history_user == world["assigned"]


def test_without_the_forms_token_the_post_is_refused(poster, world):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1", HTTP_COOKIE=poster[0].cookie)

    response = client.post(poster[0].path, {"occurred_on": TODAY.isoformat(), "mode": "phone", "outcome": "reached"})

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_a_wrong_authenticator_code_gives_no_session(world):
    other_secret = "OTHERSECRETOTHERSECRETOTHERSECR2"

    with pytest.raises(RuntimeError, match="authenticator code was not accepted"):
        load.sign_in(world["assigned"], world["case"], password=PASSWORD, totp_secret=other_secret)


def test_signing_out_ends_the_sessions(poster):
    assert Session.objects.count() == 1

    load.sign_out([poster])

    assert Session.objects.count() == 0


def test_the_database_check_counts_what_each_request_wrote(poster, world):
    since = load.last_follow_up_id()
    before = load.written([poster[0]], since_id=since)
    for _ in range(3):
        assert wrk_like_post(poster, load.follow_up_fields(TODAY)).status_code == 302
    services.follow_up_log(acting_user=world["lead"], case=world["case"], occurred_on=TODAY, mode="phone")

    after = load.written([poster[0]], since_id=since)

    # The country lead's follow-up on the same case is not one of the Navigator's requests.
    assert (len(before.follow_up_ids), len(after.follow_up_ids)) == (0, 3)
    assert after.history_rows - before.history_rows == 3
    assert after.access_records == before.access_records


def test_history_rows_must_be_by_the_navigator_who_posted(poster, world):
    since = load.last_follow_up_id()
    wrk_like_post(poster, load.follow_up_fields(TODAY))
    FollowUp.history.update(history_user=world["lead"])

    assert load.written([poster[0]], since_id=since).history_rows == 0


def check(success, *, made, history, access=0):
    result = load.parse_wrk(WRK_OUTPUT.replace("4170 success", f"{success} success"))
    before = load.Written(follow_up_ids=[], history_rows=0, access_records=10)
    after = load.Written(follow_up_ids=list(range(made)), history_rows=history, access_records=10 + access)
    return load.check_written(result, before, after, connections=8)


def test_one_follow_up_and_one_history_row_per_success_passes():
    assert check(100, made=100, history=100) == []


def test_requests_left_in_flight_by_wrk_may_add_one_follow_up_a_connection():
    assert check(100, made=108, history=108) == []
    assert check(100, made=109, history=109) == ["109 follow-ups written for 100 successful requests on 8 connections"]


def test_fewer_follow_ups_than_successes_missing_history_or_an_access_record_are_reported():
    assert check(100, made=99, history=99) == ["99 follow-ups written for 100 successful requests on 8 connections"]
    assert check(100, made=100, history=98) == ["98 history rows for 100 follow-ups"]
    assert check(100, made=100, history=100, access=2) == ["2 access records written by the POSTs"]


def test_the_benchmarks_follow_ups_are_deleted_with_their_history(poster, world):
    since = load.last_follow_up_id()
    wrk_like_post(poster, load.follow_up_fields(TODAY))
    kept = services.follow_up_log(acting_user=world["assigned"], case=world["case"], occurred_on=TODAY, mode="video")
    made = [pk for pk in load.written([poster[0]], since_id=since).follow_up_ids if pk != kept.pk]

    load.delete_follow_ups(made)

    assert list(FollowUp.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(FollowUp.history.values_list("id", flat=True)) == [kept.pk]
    assert AccessRecord.objects.count() == 0
