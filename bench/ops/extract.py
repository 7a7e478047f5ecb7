"""An anonymised case-level extract of 100,000 rows: streamed; peak memory ≤ 200 MB.

Peak memory is a property of a whole process, so each extract runs in a child process of its own
(`python -m bench.ops.extract streamed|naive ROWS`, with the parent's settings and DATABASE_URL) that
reports its peak resident set size (VmHWM, see `_peak_mb`) and, for comparison, the same figure just
after Django was set up and connected. The streamed child reads the application's
own response (reporting.exports.case_extract.case_extract_response) chunk by chunk and stops after
ROWS rows; the naive child runs the same query, keeps every row in a list and writes the whole file
before answering, as a first version would. Both take every case to date, so at 100,000 survivors
(150,257 cases) the first 100,000 rows of the same ordered result.
"""

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.harness import Figure, Measurement, register_measurement

ROWS = 100_000
LIMIT_MB = 200
PROJECT = Path(__file__).resolve().parents[2]


def _peak_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB.

    Not getrusage's ru_maxrss: Linux carries that over exec from the process that spawned this one
    (subprocess uses vfork), so a child of a 400 MB parent reports 400 MB before it has done anything.
    VmHWM is the high-water mark of this program's own memory.
    """
    with open("/proc/self/status") as status:
        kilobytes = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kilobytes / 1024


def _everything():
    from django.utils import timezone

    from reporting.figures import ReportPeriod

    return ReportPeriod(None, date(2000, 1, 1), timezone.localdate())


def _streamed(rows: int) -> tuple[int, int]:
    """(rows, bytes) of the application's streamed response, read until `rows` rows."""
    from reporting.exports.case_extract import case_extract_response

    response = case_extract_response(_everything())
    read, size = -1, 0  # the header is not a row
    try:
        for chunk in response.streaming_content:
            lines = chunk.count(b"\n")
            if read + lines >= rows:  # the wanted row ends in this chunk: keep up to its newline
                end = -1
                for _ in range(rows - read):
                    end = chunk.index(b"\n", end + 1)
                return rows, size + end + 1
            read, size = read + lines, size + len(chunk)
        return read, size
    finally:
        response.close()  # closes the server-side cursor, as when a download stops


def _naive(rows: int) -> tuple[int, int]:
    """(rows, bytes) of the first version: the whole result in a list, the whole file in memory, then sent."""
    import csv
    import io

    from django.conf import settings
    from django.db import connection
    from django.http import HttpResponse

    from reporting.exports.case_extract import HEADER, case_extract_sql, keyed_rows, new_row_key

    sql, params = case_extract_sql(_everything(), threshold=settings.REPORTING_SUPPRESSION_THRESHOLD)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS extract LIMIT %(rows)s", {**params, "rows": rows})
        result = cursor.fetchall()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(keyed_rows(result, new_row_key()))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return len(result), len(response.content)


def child(mode: str, rows: int) -> dict:
    """Run in the child process: one extract, and what it cost."""
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    import reporting.exports.case_extract  # noqa: F401  (imported before the baseline: code, not data)

    baseline = _peak_mb()
    started = time.perf_counter()
    got, size = {"streamed": _streamed, "naive": _naive}[mode](rows)
    seconds = time.perf_counter() - started
    return {"rows": got, "bytes": size, "seconds": seconds, "peak_mb": _peak_mb(), "baseline_mb": baseline}


def _in_child(mode: str, rows: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.ops.extract", mode, str(rows)],
        cwd=PROJECT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the {mode} extract failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _describe(found: dict) -> str:
    return (
        f"{found['rows']:,} rows, {found['bytes'] / 1e6:.1f} MB CSV in {found['seconds']:.1f} s "
        f"({found['rows'] / found['seconds']:,.0f} rows/s); peak memory {found['peak_mb']:.0f} MB "
        f"(Django alone {found['baseline_mb']:.0f} MB)"
    )


def extract_run(quick: bool) -> Figure:
    from casework.models import Case

    cases = Case.objects.count()
    wanted = cases if quick else ROWS
    streamed = _in_child("streamed", wanted)
    naive = _in_child("naive", wanted)
    met = streamed["peak_mb"] <= LIMIT_MB and streamed["rows"] == wanted
    return Figure(
        value=f"{_describe(streamed)}; naive (whole list, then write): peak {naive['peak_mb']:.0f} MB in {naive['seconds']:.1f} s",
        how=(
            f"every case to date ({cases:,}), read to row {wanted:,} in a child process; its peak RSS (VmHWM), "
            f"Django set up and connected counted in it; server-side cursor, {_chunk_size():,} rows a chunk"
        ),
        met=met,
    )


def _chunk_size() -> int:
    from reporting.exports.case_extract import CHUNK_SIZE

    return CHUNK_SIZE


register_measurement(
    Measurement(
        name="an anonymised case-level extract of 100,000 rows",
        run=extract_run,
        target=f"streamed; peak memory ≤ {LIMIT_MB} MB",
    )
)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")
    print(json.dumps(child(sys.argv[1], int(sys.argv[2]))))
