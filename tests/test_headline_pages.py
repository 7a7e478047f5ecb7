"""M&E's headline pages, publishing and restatement, and the headline_report command."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navigators import services
from navigators.models import RoleGrant
from reporting.headline import period_for_label
from reporting.models import PublishedReport
from reporting.publishing import period_publish, restatement
from tests import factories as f

H1 = period_for_label("21/22 H1")
PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def me(db):
    user = f.UserFactory(username="me.test")
    services.role_grant(acting_user=None, user=user, role=RoleGrant.Role.MONITORING_EVALUATION)
    return user


@pytest.fixture
def gb_team(db):
    return f.TeamFactory(country=f.CountryFactory(code="GB"))


def cared_for(team, *days):
    case = f.CaseFactory(team=team, opened_on=date(2020, 1, 6))
    for day in days:
        f.FollowUpFactory(case=case, occurred_on=day)
    return case


def test_the_table_shows_each_countrys_figures_the_total_and_growth(client, me, gb_team):
    cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    cared_for(gb_team, date(2020, 10, 1), date(2020, 11, 1))  # 20/21 H1: the comparator is 1 / 2
    client.force_login(me)

    page = client.get(reverse("reporting:headline"), {"period": "21/22 H1"}).content.decode()

    assert "Headline indicators 21/22 H1" in page
    assert "Growth on 20/21 HY average" in page
    assert "↑</span> 100%" in page  # 1 on 0.5
    assert "To date (28 Feb 2022)" in page
    assert ">UK</th>" in page
    assert ">GB</th>" not in page


def test_a_half_given_range_is_refused_with_the_typed_dates_kept(client, me):
    client.force_login(me)
    page = client.get(reverse("reporting:headline"), {"start": "2021-10-01"}).content.decode()
    assert "A date range needs both its first and its last day." in page
    assert 'value="2021-10-01"' in page
    assert "Outcomes" not in page


def test_the_headline_page_costs_the_same_queries_for_few_and_many_records(client, me, gb_team):
    client.force_login(me)
    cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:headline"), {"period": "21/22 H1"})
    for _ in range(30):
        cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reporting:headline"), {"period": "21/22 H1"})
    assert len(few) == len(many)


def test_trends_show_every_indicator_over_ten_half_years(client, me):
    client.force_login(me)
    page = client.get(reverse("reporting:trends")).content.decode()
    assert page.count("<figure") == 9
    assert page.count('class="bar"') == 90


def test_publishing_freezes_the_table_and_a_backdated_entry_shows_as_a_restatement(client, me, gb_team):
    cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    client.force_login(me)
    response = client.post(
        reverse("reporting:publish"), {"start": "2021-09-01", "end": "2022-02-28", "notes": "Board report"}
    )
    published = PublishedReport.objects.get()
    assert response["Location"] == reverse("reporting:published_detail", args=[published.pk])
    assert published.table["indicators"][1]["direct_total"] == 1
    assert "unchanged" in client.get(response["Location"]).content.decode()

    late = cared_for(gb_team, date(2021, 12, 1), date(2022, 1, 5))  # typed in after publication

    page = client.get(response["Location"]).content.decode()
    assert "published figures now compute differently" in page
    assert "Survivors cared for · direct work" in page
    assert all(f"Follow-up #{pk}" in page for pk in late.followup_set.values_list("pk", flat=True))
    published.refresh_from_db()
    assert published.table["indicators"][1]["direct_total"] == 1  # the frozen figure never changes
    with pytest.raises(PermissionError):
        published.save()


def test_a_restatement_names_old_and_new_values_and_the_records(me, gb_team):
    cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    published = period_publish(acting_user=me, period=H1)
    case = cared_for(gb_team, date(2021, 12, 1), date(2022, 1, 5))

    result = restatement(published)

    changes = {change.figure: (change.old, change.new) for change in result.figures}
    assert changes["Survivors cared for · direct work"] == (1, 2)
    assert changes["Survivors cared for · GB"] == (1, 2)
    assert {r.record_id for r in result.records if r.kind == "Follow-up"} == set(
        case.followup_set.values_list("pk", flat=True)
    )
    assert result.fingerprint_changed


def test_a_period_is_published_once_and_only_after_it_ends(client, me):
    period_publish(acting_user=me, period=H1)
    with pytest.raises(ValidationError):
        period_publish(acting_user=me, period=H1)
    with pytest.raises(ValidationError):
        period_publish(acting_user=me, period=period_for_label("99/00"))

    client.force_login(me)
    response = client.post(reverse("reporting:publish"), {"start": "2021-09-01", "end": "2022-02-28"}, follow=True)
    assert "already published" in response.content.decode()
    assert PublishedReport.objects.count() == 1


# ---- the command ---------------------------------------------------------------------------------


def test_the_json_interface(gb_team, capsys):
    cared_for(gb_team, date(2021, 10, 1), date(2021, 11, 1))
    call_command("headline_report", "--period", "21/22 H1", "--format", "json")
    report = json.loads(capsys.readouterr().out)

    assert report["period"] == {"label": "21/22 H1", "start": "2021-09-01", "end": "2022-02-28"}
    assert report["comparator"] == {"label": "20/21 HY average", "start": "2020-09-01", "end": "2021-08-31"}
    cared = report["indicators"][1]
    assert set(cared) == {
        "id",
        "label",
        "unit",
        "by_country",
        "direct_total",
        "comparator_value",
        "growth_pct",
        "partners",
        "incl_funded_joint_ops",
    }
    assert (
        cared["id"],
        cared["by_country"]["GB"],
        cared["direct_total"],
        cared["comparator_value"],
        cared["growth_pct"],
    ) == (
        "survivors_cared_for",
        1,
        1,
        0.0,
        None,
    )
    assert report["outcomes"][0]["direct_total"] == {"numerator": 0, "denominator": 1, "pct": 0}


def test_ranges_and_to_date(db, capsys, tmp_path):
    call_command(
        "headline_report",
        "--from",
        "2021-10-01",
        "--to",
        "2021-10-31",
        "--format",
        "json",
        "--output",
        str(tmp_path / "r.json"),
    )
    assert json.loads((tmp_path / "r.json").read_text())["comparator"] is None
    call_command("headline_report", "--to-date", "2022-08-31")
    assert "Headline indicators to date (2022-08-31)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "21/23"], "a financial year spans two consecutive years"),
        (["--period", "2021"], "is not a period like"),
        (["--from", "2021-01-01"], "needs both --from and --to"),
        (["--period", "21/22", "--to-date", "2022-01-01"], "only one of"),
        (["--period", "21/22", "--format", "pdf"], "--format must be one of"),
        (["--to-date", "yesterday"], "is not a date"),
        ([], "say which period"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit:
        call_command("headline_report", *arguments)
    assert exit.value.code == 2
    err = capsys.readouterr()
    assert message in err.err
    assert len(err.err.strip().splitlines()) == 1
    assert err.out == ""


def test_from_a_shell_a_bad_argument_is_one_line_and_status_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "headline_report", "--period", "21/23", "--bogus"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip().splitlines() == ["headline_report: unrecognized arguments: --bogus"]
