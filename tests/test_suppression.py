"""Small-number suppression (reporting/suppression.py): primary "<10", zero shown, the second cell."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.suppression import (
    HIDDEN,
    CountTable,
    percent_shown,
    suppress_table,
    suppressed_keys,
    table_lines,
)


def table(cells, row_totals=None):
    """A count table from its cells; totals are sums unless other row totals are given."""
    rows, columns = len(cells), len(cells[0])
    row_totals = row_totals or [sum(row) for row in cells]
    column_totals = [sum(row[j] for row in cells) for j in range(columns)]
    return CountTable(
        row_labels=[(f"r{i}",) for i in range(rows)],
        column_labels=[f"c{j}" for j in range(columns)],
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=sum(row_totals),
    )


def test_counts_from_one_to_nine_are_shown_as_under_ten():
    shown = suppress_table(table([[1, 9, 10], [9, 1, 10]]), threshold=10)

    assert shown.cells == [["<10", "<10", 10], ["<10", "<10", 10]]


def test_zero_is_shown_and_never_hidden():
    shown = suppress_table(table([[0, 20, 30], [0, 40, 50]]), threshold=10)

    assert shown.cells == [[0, 20, 30], [0, 40, 50]]
    assert shown.column_totals == [0, 60, 80]


def test_the_threshold_is_a_parameter():
    shown = suppress_table(table([[4, 3, 5]]), threshold=5)

    assert shown.cells == [["<5", "<5", 5]]
    assert shown.threshold == 5


def test_totals_under_the_threshold_are_hidden():
    shown = suppress_table(table([[3, 0], [20, 30]]), threshold=10)

    assert shown.row_totals[0] == "<10"


def test_a_row_with_one_small_cell_hides_its_smallest_other_non_zero_cell():
    # 25 − 12 − 10 would give the 3 away: the 10 (smallest non-zero shown) is hidden with it.
    shown = suppress_table(table([[3, 12, 10, 0], [30, 40, 50, 60], [30, 40, 50, 60]]), threshold=10)

    assert shown.cells[0] == ["<10", 12, HIDDEN, 0]
    assert shown.row_totals[0] == 25


def test_the_second_cell_is_never_a_zero():
    shown = suppress_table(table([[0, 4, 0, 30], [50, 50, 50, 50], [50, 50, 50, 50]]), threshold=10)

    assert shown.cells[0] == [0, "<10", 0, HIDDEN]


def test_of_equal_candidates_the_first_is_hidden():
    shown = suppress_table(table([[5, 20, 20], [50, 50, 50], [50, 50, 50]]), threshold=10)

    assert shown.cells[0] == ["<10", HIDDEN, 20]


def test_a_column_with_one_small_cell_hides_its_smallest_other_non_zero_cell():
    # Row 0 has two small cells already; each of their columns needs a second, the 12 and the 11.
    shown = suppress_table(table([[4, 5, 60], [12, 11, 80], [30, 40, 95]]), threshold=10)

    assert shown.cells == [["<10", "<10", 60], [HIDDEN, HIDDEN, 80], [30, 40, 95]]


def test_a_row_with_two_small_cells_needs_no_second_suppression():
    shown = suppress_table(table([[3, 4, 50], [20, 20, 20], [20, 20, 20]]), threshold=10)

    assert shown.cells[0] == ["<10", "<10", 50]


def test_secondary_suppression_repeats_until_every_line_is_safe():
    cells = [[2, 15, 40], [30, 12, 40], [30, 40, 40]]
    shown = suppress_table(table(cells), threshold=10)

    # Row 0: the 2 and its second, the 15. Then column 0 has the 2 alone: its smallest other (the
    # first 30) goes; column 1 has the 15 alone: the 12 goes. Row 1 now has two hidden: stable.
    assert shown.cells == [["<10", HIDDEN, 40], [HIDDEN, HIDDEN, 40], [30, 40, 40]]
    assert_no_line_gives_a_figure_away(table(cells), shown)


def test_a_hidden_total_with_every_part_shown_hides_a_part():
    # A non-additive total (de-duplicated across countries) can be small with parts of 0 and 10+.
    values = {"a": 0, "b": 12, "total": 8}

    assert suppressed_keys(values, [(["a", "b"], "total")], threshold=10) == {"b", "total"}


def test_percentages_only_where_the_denominator_reaches_the_threshold():
    assert percent_shown(50, 9, threshold=10) is None
    assert percent_shown(50, 10, threshold=10) == 50
    assert percent_shown(None, 20, threshold=10) is None
    assert percent_shown(10, None, threshold=10) is None


def test_a_table_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="one cell and one total per column"):
        CountTable(
            row_labels=[("a",)],
            column_labels=["x", "y"],
            cells=[[1]],
            row_totals=[1],
            column_totals=[1, 0],
            grand_total=1,
        )


def assert_no_line_gives_a_figure_away(counts: CountTable, shown):
    rows, columns = len(counts.row_labels), len(counts.column_labels)
    grid = [[*row, total] for row, total in zip(shown.cells, shown.row_totals, strict=True)] + [
        [*shown.column_totals, shown.grand_total]
    ]
    for parts, total in table_lines(rows, columns):
        hidden = [key for key in (*parts, total) if isinstance(grid[key[0]][key[1]], str)]
        assert len(hidden) != 1, f"line {parts} → {total} has exactly one hidden figure"


tables = st.tuples(st.integers(1, 6), st.integers(1, 5)).flatmap(
    lambda size: st.lists(
        st.lists(st.integers(0, 40), min_size=size[1], max_size=size[1]), min_size=size[0], max_size=size[0]
    )
)


@given(tables)
def test_any_table_every_small_count_hidden_no_zero_hidden_no_line_with_one_hidden(cells):
    counts = table(cells)
    shown = suppress_table(counts, threshold=10)

    for original, printed in zip(counts.cells, shown.cells, strict=True):
        for value, figure in zip(original, printed, strict=True):
            if 0 < value < 10:
                assert figure == "<10"
            elif value == 0:
                assert figure == 0
            else:
                assert figure in (value, HIDDEN)
    assert_no_line_gives_a_figure_away(counts, shown)
