"""The headline report as a plain-text table for a terminal (human-facing: thousands separators)."""

from reporting.figures import HeadlineReport


def number(value) -> str:
    return "" if value is None else f"{value:,}"


def growth(value) -> str:
    if value is None:
        return "new"
    return f"{'↑' if value > 0 else '↓' if value < 0 else '→'} {value:+,}%"


def country_label(code: str) -> str:
    """ISO codes everywhere in data; "UK" only as the display label for GB."""
    return "UK" if code == "GB" else code


def _render(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = lambda cells: "  ".join(  # noqa: E731
        str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )
    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def report_table(report: HeadlineReport) -> str:
    partners = report.partner_names
    comparator = report.comparator.label if report.comparator else None
    header = ["Indicator", *(country_label(c) for c in report.countries), "Direct work"]
    if comparator:
        header += [comparator, "Growth"]
    header += [*partners, "Incl. funded joint ops"]
    rows = []
    for row in report.indicators:
        by_partner = {p.partner: p for p in row.partners}
        cells = [str(row.label), *(number(row.by_country[c]) for c in report.countries), number(row.direct_total)]
        if comparator:
            cells += [
                "" if row.comparator_value is None else f"{float(row.comparator_value):,.1f}",
                growth(row.growth_pct),
            ]
        cells += [
            (number(by_partner[p].value) + ("" if by_partner[p].funded else " (not funded)")) if p in by_partner else ""
            for p in partners
        ]
        cells.append(number(row.incl_funded_joint_ops))
        rows.append(cells)

    title = report.period.label or f"{report.period.start} – {report.period.end}"
    lines = [
        f"Headline indicators {title} ({report.period.start} – {report.period.end}), rules {report.rules_version}",
        "",
    ]
    lines += _render(header, rows)

    def share(ratio):
        if ratio.denominator is None:
            return number(ratio.numerator)
        pct = "–" if ratio.pct is None else f"{ratio.pct}%"
        return f"{pct} ({ratio.numerator:,}/{ratio.denominator:,})"

    outcome_rows = [
        [str(o.label), *(share(o.by_country[c]) for c in report.countries), share(o.direct_total)]
        for o in report.outcomes
    ]
    lines += ["", "Outcomes", ""]
    lines += _render(["Outcome", *(country_label(c) for c in report.countries), "Direct work"], outcome_rows)
    return "\n".join(lines) + "\n"
