"""`python -m bench`: measure every registered operation on the benchmark database and write the table.

The database is `bench_<survivors>` on the same PostgreSQL server (the embedded one unless
DATABASE_URL is set), created, migrated and loaded with `seed_scale` the first time; later runs reuse
it. See docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", type=int, default=100_000, help="size of the data set (default 100000)")
    parser.add_argument(
        "--repeats", type=int, default=7, help="timed runs per measurement; medians are reported (default 7)"
    )
    parser.add_argument(
        "--naive-budget",
        type=float,
        default=180.0,
        help="seconds the naive approaches may take per operation (default 180; at least one run)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a tiny run to see that everything works: 500 survivors, 3 repeats, docs left alone",
    )
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database first, and seed it again")
    parser.add_argument("--only", default="", help="measure only the operations whose name contains this text")
    parser.add_argument(
        "--write", dest="write", action="store_true", default=None, help=f"write the table into {DOC.name}"
    )
    parser.add_argument("--no-write", dest="write", action="store_false", help="only print the table")
    args = parser.parse_args(argv)
    if args.quick:
        args.survivors, args.repeats, args.naive_budget = 500, 3, 30.0
    if args.write is None:
        args.write = not args.quick
    return args


def main(argv=None) -> int:
    args = parse(argv if argv is not None else sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.local")
    os.environ["DEBUG"] = "false"  # no query log: it would be measured too

    from bench import database

    name = f"bench_{args.survivors}"
    os.environ["DATABASE_URL"] = database.ensure_database(name, fresh=args.fresh)

    import django

    django.setup()
    from bench import harness, operations  # noqa: F401  (operations registers itself)

    started = time.monotonic()
    if database.ensure_seeded(args.survivors, stdout=sys.stdout):
        print(f"Seeded in {time.monotonic() - started:.0f} s.")
    chosen = [op for op in harness.OPERATIONS if args.only.lower() in op.name.lower()]
    measurements = [m for m in harness.MEASUREMENTS if args.only.lower() in m.name.lower()]
    load_before = os.getloadavg()[0]
    results = harness.run(chosen, repeats=args.repeats, naive_budget=args.naive_budget)
    figures = harness.run_measurements(measurements, quick=args.quick)
    load_after = os.getloadavg()[0]
    table = harness.markdown_table(results)
    if figures:
        table += "\n\nMeasured once each (not against a lower bound):\n\n" + harness.markdown_figures(figures)
    block = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on database `{name}`: {database.describe_data()}.",
            "",
            (
                f"Machine: {database.describe_machine()}. Load average (1 min) {load_before:.1f} before the measurements "
                f"and {load_after:.1f} after: above 1 the two cores were shared with other work and the times are noisier."
            ),
            "",
            f"Medians of {args.repeats} runs (the naive approach: as many as fit in {args.naive_budget:.0f} s, at least one).",
            "",
            table,
        ]
    )
    print()
    print(block)
    if args.write:
        harness.write_block(DOC, block)
        print(f"\nWritten to {DOC}.")
    failed = any(r.error or r.same_answer is False for r in results) or any(f.error for _, f in figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
