"""CSV and JSON of the headline report, and what every export shares: the figures as printed
(exact, or suppressed), the notes, labels for people."""

import io
import json
from fractions import Fraction

import pycountry
from django.conf import settings

from reporting.breakdowns import DIMENSIONS, Breakdown
from reporting.exports.cells import csv_writer
from reporting.figures import HeadlineReport, IndicatorRow
from reporting.suppression import HIDDEN, is_small, small, suppressed_keys

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

DIRECT, INCL = "direct", "incl_funded_joint_ops"


def country_label(code: str) -> str:
    """For people: "UK" for GB, else the country's common name. Data and CSV keep the ISO code."""
    if code == "GB":
        return "UK"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def period_text(period) -> str:
    """'21/22 H1 (1 Sep 2021 – 28 Feb 2022)'."""
    dates = f"{period.start.day} {period.start:%b %Y} – {period.end.day} {period.end:%b %Y}"
    return f"{period.label} ({dates})" if period.label else dates


def _number(value: Fraction | int | None):
    """A comparator (a half-year average may end in .5) as an int where whole, else a float."""
    if value is None:
        return None
    return int(value) if Fraction(value).denominator == 1 else float(value)


class Figures:
    """The headline report's figures as an export prints them: exact, or (threshold given) suppressed.

    Suppression treats each indicator's countries with their direct-work total as one line, and the
    direct-work total with the funded partners' values and "incl. funded joint ops" as another; an
    outcome's numerators and denominators the same way. A percentage (outcomes, growth) is shown only
    where its denominator reaches the threshold and the figures it is made of are shown.
    """

    def __init__(self, report: HeadlineReport, threshold: int | None = None):
        self.report, self.threshold = report, threshold
        self.values: dict[tuple, int] = {}
        lines = []
        for row in report.indicators:
            countries = [("i", row.id, code) for code in report.countries]
            self.values |= {key: row.by_country.get(key[2], 0) for key in countries}
            self.values[("i", row.id, DIRECT)] = row.direct_total
            self.values[("i", row.id, INCL)] = row.incl_funded_joint_ops
            funded = []
            for partner in row.partners:
                self.values[("i", row.id, "partner", partner.partner)] = partner.value
                if partner.value_in_funded_total:
                    funded.append(("i", row.id, "partner", partner.partner))
            lines.append((countries, ("i", row.id, DIRECT)))
            lines.append(([("i", row.id, DIRECT), *funded], ("i", row.id, INCL)))
        for outcome in report.outcomes:
            for part in ("numerator", "denominator"):
                keys = [("o", outcome.id, code, part) for code in report.countries]
                for key in keys:
                    ratio = outcome.by_country.get(key[2])
                    self.values[key] = (getattr(ratio, part) or 0) if ratio else 0
                self.values[("o", outcome.id, DIRECT, part)] = getattr(outcome.direct_total, part) or 0
                lines.append((keys, ("o", outcome.id, DIRECT, part)))
        self.hidden = suppressed_keys(self.values, lines, threshold) if threshold else set()

    @property
    def suppressed(self) -> bool:
        return self.threshold is not None

    def _show(self, key):
        value = self.values[key]
        if key not in self.hidden:
            return value
        return small(self.threshold) if is_small(value, self.threshold) else HIDDEN

    def indicator(self, row: IndicatorRow, column: str):
        """A country code, DIRECT or INCL."""
        return self._show(("i", row.id, column))

    def partner(self, row: IndicatorRow, name: str):
        key = ("i", row.id, "partner", name)
        return self._show(key) if key in self.values else None

    def comparator(self, row: IndicatorRow):
        value = row.comparator_value
        if value is not None and self.suppressed and 0 < value < self.threshold:
            return small(self.threshold)
        return _number(value)

    def growth(self, row: IndicatorRow):
        """Whole percent, "new" for a comparator of 0, None without a comparator (or HIDDEN)."""
        if row.comparator_value is None:
            return None
        if row.comparator_value == 0:
            return "new"
        if self.suppressed and (("i", row.id, DIRECT) in self.hidden or row.comparator_value < self.threshold):
            return HIDDEN
        return row.growth_pct

    def ratio(self, outcome, scope: str) -> tuple:
        """(numerator, denominator, pct) of an outcome for a country code or DIRECT."""
        ratio = outcome.direct_total if scope == DIRECT else outcome.by_country.get(scope)
        if ratio is None:
            return None, None, None
        numerator = self._show(("o", outcome.id, scope, "numerator"))
        if ratio.denominator is None:
            return numerator, None, None
        denominator = self._show(("o", outcome.id, scope, "denominator"))
        pct = ratio.pct
        if (
            self.suppressed
            and pct is not None
            and (ratio.denominator < self.threshold or isinstance(numerator, str) or isinstance(denominator, str))
        ):
            pct = HIDDEN
        return numerator, denominator, pct


def threshold_or_setting(threshold: int | None) -> int:
    return settings.REPORTING_SUPPRESSION_THRESHOLD if threshold is None else threshold


def notes(report: HeadlineReport, *, suppress: bool, breakdowns, threshold: int) -> list[tuple[str, object]]:
    """(key, value) lines every export carries; the threshold wherever suppression applies."""
    comparator = report.comparator
    notes = [
        ("period", report.period.label or ""),
        ("period_start", report.period.start.isoformat()),
        ("period_end", report.period.end.isoformat()),
        ("comparator", (comparator.label or "") if comparator else ""),
        ("comparator_start", comparator.start.isoformat() if comparator else ""),
        ("comparator_end", comparator.end.isoformat() if comparator else ""),
        ("rules_version", report.rules_version),
        ("headline_suppressed", "yes" if suppress else "no"),
    ]
    if suppress or breakdowns:
        notes.append(("suppression_threshold", threshold))
    return notes


# ---- CSV -----------------------------------------------------------------------------------------

CSV_HEADER = ["section", "indicator", "column", "value", "numerator", "denominator", "pct", *DIMENSIONS]


def report_csv(
    report: HeadlineReport, *, suppress: bool = False, breakdowns: list[Breakdown] = (), threshold: int | None = None
) -> str:
    """One row per indicator × column (ISO codes, ids, plain numbers), outcomes with numerator,
    denominator and pct, each breakdown's cells, and notes first (period, rules, threshold)."""
    threshold = threshold_or_setting(threshold)
    figures = Figures(report, threshold if suppress else None)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)

    def row(section, indicator, column, value="", numerator="", denominator="", pct="", categories=None):
        cells = [section, indicator, column, value, numerator, denominator, pct]
        cells += [(categories or {}).get(name, "") for name in DIMENSIONS]
        writer.writerow(["" if cell is None else cell for cell in cells])

    for key, value in notes(report, suppress=suppress, breakdowns=breakdowns, threshold=threshold):
        row("note", key, "", value)
    for indicator in report.indicators:
        for column in [*report.countries, DIRECT]:
            row("indicator", indicator.id, column, figures.indicator(indicator, column))
        if report.comparator:
            row("indicator", indicator.id, "comparator", figures.comparator(indicator))
            row("indicator", indicator.id, "growth_pct", figures.growth(indicator))
        for partner in indicator.partners:
            row("indicator", indicator.id, f"partner:{partner.partner}", figures.partner(indicator, partner.partner))
            row("indicator", indicator.id, f"partner_funded:{partner.partner}", "true" if partner.funded else "false")
        row("indicator", indicator.id, INCL, figures.indicator(indicator, INCL))
    for outcome in report.outcomes:
        for column in [*report.countries, DIRECT]:
            row("outcome", outcome.id, column, "", *figures.ratio(outcome, column))
    for breakdown in breakdowns:
        shown = breakdown.suppressed(threshold)
        everything = dict.fromkeys(breakdown.dimensions, "all")
        for categories, cells, total in [
            *zip(shown.row_labels, shown.cells, shown.row_totals, strict=True),
            (tuple(everything.values()), shown.column_totals, shown.grand_total),
        ]:
            categories = dict(zip(breakdown.dimensions, categories, strict=True))
            for column, value in [*zip(shown.column_labels, cells, strict=True), (DIRECT, total)]:
                row("breakdown", breakdown.indicator, column, value, categories=categories)
    return out.getvalue()


# ---- JSON ----------------------------------------------------------------------------------------


def report_json(
    report: HeadlineReport, *, suppress: bool = False, breakdowns: list[Breakdown] = (), threshold: int | None = None
) -> str:
    """`report.as_dict()`; suppressed figures (when asked) become "<10" or "*"; breakdowns and the
    threshold added under their own keys when there are any."""
    threshold = threshold_or_setting(threshold)
    data = report.as_dict()
    if suppress:
        figures = Figures(report, threshold)
        for row, item in zip(report.indicators, data["indicators"], strict=True):
            item["by_country"] = {code: figures.indicator(row, code) for code in row.by_country}
            item["direct_total"] = figures.indicator(row, DIRECT)
            item["comparator_value"] = figures.comparator(row)
            growth = figures.growth(row)
            item["growth_pct"] = None if growth == "new" else growth  # as in as_dict: null for "new"
            item["incl_funded_joint_ops"] = figures.indicator(row, INCL)
            for partner, value in zip(row.partners, item["partners"], strict=True):
                value["value"] = figures.partner(row, partner.partner)
        for outcome, item in zip(report.outcomes, data["outcomes"], strict=True):
            for scope, ratio in [
                *((code, item["by_country"][code]) for code in item["by_country"]),
                (DIRECT, item["direct_total"]),
            ]:
                ratio["numerator"], ratio["denominator"], ratio["pct"] = figures.ratio(outcome, scope)
    if suppress or breakdowns:
        data["suppression"] = {
            "threshold": threshold,
            "headline": suppress,
            "small": small(threshold),
            "hidden": HIDDEN,
        }
    if breakdowns:
        data["breakdowns"] = [breakdown.as_dict(threshold) for breakdown in breakdowns]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
