"""Exports of the headline report: CSV, JSON and XLSX (formatted like the published table), with
breakdowns of survivor indicators and the spec's small-number suppression.

CSV and JSON are machine-facing: ISO codes, ids, no thousands separators. The XLSX workbook is the
published table ("UK" for GB, thousands separators, growth with ↑/↓), one sheet per view. Breakdowns
are always suppressed (they are published outside the charity); the headline table only when asked
(the charity publishes "1 exploiter convicted"). Every export that suppresses prints the threshold.

writers.py: the figures as printed, CSV and JSON · xlsx.py: the workbook · jobs.py: export jobs built
by Celery (reporting.tasks), each recorded in the access trail · forms.py: the M&E page's form.
"""

from dataclasses import dataclass

from reporting.breakdowns import Breakdown
from reporting.exports.writers import CONTENT_TYPES, report_csv, report_json
from reporting.exports.xlsx import report_xlsx
from reporting.figures import HeadlineReport

FORMATS = {"csv": report_csv, "json": report_json, "xlsx": report_xlsx}

__all__ = ["CONTENT_TYPES", "FORMATS", "ExportFile", "export_file", "report_csv", "report_json", "report_xlsx"]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_file(
    report: HeadlineReport,
    fmt: str,
    *,
    name: str,
    suppress: bool = False,
    breakdowns: list[Breakdown] = (),
    threshold: int | None = None,
) -> ExportFile:
    """The export as bytes in `fmt` (csv, json or xlsx), with its file name and content type."""
    content = FORMATS[fmt](report, suppress=suppress, breakdowns=breakdowns, threshold=threshold)
    return ExportFile(f"{name}.{fmt}", CONTENT_TYPES[fmt], content.encode() if isinstance(content, str) else content)
