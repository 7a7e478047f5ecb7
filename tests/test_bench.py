"""The benchmark harness on a tiny data set: every operation measured, answers compared, a table with its
ratios, and the table written between its markers. Timings are never asserted."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from bench import harness, operations  # noqa: F401  (operations registers itself)


@pytest.fixture
def tiny(db):
    call_command("seed_scale", survivors=60, seed=3, today=date(2026, 11, 23), stdout=io.StringIO())


def test_every_operation_is_registered_with_a_lower_bound():
    names = [op.name for op in harness.OPERATIONS]
    assert names == [
        "the headline report for one half-year, all countries",
        "a Navigator's caseload",
        "a country lead's dashboard",
        "a case page with 500 timeline events",
        "object-permission filtering of cases for a country lead",
    ]
    assert all(op.lower_bound is not None and op.target is not None for op in harness.OPERATIONS)


def test_every_measurement_is_registered_with_its_target():
    assert [(m.name, m.target) for m in harness.MEASUREMENTS] == [
        (
            "logging a follow-up under concurrent load (POST, with history and access record)",
            "≥ 150 requests/s on 2 cores, p99 ≤ 300 ms, zero errors",
        ),
        ("an anonymised case-level extract of 100,000 rows", "streamed; peak memory ≤ 200 MB"),
    ]


def test_a_run_gives_a_table_with_every_operation_and_its_ratios(tiny):
    results = harness.run(repeats=1, naive_budget=5, log=lambda *args: None)

    assert [r.error for r in results] == [""] * len(harness.OPERATIONS)
    assert all(r.same_answer for r in results)  # the app, its lower bound and the naive approach agree
    table = harness.markdown_table(results)
    header, rule, *rows = table.splitlines()
    assert "app ÷ lower bound" in header
    assert "naive ÷ app" in header
    assert len(rows) == len(harness.OPERATIONS)
    for op, row in zip(harness.OPERATIONS, rows, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[0].startswith(op.name)
        assert cells[3].endswith("×")  # app ÷ lower bound


def test_a_broken_operation_is_reported_in_the_table_without_stopping_the_others(db):
    broken = harness.Operation(name="broken", setup=lambda: ({}, ""), app=lambda: 1 / 0, lower_bound=lambda: 0)
    [result] = harness.run([broken], repeats=1, log=lambda *args: None)

    assert "ZeroDivisionError" in harness.markdown_table([result])
    assert result.met is False


def test_the_table_is_written_between_the_markers_and_the_prose_around_it_stays(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nProse before.\n")

    harness.write_block(doc, "first table")
    doc.write_text(doc.read_text() + "\nProse after.\n")
    harness.write_block(doc, "second table")

    text = doc.read_text()
    assert "Prose before." in text
    assert "Prose after." in text
    assert "second table" in text
    assert "first table" not in text
    assert text.count(harness.MARK_BEGIN) == 1


def test_a_measurement_is_tabled_with_its_figure_and_a_failing_one_with_its_error():
    fine = harness.Measurement(
        "steady", lambda quick: harness.Figure("12 requests/s", how="wrk", met=False), "≥ 150 requests/s"
    )
    broken = harness.Measurement("broken", lambda quick: 1 / 0, "streamed")

    found = harness.run_measurements([fine, broken], quick=True, log=lambda *args: None)
    table = harness.markdown_figures(found)

    header, rule, steady, failed = table.splitlines()
    assert steady == "| steady | 12 requests/s | wrk | ≥ 150 requests/s | no |"
    assert "error: ZeroDivisionError" in failed
    assert failed.endswith("| no: failed |")


def test_only_a_measurement_chosen_runs_no_operation(db):
    assert harness.run([], repeats=1, log=lambda *args: None) == []


def test_targets_compare_the_ratios():
    target = harness.Target("≤ 2× lower bound; ≥ 20× faster than naive", max_vs_lower=2.0, min_vs_naive=20.0)
    assert target.met(1.5, 30.0) is True
    assert target.met(2.5, 30.0) is False
    assert target.met(1.5, 10.0) is False
    assert harness.Target("none").met(1.0, None) is None
    assert target.misses(2.5, 10.0) == ["2.5× the lower bound", "only 10.0× faster than naive"]
