"""Small-number suppression for exported counts (../shared/spec/indicators.md, "Small numbers and anonymity").

The Counter Trafficking Data Collaborative's practice: no published count from 1 to threshold − 1
(default 10, settings.REPORTING_SUPPRESSION_THRESHOLD). Such a count is shown as "<10" (primary
suppression). Zero is shown. Where the figures of a line (a row or a column with its total) are linked
so that one hidden figure could be worked out from the others, a second figure of that line is hidden
too (secondary suppression, shown as "*"): the smallest non-zero figure still shown, repeated until no
line has exactly one hidden figure. A percentage is shown only where its denominator reaches the threshold.

Pure functions over plain numbers: no database, no settings read here (callers pass the threshold).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

HIDDEN = "*"  # a figure of threshold or more, hidden so that a small one cannot be worked out

# A line: figures linked by one sum, (parts, total). The total may also be a part of another line
# (a row total is one of the parts of the totals column).
Line = tuple[Sequence[Hashable], Hashable]


def small(threshold: int) -> str:
    """How a count from 1 to threshold − 1 is shown: "<10"."""
    return f"<{threshold}"


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppressed_keys(values: Mapping[Hashable, int], lines: Iterable[Line], threshold: int) -> set[Hashable]:
    """The keys of `values` an export must hide: every small value, and enough others that no line has
    exactly one hidden figure.

    A line with exactly one hidden figure (a part, or its total) gives it away: total − shown parts.
    Its second hidden figure is the smallest non-zero part still shown (ties: the first listed); a line
    with no such part hides its total instead. Hiding only ever grows, so the loop ends.
    """
    lines = [(tuple(parts), total) for parts, total in lines]
    hidden = {key for key, value in values.items() if is_small(value, threshold)}
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            if sum(key in hidden for key in (*parts, total)) != 1:
                continue
            candidates = [key for key in parts if key not in hidden and values[key] != 0]
            if candidates:
                hidden.add(min(candidates, key=lambda key: values[key]))  # min() keeps the first of equals
            elif values[total] != 0 and total not in hidden:
                hidden.add(total)
            else:
                continue  # one hidden part beside zeros and a zero total: cannot happen with consistent sums
            changed = True
    return hidden


def shown(value: int, key: Hashable, hidden: set[Hashable], threshold: int) -> int | str:
    """What an export prints for one count: the count, "<10" or "*"."""
    if key not in hidden:
        return value
    return small(threshold) if is_small(value, threshold) else HIDDEN


def percent_shown(pct: int | None, denominator: int | None, threshold: int) -> int | None:
    """A percentage only where its denominator is at least the threshold."""
    if pct is None or denominator is None or denominator < threshold:
        return None
    return pct


@dataclass(frozen=True)
class CountTable:
    """Counts in rows × columns with their totals.

    Row totals need not be the sum of the row (a survivor counted in two countries is one in the
    direct-work total); suppression treats each row and column as a line all the same, which can only
    hide more.
    """

    row_labels: list[tuple[str, ...]]
    column_labels: list[str]
    cells: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    grand_total: int

    def __post_init__(self):
        if len(self.cells) != len(self.row_labels) or len(self.row_totals) != len(self.row_labels):
            raise ValueError("A count table has one row of cells and one total per row label.")
        if len(self.column_totals) != len(self.column_labels) or any(
            len(row) != len(self.column_labels) for row in self.cells
        ):
            raise ValueError("A count table has one cell and one total per column label in every row.")


@dataclass(frozen=True)
class SuppressedTable:
    """A CountTable as an export prints it: each figure an int, "<10" or "*"."""

    row_labels: list[tuple[str, ...]]
    column_labels: list[str]
    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    grand_total: int | str
    threshold: int


def table_lines(rows: int, columns: int) -> list[Line]:
    """The lines of a rows × columns table with margins, keyed (i, j); i == rows is the totals row,
    j == columns the totals column, (rows, columns) the grand total."""
    lines: list[Line] = [([(i, j) for j in range(columns)], (i, columns)) for i in range(rows + 1)]
    lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns + 1)]
    return lines


def suppress_table(table: CountTable, threshold: int) -> SuppressedTable:
    """Hide the table's small counts, and second counts where a total would give a small one away."""
    rows, columns = len(table.row_labels), len(table.column_labels)
    values = {(i, j): table.cells[i][j] for i in range(rows) for j in range(columns)}
    values |= {(i, columns): total for i, total in enumerate(table.row_totals)}
    values |= {(rows, j): total for j, total in enumerate(table.column_totals)}
    values[(rows, columns)] = table.grand_total
    hidden = suppressed_keys(values, table_lines(rows, columns), threshold)

    def show(key):
        return shown(values[key], key, hidden, threshold)

    return SuppressedTable(
        row_labels=list(table.row_labels),
        column_labels=list(table.column_labels),
        cells=[[show((i, j)) for j in range(columns)] for i in range(rows)],
        row_totals=[show((i, columns)) for i in range(rows)],
        column_totals=[show((rows, j)) for j in range(columns)],
        grand_total=show((rows, columns)),
        threshold=threshold,
    )
