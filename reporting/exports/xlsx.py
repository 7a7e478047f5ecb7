"""The XLSX workbook, formatted like the published table: "Headline", "Outcomes", a sheet per breakdown, "Notes"."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reporting.breakdowns import Breakdown
from reporting.exports.cells import xlsx_cell
from reporting.exports.writers import DIRECT, INCL, Figures, country_label, notes, period_text, threshold_or_setting
from reporting.figures import HeadlineReport, IndicatorRow
from reporting.indicators import HEADLINE_BY_ID
from reporting.suppression import HIDDEN, small

# The published table's headings, by each indicator's section (reporting.indicators).
SECTIONS = {"saving_lives": "Saving lives:", "prosecuting": "Prosecuting criminals:"}
OTHER_HEADING = "Other indicators:"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
COUNT = "#,##0"
GROWTH = '"↑ "#,##0"%";"↓ -"#,##0"%";"→ 0%"'
PERCENT = '0"%"'
RIGHT = Alignment(horizontal="right")


def _put(sheet, row: int, column: int, value, number_format: str = COUNT, bold: bool = False):
    """One cell: numbers with their format; "<10", "*", "new" aligned like the numbers beside them."""
    cell = xlsx_cell(sheet, row=row, column=column, value=value)
    if isinstance(value, (int, float)):
        cell.number_format = number_format
    elif value is not None and column > 1:
        cell.alignment = RIGHT
    if bold:
        cell.font = BOLD
    return cell


def _header(sheet, row: int, labels: list[str], start: int = 1):
    for column, label in enumerate(labels, start=start):
        cell = xlsx_cell(sheet, row=row, column=column, value=label)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left" if column == 1 else "center")


def _widths(sheet, first: int, others: int = 14):
    sheet.column_dimensions["A"].width = first
    for column in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = others


def _grouped(report: HeadlineReport) -> list[tuple[str, list[IndicatorRow]]]:
    """The indicators under their headings, in the report's order within each."""
    groups: dict[str, list[IndicatorRow]] = {}
    for row in report.indicators:
        indicator = HEADLINE_BY_ID.get(row.id)
        groups.setdefault(SECTIONS.get(indicator.section if indicator else None, OTHER_HEADING), []).append(row)
    order = [*SECTIONS.values(), OTHER_HEADING]
    return sorted(groups.items(), key=lambda group: order.index(group[0]))


def growth_heading(report: HeadlineReport) -> str:
    comparator = report.comparator
    label = comparator.label if comparator.label else f"{comparator.start} – {comparator.end}"
    return f"Growth on {label}"


def _headline_sheet(sheet, report: HeadlineReport, figures: Figures):
    sheet.title = "Headline"
    xlsx_cell(sheet, row=1, column=1, value=f"Headline achievements {period_text(report.period)}").font = TITLE
    partners = report.partner_names
    header = ["", *(country_label(code) for code in report.countries), "Direct work"]
    if report.comparator:
        header.append(growth_heading(report))
    header += [*partners, "Incl. funded joint ops"]
    _header(sheet, 3, header)
    line = 4
    for heading, rows in _grouped(report):
        xlsx_cell(sheet, row=line, column=1, value=heading).font = BOLD
        line += 1
        for row in rows:
            xlsx_cell(sheet, row=line, column=1, value=str(row.label))
            values = [figures.indicator(row, code) for code in report.countries] + [figures.indicator(row, DIRECT)]
            for column, value in enumerate(values, start=2):
                _put(sheet, line, column, value, bold=column == len(values) + 1)
            column = len(values) + 2
            if report.comparator:
                _put(sheet, line, column, figures.growth(row), GROWTH)
                column += 1
            for name in partners:
                partner = next((p for p in row.partners if p.partner == name), None)
                _put(sheet, line, column, figures.partner(row, name))
                if partner is not None and not partner.funded:
                    sheet.cell(row=line, column=column).font = Font(italic=True)
                column += 1
            _put(sheet, line, column, figures.indicator(row, INCL), bold=True)
            line += 1
    if any(not p.funded for row in report.indicators for p in row.partners):
        xlsx_cell(
            sheet,
            row=line + 1,
            column=1,
            value="Partners' figures in italics were not directly funded in this period: "
            "not included in 'Incl. funded joint ops'.",
        ).font = Font(italic=True)
    _widths(sheet, 58)
    sheet.freeze_panes = "B4"


def _outcomes_sheet(sheet, report: HeadlineReport, figures: Figures):
    xlsx_cell(sheet, row=1, column=1, value=f"Outcomes {period_text(report.period)}").font = TITLE
    scopes = [*report.countries, DIRECT]
    _header(sheet, 3, ["Outcome"])
    _header(sheet, 4, [""])
    for index, scope in enumerate(scopes):
        first = 2 + 3 * index
        _header(sheet, 3, [country_label(scope) if scope != DIRECT else "Direct work"], start=first)
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
        _header(sheet, 4, ["Numerator", "Denominator", "%"], start=first)
    for line, outcome in enumerate(report.outcomes, start=5):
        xlsx_cell(sheet, row=line, column=1, value=str(outcome.label))
        for index, scope in enumerate(scopes):
            numerator, denominator, pct = figures.ratio(outcome, scope)
            _put(sheet, line, 2 + 3 * index, numerator)
            _put(sheet, line, 3 + 3 * index, denominator)
            _put(sheet, line, 4 + 3 * index, pct, PERCENT)
    _widths(sheet, 58, 12)
    sheet.freeze_panes = "B5"


def _sheet_name(index: int, breakdown: Breakdown, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, unique, none of []:*?/\\."""
    name = f"{index} {breakdown.indicator.replace('_', ' ')}"[:31]
    return name if name not in taken else f"Breakdown {index}"


def _breakdown_sheet(sheet, report: HeadlineReport, breakdown: Breakdown, threshold: int):
    indicator = next((row for row in report.indicators if row.id == breakdown.indicator), None)
    title = str(indicator.label) if indicator else breakdown.indicator
    xlsx_cell(
        sheet,
        row=1,
        column=1,
        value=f"{title} by {', '.join(breakdown.dimension_labels()).lower()}, {period_text(breakdown.period)}",
    ).font = TITLE
    xlsx_cell(
        sheet,
        row=2,
        column=1,
        value=f"Counts from 1 to {threshold - 1} are shown as {small(threshold)}; "
        f"{HIDDEN} hides a further count so that none can be worked out from the totals.",
    )
    shown = breakdown.suppressed(threshold)
    dimensions = len(breakdown.dimensions)
    _header(
        sheet, 4, [*breakdown.dimension_labels(), *(country_label(code) for code in shown.column_labels), "Direct work"]
    )
    line = 5
    for row, cells, total in zip(shown.row_labels, shown.cells, shown.row_totals, strict=True):
        for column, label in enumerate(breakdown.row_label(row), start=1):
            xlsx_cell(sheet, row=line, column=column, value=label)
        for column, value in enumerate([*cells, total], start=dimensions + 1):
            _put(sheet, line, column, value, bold=column == dimensions + len(cells) + 1)
        line += 1
    xlsx_cell(sheet, row=line, column=1, value="Total").font = BOLD
    for column, value in enumerate([*shown.column_totals, shown.grand_total], start=dimensions + 1):
        _put(sheet, line, column, value, bold=True)
    for column in range(1, dimensions + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 28
    for column in range(dimensions + 1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = sheet.cell(row=5, column=dimensions + 1)


NOTE_LABELS = {
    "period": "Period",
    "period_start": "From",
    "period_end": "To",
    "comparator": "Comparator",
    "comparator_start": "Comparator from",
    "comparator_end": "Comparator to",
    "rules_version": "Counting rules version",
    "headline_suppressed": "Headline table suppressed",
    "suppression_threshold": "Suppression threshold",
}


def _notes_sheet(sheet, lines: list[tuple[str, object]], threshold: int, breakdowns: list[Breakdown]):
    xlsx_cell(sheet, row=1, column=1, value="Notes").font = TITLE
    line = 3
    for key, value in lines:
        xlsx_cell(sheet, row=line, column=1, value=NOTE_LABELS[key]).font = BOLD
        xlsx_cell(sheet, row=line, column=2, value=value if value != "" else "—")
        line += 1
    explanations = ["Counting rules: docs/indicators.md and the charity's published definitions."]
    if any(key == "suppression_threshold" for key, _value in lines):
        explanations.append(
            f"Small numbers: every count from 1 to {threshold - 1} is shown as {small(threshold)}; {HIDDEN} hides a further "
            f"count (or a percentage) so that no small count can be worked out from the totals; zero is shown; "
            f"a percentage is shown only where its denominator is at least {threshold}."
        )
    if breakdowns:
        explanations += [
            "Breakdowns count each survivor once per country and once in direct work, however many countries' teams counted them.",
            "Age bands (CTDC ageBroad) and minor/adult are from the age when exploitation began.",
            f"Citizenship is the first listed; citizenships of fewer than {threshold} survivors are grouped as Other.",
            "A survivor with more than one exploitation type is counted once, under Several types.",
        ]
    for text in explanations:
        line += 1
        xlsx_cell(sheet, row=line, column=1, value=text)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40


def report_xlsx(
    report: HeadlineReport, *, suppress: bool = False, breakdowns: list[Breakdown] = (), threshold: int | None = None
) -> bytes:
    """The workbook: "Headline" (the published table), "Outcomes", one sheet per breakdown, "Notes"."""
    threshold = threshold_or_setting(threshold)
    figures = Figures(report, threshold if suppress else None)
    book = Workbook()
    _headline_sheet(book.active, report, figures)
    _outcomes_sheet(book.create_sheet("Outcomes"), report, figures)
    taken = {"Headline", "Outcomes", "Notes"}
    for index, breakdown in enumerate(breakdowns, start=1):
        name = _sheet_name(index, breakdown, taken)
        taken.add(name)
        _breakdown_sheet(book.create_sheet(name), report, breakdown, threshold)
    _notes_sheet(
        book.create_sheet("Notes"),
        notes(report, suppress=suppress, breakdowns=breakdowns, threshold=threshold),
        threshold,
        breakdowns,
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
