"""Breakdowns of a survivor indicator (reporting/breakdowns.py): each dimension, a three-way cross, the
de-duplicated direct-work total, one query whatever the number of survivors, more than three refused.

Most tests take "a case of the team opened in the period" (SUBJECTS below) as the survivors behind the
indicator, so that each reads as its own data; the last uses the real survivors_cared_for.
"""

from datetime import date

import pytest

from reporting import breakdowns
from reporting.breakdowns import survivor_breakdown
from reporting.figures import ReportPeriod
from reporting.suppression import HIDDEN
from tests import factories

REAL_SUBJECTS = breakdowns.indicator_subjects_sql
PERIOD = ReportPeriod("21/22 H1", date(2021, 9, 1), date(2022, 2, 28))
IN_PERIOD = date(2021, 10, 1)
SUBJECTS = """
    SELECT t.country_id, c.survivor_id FROM casework_case c JOIN navigators_team t ON t.id = c.team_id
    WHERE c.opened_on BETWEEN %(start)s AND %(end)s
"""


@pytest.fixture(autouse=True)
def subjects(monkeypatch):
    monkeypatch.setattr(
        breakdowns,
        "indicator_subjects_sql",
        lambda indicator_id, period: (SUBJECTS, {"start": period.start, "end": period.end}),
    )


@pytest.fixture
def teams(db):
    return {code: factories.TeamFactory(country=factories.CountryFactory(code=code)) for code in ("BD", "GB", "RO")}


@pytest.fixture
def survivor_in(teams):
    def make(*countries, opened_on=IN_PERIOD, exploitations=(), **details):
        survivor = factories.SurvivorFactory(**details)
        for kind in exploitations:
            factories.SurvivorExploitationFactory(
                survivor=survivor, type=kind, industry="F" if kind == "forced_labour" else ""
            )
        for country in countries:
            factories.CaseFactory(survivor=survivor, team=teams[country], opened_on=opened_on)
        return survivor

    return make


def rows(result):
    """{row: ([BD, GB, RO], direct)} of a breakdown's counts."""
    table = result.counts
    return {
        row: (cells, total) for row, cells, total in zip(table.row_labels, table.cells, table.row_totals, strict=True)
    }


def test_by_sex_per_country_with_direct_work_totals(survivor_in):
    survivor_in("GB", gender="feminine")
    survivor_in("GB", gender="feminine")
    survivor_in("RO", gender="masculine")
    survivor_in("GB", gender="masculine", opened_on=date(2022, 3, 1))  # the next half-year

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["sex"])

    assert result.countries == ["BD", "GB", "RO"]
    assert rows(result) == {("feminine",): ([0, 2, 0], 2), ("masculine",): ([0, 0, 1], 1)}
    assert (result.counts.column_totals, result.counts.grand_total) == ([0, 2, 1], 3)


def test_a_survivor_in_two_countries_is_one_in_direct_work(survivor_in):
    survivor_in("GB", "RO", gender="feminine")
    survivor_in("RO", gender="feminine")

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["sex"])

    assert rows(result) == {("feminine",): ([0, 1, 2], 2)}
    assert (result.counts.column_totals, result.counts.grand_total) == ([0, 1, 2], 2)


def test_by_age_band_from_the_age_at_exploitation(survivor_in):
    for age in (8, 9, 17, 18, 20, 21, 26, 29, 30, 47, 48, 70, None):
        survivor_in("BD", age_at_exploitation=age)

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["age_band"])

    assert {row[0]: total for row, (_cells, total) in rows(result).items()} == {
        "0-8": 1,
        "9-17": 2,
        "18-20": 2,
        "21-23": 1,
        "24-26": 1,
        "27-29": 1,
        "30-38": 1,
        "39-47": 1,
        "48+": 2,
        "unknown": 1,
    }
    assert list(rows(result)) == [
        (band,) for band in ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+", "unknown")
    ]
    assert result.row_label(("18-20",)) == ("18–20",)


def test_by_minor_or_adult_at_exploitation(survivor_in):
    for age in (17, 18, None):
        survivor_in("GB", age_at_exploitation=age)

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["minor"])

    assert list(rows(result)) == [("minor",), ("adult",), ("unknown",)]


def test_by_first_citizenship_rare_ones_grouped_as_other(survivor_in):
    for _ in range(3):
        survivor_in("GB", citizenships=["RO", "GB"])
    survivor_in("GB", citizenships=["AL"])
    survivor_in("RO", citizenships=["VN"])
    survivor_in("RO", citizenships=[])

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["citizenship"], threshold=3)

    assert rows(result) == {("RO",): ([0, 3, 0], 3), ("other",): ([0, 1, 1], 2), ("unknown",): ([0, 0, 1], 1)}
    assert result.row_label(("other",)) == ("Other",)


def test_by_exploitation_type_several_types_counted_once(survivor_in):
    survivor_in("GB", exploitations=["sexual"])
    survivor_in("GB", exploitations=["sexual", "forced_labour"])
    survivor_in("GB", exploitations=["criminal", "forced_labour"])
    survivor_in("GB")

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["exploitation_type"])

    assert rows(result) == {("sexual",): ([0, 1, 0], 1), ("several",): ([0, 2, 0], 2), ("unknown",): ([0, 1, 0], 1)}
    assert result.row_label(("several",)) == ("Several types",)


def test_a_three_way_cross(survivor_in):
    survivor_in("GB", gender="feminine", age_at_exploitation=16, exploitations=["sexual"])
    survivor_in("RO", gender="feminine", age_at_exploitation=16, exploitations=["sexual"])
    survivor_in("GB", "RO", gender="feminine", age_at_exploitation=25, exploitations=["sexual"])
    survivor_in("BD", gender="masculine", age_at_exploitation=25, exploitations=["forced_labour"])

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["sex", "age_band", "exploitation_type"])

    assert rows(result) == {
        ("feminine", "9-17", "sexual"): ([0, 1, 1], 2),
        ("feminine", "24-26", "sexual"): ([0, 1, 1], 1),
        ("masculine", "24-26", "forced_labour"): ([1, 0, 0], 1),
    }
    assert result.dimension_labels() == ["Sex", "Age band at exploitation", "Exploitation type"]
    assert (result.counts.column_totals, result.counts.grand_total) == ([1, 2, 2], 4)


def test_more_than_three_dimensions_are_refused_before_any_query(django_assert_num_queries, db):
    with django_assert_num_queries(0), pytest.raises(ValueError, match="at most 3 dimensions.*4 were asked for"):
        survivor_breakdown("survivors_cared_for", PERIOD, ["sex", "age_band", "citizenship", "exploitation_type"])


@pytest.mark.parametrize(
    ("dimensions", "message"),
    [
        ([], "at least one dimension"),
        (["religion"], "No such breakdown dimension: religion"),
        (["sex", "sex"], "once"),
    ],
)
def test_other_wrong_dimensions_are_refused(db, dimensions, message):
    with pytest.raises(ValueError, match=message):
        survivor_breakdown("survivors_cared_for", PERIOD, dimensions)


def test_only_survivor_indicators_are_broken_down(db):
    with pytest.raises(ValueError, match="survivor indicators"):
        survivor_breakdown("accused_arrested", PERIOD, ["sex"])


@pytest.mark.parametrize("survivors", [1, 30])
def test_one_query_whatever_the_number_of_survivors(survivor_in, django_assert_num_queries, survivors):
    for n in range(survivors):
        survivor_in(
            "GB",
            "RO" if n % 2 else "BD",
            gender="feminine" if n % 3 else "masculine",
            age_at_exploitation=10 + n,
            exploitations=["sexual"] if n % 2 else [],
        )

    with django_assert_num_queries(1):  # the grouped counts (the columns are given)
        survivor_breakdown(
            "survivors_cared_for", PERIOD, ["sex", "age_band", "exploitation_type"], countries=["BD", "GB", "RO"]
        )


def test_subjects_with_positional_parameters(survivor_in, monkeypatch):
    positional = SUBJECTS.replace("%(start)s", "%s").replace("%(end)s", "%s")
    monkeypatch.setattr(
        breakdowns, "indicator_subjects_sql", lambda indicator_id, period: (positional, [period.start, period.end])
    )
    survivor_in("GB", citizenships=["AL"])

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["sex", "citizenship"], threshold=2)

    assert rows(result) == {("unknown", "other"): ([0, 1, 0], 1)}


def test_printed_through_suppression(survivor_in):
    for _ in range(12):
        survivor_in("GB", gender="feminine")
    for _ in range(15):
        survivor_in("GB", gender="masculine")
    for _ in range(3):
        survivor_in("RO", gender="masculine")

    shown = survivor_breakdown("survivors_cared_for", PERIOD, ["sex"]).suppressed(threshold=10)

    # The RO 3 is "<10"; 18 − 15 would give it away, so the 15 goes; then 30 − 27 would, so the GB total goes.
    assert shown.cells == [[0, 12, 0], [0, HIDDEN, "<10"]]
    assert shown.row_totals == [12, 18]
    assert (shown.column_totals, shown.grand_total) == ([0, HIDDEN, "<10"], 30)


def test_the_json_form_is_suppressed(survivor_in):
    survivor_in("GB", gender="feminine")

    data = survivor_breakdown("survivors_cared_for", PERIOD, ["sex"]).as_dict(threshold=10)

    assert data["rows"] == [
        {"categories": {"sex": "feminine"}, "by_country": {"BD": 0, "GB": "<10", "RO": 0}, "direct": "<10"}
    ]
    assert data["totals"] == {"by_country": {"BD": 0, "GB": "<10", "RO": 0}, "direct": "<10"}
    assert data["suppression_threshold"] == 10


def test_the_real_survivors_cared_for(survivor_in, monkeypatch):
    monkeypatch.setattr(breakdowns, "indicator_subjects_sql", REAL_SUBJECTS)
    cared_for_twice = [survivor_in("GB", gender="feminine"), survivor_in("GB", "RO", gender="masculine")]
    once = survivor_in("GB", gender="feminine")
    for survivor in cared_for_twice:
        for case in survivor.cases.all():
            factories.FollowUpFactory(case=case, occurred_on=date(2021, 11, 1))
            factories.FollowUpFactory(case=case, occurred_on=date(2021, 12, 1))
    factories.FollowUpFactory(case=once.cases.get(), occurred_on=date(2021, 11, 1))  # one support instance: not yet

    result = survivor_breakdown("survivors_cared_for", PERIOD, ["sex"])

    assert rows(result) == {("feminine",): ([0, 1, 0], 1), ("masculine",): ([0, 1, 1], 1)}
