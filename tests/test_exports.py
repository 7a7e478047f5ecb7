"""Exports of the headline report (reporting/exports/): the writers, the jobs Celery builds, the M&E
pages, and the access trail's line for each export."""

import csv
import io
import json
from datetime import date
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from dataprotection.services import access_record_export
from navigators.models import RoleGrant
from reporting.breakdowns import Breakdown
from reporting.exports import export_file, jobs, report_csv, report_json, report_xlsx
from reporting.exports.jobs import BreakdownRequest, ExportRequest, export_job_build
from reporting.figures import HeadlineReport, IndicatorRow, OutcomeRow, PartnerValue, Ratio, ReportPeriod
from reporting.models import ExportJob
from reporting.suppression import HIDDEN, CountTable
from reporting.tasks import export_request
from survivors.models import AccessRecord
from tests import factories
from tests.conftest import make_user

PERIOD = ReportPeriod("21/22 H1", date(2021, 9, 1), date(2022, 2, 28))
COMPARATOR = ReportPeriod("20/21 HY average", date(2020, 9, 1), date(2021, 8, 31))


def indicator(id, label, by_country, total, comparator=None, partners=()):
    return IndicatorRow(
        id=id,
        label=label,
        unit="",
        definition="",
        by_country=by_country,
        direct_total=total,
        comparator_value=comparator,
        partners=list(partners),
    )


def sample_report() -> HeadlineReport:
    """21/22 H1 as published (background file 000), with a few outcomes."""
    lift = PartnerValue(partner="LIFT International", country="TH", value=27, funded=False)
    vihaan = PartnerValue(partner="Vihaan", country="IN", value=93, funded=True)
    return HeadlineReport(
        period=PERIOD,
        comparator=COMPARATOR,
        countries=["BD", "GB", "RO"],
        indicators=[
            indicator(
                "victims_removed", "Victims removed from exploitation", {"BD": 49, "GB": 5, "RO": 1}, 55, Fraction(40)
            ),
            indicator(
                "survivors_cared_for",
                "Survivors cared for",
                {"BD": 171, "GB": 130, "RO": 24},
                305,
                Fraction(315),
                [lift, vihaan],
            ),
            indicator(
                "prevention_reached",
                "Vulnerable people receiving prevention education (direct)",
                {"BD": 1393, "GB": 1001, "RO": 0},
                2394,
                Fraction(155),
            ),
            indicator("exploiters_convicted", "Exploiters convicted", {"BD": 6, "GB": 11, "RO": 0}, 17, Fraction(1)),
            indicator(
                "survivors_graduated",
                "Survivors rehabilitated (graduated)",
                {"BD": 19, "GB": 0, "RO": 0},
                19,
                Fraction(0),
            ),
        ],
        outcomes=[
            OutcomeRow(
                id="police_engaged",
                label="Survivors engaging with police",
                definition="",
                by_country={"BD": Ratio(150, 171), "GB": Ratio(122, 130), "RO": Ratio(7, 8)},
                direct_total=Ratio(279, 305),
            ),
            OutcomeRow(
                id="follow_ups",
                label="Follow-ups conducted",
                definition="",
                by_country={"BD": Ratio(1842, None), "GB": Ratio(400, None), "RO": Ratio(3, None)},
                direct_total=Ratio(2245, None),
            ),
        ],
    )


def sample_breakdown() -> Breakdown:
    counts = CountTable(
        row_labels=[("feminine", "9-17"), ("feminine", "18-20"), ("masculine", "18-20")],
        column_labels=["BD", "GB", "RO"],
        cells=[[40, 12, 0], [30, 20, 4], [50, 25, 15]],
        row_totals=[52, 54, 90],
        column_totals=[120, 57, 19],
        grand_total=196,
    )
    return Breakdown(indicator="survivors_cared_for", period=PERIOD, dimensions=("sex", "age_band"), counts=counts)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def cell(rows, section, indicator, column, field="value", **categories):
    matches = [
        r
        for r in rows
        if (r["section"], r["indicator"], r["column"]) == (section, indicator, column)
        and all(r[name] == value for name, value in categories.items())
    ]
    assert len(matches) == 1, (section, indicator, column, categories)
    return matches[0][field]


# ---- CSV -----------------------------------------------------------------------------------------


def test_csv_one_row_per_indicator_and_column_with_iso_codes_and_no_thousands_separators():
    rows = csv_rows(report_csv(sample_report()))

    assert cell(rows, "indicator", "prevention_reached", "direct") == "2394"
    assert cell(rows, "indicator", "survivors_cared_for", "GB") == "130"
    assert {r["column"] for r in rows if r["section"] == "indicator"} >= {
        "BD",
        "GB",
        "RO",
        "direct",
        "incl_funded_joint_ops",
    }
    text = report_csv(sample_report())
    assert "2,394" not in text
    assert "UK" not in text


def test_csv_comparator_growth_partners_and_incl_funded_joint_ops():
    rows = csv_rows(report_csv(sample_report()))

    assert cell(rows, "indicator", "exploiters_convicted", "growth_pct") == "1600"
    assert cell(rows, "indicator", "survivors_cared_for", "growth_pct") == "-3"
    assert cell(rows, "indicator", "survivors_graduated", "growth_pct") == "new"
    assert cell(rows, "indicator", "survivors_cared_for", "comparator") == "315"
    assert cell(rows, "indicator", "survivors_cared_for", "partner:LIFT International") == "27"
    assert cell(rows, "indicator", "survivors_cared_for", "partner_funded:LIFT International") == "false"
    assert cell(rows, "indicator", "survivors_cared_for", "incl_funded_joint_ops") == "398"


def test_csv_outcomes_have_numerator_denominator_and_pct():
    rows = csv_rows(report_csv(sample_report()))

    assert [cell(rows, "outcome", "police_engaged", "GB", field) for field in ("numerator", "denominator", "pct")] == [
        "122",
        "130",
        "94",
    ]
    assert [cell(rows, "outcome", "follow_ups", "direct", field) for field in ("numerator", "denominator", "pct")] == [
        "2245",
        "",
        "",
    ]


def test_csv_notes_name_the_period_comparator_and_rules_but_no_threshold_when_nothing_is_suppressed():
    rows = csv_rows(report_csv(sample_report()))
    notes = {r["indicator"]: r["value"] for r in rows if r["section"] == "note"}

    assert notes["period"] == "21/22 H1"
    assert notes["period_start"] == "2021-09-01"
    assert notes["comparator"] == "20/21 HY average"
    assert notes["rules_version"] == sample_report().rules_version
    assert "suppression_threshold" not in notes


def test_csv_suppressed_headline_prints_the_threshold_and_hides_small_numbers():
    rows = csv_rows(report_csv(sample_report(), suppress=True, threshold=10))

    assert cell(rows, "note", "suppression_threshold", "") == "10"
    assert cell(rows, "indicator", "exploiters_convicted", "BD") == "<10"
    # BD 6 hidden; 17 − 11 would give it away, so the GB 11 goes too.
    assert cell(rows, "indicator", "exploiters_convicted", "GB") == HIDDEN
    assert cell(rows, "indicator", "exploiters_convicted", "direct") == "17"
    assert cell(rows, "indicator", "exploiters_convicted", "growth_pct") == HIDDEN  # comparator 1 < 10
    assert [cell(rows, "outcome", "police_engaged", "RO", f) for f in ("numerator", "denominator", "pct")] == [
        "<10",
        "<10",
        HIDDEN,
    ]


def test_csv_breakdown_rows_are_suppressed_with_categories_and_totals():
    rows = csv_rows(report_csv(sample_report(), breakdowns=[sample_breakdown()], threshold=10))

    assert cell(rows, "breakdown", "survivors_cared_for", "RO", sex="feminine", age_band="18-20") == "<10"
    assert cell(rows, "breakdown", "survivors_cared_for", "RO", sex="masculine", age_band="18-20") == HIDDEN
    assert cell(rows, "breakdown", "survivors_cared_for", "direct", sex="all", age_band="all") == "196"
    assert cell(rows, "note", "suppression_threshold", "") == "10"
    assert cell(rows, "indicator", "exploiters_convicted", "BD") == "6"  # the headline stays exact


# ---- JSON ----------------------------------------------------------------------------------------


def test_json_is_the_reports_own_dict():
    report = sample_report()

    assert json.loads(report_json(report)) == json.loads(json.dumps(report.as_dict()))


def test_json_with_a_breakdown_adds_it_and_the_threshold():
    data = json.loads(report_json(sample_report(), breakdowns=[sample_breakdown()], threshold=10))

    assert data["suppression"] == {"threshold": 10, "headline": False, "small": "<10", "hidden": HIDDEN}
    assert data["breakdowns"][0]["rows"][1] == {
        "categories": {"sex": "feminine", "age_band": "18-20"},
        "by_country": {"BD": HIDDEN, "GB": HIDDEN, "RO": "<10"},
        "direct": 54,
    }


def test_json_suppressed_headline_keeps_the_shape():
    data = json.loads(report_json(sample_report(), suppress=True, threshold=10))
    convicted = next(row for row in data["indicators"] if row["id"] == "exploiters_convicted")

    assert convicted["by_country"] == {"BD": "<10", "GB": HIDDEN, "RO": 0}
    assert convicted["comparator_value"] == "<10"


# ---- XLSX ----------------------------------------------------------------------------------------


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_opens_with_a_sheet_per_view():
    book = workbook(report_xlsx(sample_report(), breakdowns=[sample_breakdown()], threshold=10))

    assert book.sheetnames == ["Headline", "Outcomes", "1 survivors cared for", "Notes"]


def test_xlsx_headline_is_laid_out_like_the_published_table():
    sheet = workbook(report_xlsx(sample_report()))["Headline"]
    rows = sheet_rows(sheet)

    header = rows[2]
    assert header == [
        None,
        "Bangladesh",
        "UK",
        "Romania",
        "Direct work",
        "Growth on 20/21 HY average",
        "LIFT International",
        "Vihaan",
        "Incl. funded joint ops",
    ]
    assert all(sheet.cell(row=3, column=c).font.bold for c in range(2, 10))
    labels = [row[0] for row in rows]
    assert (
        labels.index("Saving lives:")
        < labels.index("Survivors cared for")
        < labels.index("Prosecuting criminals:")
        < labels.index("Exploiters convicted")
    )
    assert labels.index("Survivors rehabilitated (graduated)") < labels.index("Prosecuting criminals:")


def test_xlsx_numbers_have_thousands_separators_and_growth_arrows():
    sheet = workbook(report_xlsx(sample_report()))["Headline"]
    line = next(
        r for r in range(1, sheet.max_row + 1) if str(sheet.cell(row=r, column=1).value).startswith("Vulnerable")
    )

    direct, growth = sheet.cell(row=line, column=5), sheet.cell(row=line, column=6)
    assert (direct.value, direct.number_format) == (2394, "#,##0")
    assert growth.value == 1444
    assert "↑" in growth.number_format
    assert "↓" in growth.number_format
    assert sheet.cell(row=line, column=9).value == 2394  # LIFT not funded: not in the funded total


def test_xlsx_outcomes_sheet_has_numerator_denominator_and_percent():
    rows = sheet_rows(workbook(report_xlsx(sample_report()))["Outcomes"])

    assert rows[2][:5] == ["Outcome", "Bangladesh", None, None, "UK"]
    assert rows[3][1:4] == ["Numerator", "Denominator", "%"]
    engaged = next(row for row in rows if row[0] == "Survivors engaging with police")
    assert engaged[4:7] == [122, 130, 94]


def test_xlsx_breakdown_sheet_is_suppressed_and_labelled_for_people():
    rows = sheet_rows(
        workbook(report_xlsx(sample_report(), breakdowns=[sample_breakdown()], threshold=10))["1 survivors cared for"]
    )

    assert rows[3] == ["Sex", "Age band at exploitation", "Bangladesh", "UK", "Romania", "Direct work"]
    assert rows[5] == ["Feminine", "18–20", HIDDEN, HIDDEN, "<10", 54]
    assert rows[7][0] == "Total"
    assert rows[7][-1] == 196


def test_xlsx_notes_print_the_threshold_only_where_suppression_applies():
    plain = {row[0]: row[1] for row in sheet_rows(workbook(report_xlsx(sample_report()))["Notes"]) if row[0]}
    suppressed = {
        row[0]: row[1]
        for row in sheet_rows(workbook(report_xlsx(sample_report(), suppress=True, threshold=10))["Notes"])
        if row[0]
    }

    assert plain["Period"] == "21/22 H1"
    assert plain["Comparator"] == "20/21 HY average"
    assert plain["Counting rules version"] == sample_report().rules_version
    assert "Suppression threshold" not in plain
    assert suppressed["Suppression threshold"] == 10


def test_export_file_names_and_types():
    built = export_file(sample_report(), "csv", name="headline-21-22-H1")

    assert (built.filename, built.content_type) == ("headline-21-22-H1.csv", "text/csv; charset=utf-8")
    assert isinstance(built.content, bytes)


# ---- the access trail ----------------------------------------------------------------------------


def test_an_export_record_names_its_subject_and_no_survivor(db):
    user = factories.UserFactory()

    record = access_record_export(user=user, subject="headline report 21/22 H1 (xlsx)")

    assert (record.survivor, record.subject, record.action) == (None, "headline report 21/22 H1 (xlsx)", "exported")


def test_a_record_names_a_survivor_or_a_subject(db):
    with pytest.raises(ValueError):
        access_record_export(user=factories.UserFactory(), subject=" ")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRecord.objects.create(user=factories.UserFactory(), action="exported")


def test_an_export_record_stays_append_only(db):
    record = access_record_export(user=factories.UserFactory(), subject="headline report 21/22 (csv)")

    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=record.pk).delete()


def test_a_users_access_trail_shows_the_export_subject(client, world):
    access_record_export(user=world["me"], subject="headline report 21/22 H1 (xlsx) #1 requested")
    client.force_login(world["admin"])

    response = client.get(reverse("survivors:user_access_trail", args=[world["me"].pk]))

    assert "headline report 21/22 H1 (xlsx) #1 requested" in response.content.decode()


# ---- jobs ----------------------------------------------------------------------------------------


@pytest.fixture
def me(db):
    return make_user("me.exports", role=RoleGrant.Role.MONITORING_EVALUATION)


@pytest.fixture
def built_from_sample(monkeypatch):
    """The job builds from the sample report (the real headline is tested in tests/test_indicators.py)."""
    monkeypatch.setattr("reporting.headline.headline_report", lambda period, **kwargs: sample_report())


def ask(user, fmt="xlsx", breakdowns=(), suppress=False):
    return export_request(acting_user=user, export=ExportRequest(PERIOD, fmt, suppress, tuple(breakdowns)))


def test_asking_records_the_job_and_one_access_record_and_queues_the_build_on_commit(
    me, built_from_sample, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = ask(me)

    assert (job.status, job.progress, job.requested_by) == ("queued", 0, me)
    assert job.parameters["period"] == PERIOD.as_dict()
    assert job.parameters["threshold"] == 10
    record = AccessRecord.objects.get()
    assert (record.user, record.survivor, record.subject) == (
        me,
        None,
        f"headline report 21/22 H1 (xlsx) #{job.pk} requested",
    )
    assert len(queued) == 1


def test_the_task_builds_the_file(me, built_from_sample, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = ask(me, "csv")

    job.refresh_from_db()
    assert (job.status, job.progress, job.filename, job.content_type) == (
        "done",
        100,
        "headline-21-22-H1.csv",
        "text/csv; charset=utf-8",
    )
    assert bytes(job.content).decode() == report_csv(sample_report())
    assert job.finished_at is not None


def test_the_task_builds_the_breakdowns(me, built_from_sample, monkeypatch):
    monkeypatch.setattr(jobs, "survivor_breakdown", lambda *args, **kwargs: sample_breakdown())
    job = ask(me, "xlsx", [BreakdownRequest("survivors_cared_for", ("sex", "age_band"))])

    export_job_build(job.pk)

    job.refresh_from_db()
    assert workbook(bytes(job.content)).sheetnames == ["Headline", "Outcomes", "1 survivors cared for", "Notes"]


def test_running_the_task_twice_changes_nothing_the_second_time(me, built_from_sample):
    job = ask(me, "json")
    export_job_build(job.pk)
    before = ExportJob.objects.values().get(pk=job.pk), AccessRecord.objects.count()

    assert export_job_build(job.pk) == "done"

    assert (ExportJob.objects.values().get(pk=job.pk), AccessRecord.objects.count()) == before


def test_a_failed_build_says_so_and_is_not_retried(me, monkeypatch):
    def broken(period, **kwargs):
        raise ValueError("the period has no data")

    monkeypatch.setattr("reporting.headline.headline_report", broken)
    job = ask(me)

    assert export_job_build(job.pk) == "failed"

    job.refresh_from_db()
    assert (job.status, job.content) == ("failed", None)
    assert "the period has no data" in job.error
    assert export_job_build(job.pk) == "failed"


def test_progress_is_saved_as_the_build_goes(me, built_from_sample, monkeypatch):
    seen = []

    def breakdown(*args, **kwargs):
        seen.append(ExportJob.objects.values_list("status", "progress").get())
        return sample_breakdown()

    monkeypatch.setattr(jobs, "survivor_breakdown", breakdown)
    job = ask(
        me, "csv", [BreakdownRequest("survivors_cared_for", ("sex",)), BreakdownRequest("victims_removed", ("minor",))]
    )

    export_job_build(job.pk)

    assert seen == [("running", 40), ("running", 62)]


def test_the_real_headline_and_breakdown_build_end_to_end(me, monkeypatch):
    team = factories.TeamFactory(country=factories.CountryFactory(code="GB"))
    survivor = factories.SurvivorFactory(gender="feminine", age_at_exploitation=19)
    case = factories.CaseFactory(survivor=survivor, team=team, opened_on=date(2021, 9, 1))
    for day in (date(2021, 9, 10), date(2021, 10, 10)):
        factories.FollowUpFactory(case=case, occurred_on=day)
    job = ask(me, "json", [BreakdownRequest("survivors_cared_for", ("sex", "age_band"))])

    assert export_job_build(job.pk) == "done"

    job.refresh_from_db()
    data = json.loads(bytes(job.content))
    assert next(row for row in data["indicators"] if row["id"] == "survivors_cared_for")["by_country"]["GB"] == 1
    assert data["breakdowns"][0]["rows"] == [
        {"categories": {"sex": "feminine", "age_band": "18-20"}, "by_country": {"GB": "<10"}, "direct": "<10"},
    ]


# ---- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def navigator_user(db):
    return make_user("navigator.exports")


def test_the_export_page_is_for_me_only(client, me, navigator_user):
    client.force_login(navigator_user)
    assert client.get(reverse("reporting:export_new")).status_code == 403
    client.force_login(me)
    assert client.get(reverse("reporting:export_new")).status_code == 200


def test_signing_in_first(client):
    response = client.get(reverse("reporting:export_new"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_administrators_are_not_me(client, db):
    admin = make_user("admin.exports", role=RoleGrant.Role.ADMINISTRATOR)
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)

    assert client.get(reverse("reporting:export_new")).status_code == 403


def test_asking_for_an_export_redirects_to_its_page(client, me, built_from_sample, django_capture_on_commit_callbacks):
    client.force_login(me)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:export_new"),
            {
                "period": "21/22 H1",
                "format": "csv",
                "indicator": "survivors_cared_for",
                "dimensions": ["age_band", "sex"],
            },
        )

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export_detail", args=[job.pk])
    assert job.parameters["breakdowns"] == [{"indicator": "survivors_cared_for", "dimensions": ["sex", "age_band"]}]
    assert job.status == "done"
    assert (
        AccessRecord.objects.get().subject
        == f"headline report 21/22 H1, breakdown of survivors_cared_for by sex × age_band (csv) #{job.pk} requested"
    )


def test_a_date_range_is_a_period_too(client, me, django_capture_on_commit_callbacks):
    client.force_login(me)

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reporting:export_new"), {"start": "2021-10-01", "end": "2021-12-31", "format": "json"})

    assert ExportJob.objects.get().parameters["period"] == {"label": None, "start": "2021-10-01", "end": "2021-12-31"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"format": "csv"}, "Give a period"),
        ({"period": "21/23", "format": "csv"}, "financial year spans two consecutive years"),
        (
            {
                "period": "21/22",
                "format": "csv",
                "indicator": "survivors_cared_for",
                "dimensions": ["sex", "age_band", "citizenship", "exploitation_type"],
            },
            "at most three",
        ),
        ({"period": "21/22", "format": "csv", "indicator": "survivors_cared_for"}, "what to break"),
        ({"period": "21/22", "format": "csv", "dimensions": ["sex"]}, "indicator to break down"),
    ],
)
def test_a_wrong_request_makes_no_job(client, me, data, error):
    client.force_login(me)

    response = client.post(reverse("reporting:export_new"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ExportJob.objects.exists()
    assert not AccessRecord.objects.exists()


def test_the_job_page_polls_until_the_file_is_ready(client, me):
    job = ask(me)
    client.force_login(me)

    page = client.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()
    fragment = client.get(reverse("reporting:export_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 2s"' in page
    assert "Queued: 0%" in page
    assert 'id="export-progress"' in fragment
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_a_finished_job_shows_the_download_link_and_stops_polling(client, me, built_from_sample):
    job = ask(me, "csv")
    export_job_build(job.pk)
    client.force_login(me)

    fragment = client.get(reverse("reporting:export_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert reverse("reporting:export_download", args=[job.pk]) in fragment
    assert "hx-trigger" not in fragment


def test_the_requester_downloads_the_file_and_each_download_is_recorded(client, me, built_from_sample):
    job = ask(me, "csv")
    export_job_build(job.pk)
    client.force_login(me)

    response = client.get(reverse("reporting:export_download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="headline-21-22-H1.csv"'
    assert response.content.decode() == report_csv(sample_report())
    assert list(AccessRecord.objects.order_by("id").values_list("subject", flat=True)) == [
        f"headline report 21/22 H1 (csv) #{job.pk} requested",
        f"headline report 21/22 H1 (csv) #{job.pk} downloaded",
    ]


def test_only_the_requester_sees_or_downloads_a_job(client, me, built_from_sample):
    job = ask(me, "csv")
    export_job_build(job.pk)
    other = make_user("other.me", role=RoleGrant.Role.MONITORING_EVALUATION)
    client.force_login(other)

    assert client.get(reverse("reporting:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404
    assert AccessRecord.objects.count() == 1  # the request only


def test_no_download_before_the_file_is_built(client, me):
    job = ask(me)
    client.force_login(me)

    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("jobs_before", [1, 8])
def test_the_list_of_recent_exports_costs_the_same_whatever_its_length(
    client, me, jobs_before, django_assert_num_queries
):
    for _ in range(jobs_before):
        ask(me)
    client.force_login(me)

    # session, user, the M&E check, the navigation's roles, the jobs
    with django_assert_num_queries(5):
        response = client.get(reverse("reporting:export_new"))

    assert response.status_code == 200
