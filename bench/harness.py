"""Measure each operation three ways in the same run and put the medians side by side.

An operation is the application's own path, a lower bound (the same answer from one hand-written SQL
query, or the plainest query that gives it) and, where there is one, the naive approach a first
version would take. All three must give the same answer: the harness checks, so a fast lower bound
that answers a different question shows up as "no" in the table instead of as a flattering ratio.
"""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

MARK_BEGIN = "<!-- bench:begin (written by `python -m bench`: edit around this block, not inside it) -->"
MARK_END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Target:
    """What the application's path should achieve: at most `max_vs_lower` × the lower bound, and at
    least `min_vs_naive` × faster than the naive approach. `text` is how the issue words it."""

    text: str
    max_vs_lower: float | None = None
    min_vs_naive: float | None = None

    def misses(self, vs_lower: float | None, naive_vs_app: float | None) -> list[str] | None:
        """The parts of the target that were missed (empty: met); None when nothing could be checked."""
        checked, missed = False, []
        if self.max_vs_lower is not None and vs_lower is not None:
            checked = True
            if vs_lower > self.max_vs_lower:
                missed.append(f"{_ratio(vs_lower)} the lower bound")
        if self.min_vs_naive is not None and naive_vs_app is not None:
            checked = True
            if naive_vs_app < self.min_vs_naive:
                missed.append(f"only {_ratio(naive_vs_app)} faster than naive")
        return missed if checked else None

    def met(self, vs_lower: float | None, naive_vs_app: float | None) -> bool | None:
        misses = self.misses(vs_lower, naive_vs_app)
        return None if misses is None else not misses


@dataclass(frozen=True)
class Operation:
    """One benchmarked operation. `setup()` (not timed) returns the keyword arguments of the three
    functions and a few words on what was picked (which Navigator, which period). `app_answer` turns
    the application's result into the form the lower bound and the naive approach return."""

    name: str
    setup: Callable[[], tuple[dict, str]]
    app: Callable[..., Any]
    lower_bound: Callable[..., Any]
    naive: Callable[..., Any] | None = None
    app_answer: Callable[[Any], Any] = lambda result: result
    target: Target | None = None
    # The part of the answer the naive approach computes, when it computes less than the whole (the
    # naive headline loop counts survivors cared for only): the naive result is compared with it.
    naive_part: Callable[[Any], Any] = lambda answer: answer


OPERATIONS: list[Operation] = []


@dataclass
class Figure:
    """What a measurement found: `value` in words ("212 requests/s; p99 180 ms; 0 errors"), how it was
    measured, and whether its target was met (None when there is nothing to check)."""

    value: str
    how: str = ""
    met: bool | None = None
    error: str = ""


@dataclass(frozen=True)
class Measurement:
    """A figure that is not a time against a lower bound, such as requests per second under load or peak
    memory. `run(quick)` measures it (quick: on the tiny data set, briefly) and returns a `Figure`."""

    name: str
    run: Callable[[bool], Figure]
    target: str


MEASUREMENTS: list[Measurement] = []


def register_measurement(measurement: Measurement) -> Measurement:
    if any(existing.name == measurement.name for existing in MEASUREMENTS):
        raise ValueError(f"a measurement named {measurement.name!r} is already registered")
    MEASUREMENTS.append(measurement)
    return measurement


def run_measurements(measurements=None, *, quick: bool = False, log=print) -> list[tuple[Measurement, Figure]]:
    """Each measurement once; one that fails is reported with its error, and the others still run."""
    found = []
    for measurement in MEASUREMENTS if measurements is None else measurements:
        log(measurement.name)
        try:
            figure = measurement.run(quick)
        except Exception as error:
            figure = Figure(value="", met=False, error=f"{type(error).__name__}: {error}".splitlines()[0][:200])
        log(f"  {figure.error or figure.value}")
        found.append((measurement, figure))
    return found


def markdown_figures(found: list[tuple[Measurement, Figure]]) -> str:
    columns = ["operation", "measured", "how", "target", "met"]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for measurement, figure in found:
        value = f"error: {figure.error}" if figure.error else figure.value
        verdict = "no: failed" if figure.error else _yes(figure.met)
        cells = [measurement.name, value, figure.how or "–", measurement.target, verdict]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def register(operation: Operation) -> Operation:
    """Add an operation to the registry (bench/operations.py registers the project's)."""
    if any(existing.name == operation.name for existing in OPERATIONS):
        raise ValueError(f"an operation named {operation.name!r} is already registered")
    OPERATIONS.append(operation)
    return operation


@dataclass
class Result:
    operation: Operation
    detail: str = ""
    app: list[float] = field(default_factory=list)  # seconds, one per run
    lower_bound: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    app_queries: int | None = None
    same_answer: bool | None = None
    error: str = ""

    @staticmethod
    def _median(times):
        return statistics.median(times) if times else None

    @property
    def app_median(self):
        return self._median(self.app)

    @property
    def lower_median(self):
        return self._median(self.lower_bound)

    @property
    def naive_median(self):
        return self._median(self.naive)

    @property
    def vs_lower(self) -> float | None:
        if self.app_median is None or not self.lower_median:
            return None
        return self.app_median / self.lower_median

    @property
    def naive_vs_app(self) -> float | None:
        if self.naive_median is None or not self.app_median:
            return None
        return self.naive_median / self.app_median

    @property
    def met(self) -> bool | None:
        if self.error or self.same_answer is False:
            return False
        target = self.operation.target
        return target.met(self.vs_lower, self.naive_vs_app) if target else None

    @property
    def verdict(self) -> str:
        """'yes', or 'no' with what was missed."""
        if self.error:
            return "no: failed"
        if self.same_answer is False:
            return "no: another answer"
        target = self.operation.target
        misses = target.misses(self.vs_lower, self.naive_vs_app) if target else None
        if misses is None:
            return "–"
        return "no: " + "; ".join(misses) if misses else "yes"


def _timed(function, kwargs) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = function(**kwargs)
    return time.perf_counter() - start, result


def measure(operation: Operation, *, repeats: int = 7, naive_budget: float = 120.0, log=print) -> Result:
    """Medians over `repeats` runs of the application and the lower bound, taken in turns after one
    warm-up run each. The naive approach runs until `naive_budget` seconds are spent (once at least,
    `repeats` times at most), without a warm-up when a single run is already slow."""
    result = Result(operation)
    try:
        kwargs, result.detail = operation.setup()
        log(f"{operation.name} ({result.detail})")
        app_answer = operation.app_answer(operation.app(**kwargs))  # warm-up, and the answer to compare
        result.same_answer = app_answer == operation.lower_bound(**kwargs)
        with CaptureQueriesContext(connection) as queries:
            operation.app(**kwargs)
        result.app_queries = len(queries.captured_queries)
        for _ in range(repeats):
            result.app.append(_timed(operation.app, kwargs)[0])
            result.lower_bound.append(_timed(operation.lower_bound, kwargs)[0])
        if operation.naive is not None:
            spent, first = _timed(operation.naive, kwargs)
            result.same_answer = result.same_answer and first == operation.naive_part(app_answer)
            if spent > naive_budget / repeats:  # too slow to warm up: the first run counts
                result.naive.append(spent)
            while len(result.naive) < repeats and sum(result.naive) + spent < naive_budget:
                spent = _timed(operation.naive, kwargs)[0]
                result.naive.append(spent)
        log(
            f"  app {_ms(result.app_median)} ms, lower bound {_ms(result.lower_median)} ms, "
            f"naive {_ms(result.naive_median)} ms, same answer: {_yes(result.same_answer)}"
        )
    except Exception as error:  # one broken operation must not hide the others' figures
        result.error = f"{type(error).__name__}: {error}".splitlines()[0][:200]
        log(f"  failed: {result.error}")
    return result


def run(operations=None, *, repeats: int = 7, naive_budget: float = 120.0, log=print) -> list[Result]:
    return [
        measure(op, repeats=repeats, naive_budget=naive_budget, log=log)
        for op in (OPERATIONS if operations is None else operations)
    ]


# ---- the table -----------------------------------------------------------------------------------

COLUMNS = [
    "operation",
    "app path (ms)",
    "lower bound (ms)",
    "app ÷ lower bound",
    "naive (ms)",
    "naive ÷ app",
    "app queries",
    "runs (app/lower/naive)",
    "same answer",
    "target",
    "met",
]


def _ms(seconds) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def _ratio(value) -> str:
    return "–" if value is None else f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def _yes(value) -> str:
    return {True: "yes", False: "no", None: "–"}[value]


def rows(results: list[Result]) -> list[list[str]]:
    table = []
    for r in results:
        name = f"{r.operation.name} ({r.detail})" if r.detail else r.operation.name
        if r.error:
            table.append(
                [name, f"error: {r.error}"]
                + [""] * (len(COLUMNS) - 4)
                + [r.operation.target.text if r.operation.target else "–", r.verdict]
            )
            continue
        table.append(
            [
                name,
                _ms(r.app_median),
                _ms(r.lower_median),
                _ratio(r.vs_lower),
                _ms(r.naive_median),
                _ratio(r.naive_vs_app),
                "–" if r.app_queries is None else str(r.app_queries),
                f"{len(r.app)}/{len(r.lower_bound)}/{len(r.naive) if r.operation.naive else '–'}",
                _yes(r.same_answer),
                r.operation.target.text if r.operation.target else "–",
                r.verdict,
            ]
        )
    return table


def markdown_table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join("---" for _ in COLUMNS) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(results)]
    return "\n".join(lines)


def write_block(path, block: str) -> None:
    """Put `block` between the markers in the file at `path` (added at the end when missing)."""
    from pathlib import Path

    path = Path(path)
    text = path.read_text() if path.exists() else ""
    wrapped = f"{MARK_BEGIN}\n{block.strip()}\n{MARK_END}"
    if MARK_BEGIN in text and MARK_END in text:
        before, rest = text.split(MARK_BEGIN, 1)
        after = rest.split(MARK_END, 1)[1]
        text = before + wrapped + after
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + wrapped + "\n"
    path.write_text(text)
