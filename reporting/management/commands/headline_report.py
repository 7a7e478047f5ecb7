"""python manage.py headline_report --period "21/22 H1" [--format table|csv|xlsx|json] [--output FILE]"""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting.headline import headline_report, period_for_label, period_for_range, period_to_date
from reporting.text_table import report_table

FORMATS = ["table", "csv", "xlsx", "json"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date like 2022-02-28") from None


def _fail(message: str):
    """Bad arguments: one line saying what is wrong, exit status 2."""
    sys.stderr.write(f"headline_report: {message}\n")
    sys.exit(2)


class Command(BaseCommand):
    help = (
        "Print the headline indicators for a period by the charity's counting rules (docs/indicators.md). "
        'Give one of --period ("21/22 H1" or "21/22"), --from and --to, or --to-date. The JSON form is '
        "the stable machine interface."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # one line, status 2, instead of argparse's usage block
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--period", help='A financial year "21/22" or half-year "21/22 H1".')
        parser.add_argument("--from", dest="start", help="First day of a custom range, YYYY-MM-DD (with --to).")
        parser.add_argument("--to", dest="end", help="Last day of a custom range, YYYY-MM-DD (with --from).")
        parser.add_argument("--to-date", dest="to_date", help="Everything up to and including this day, YYYY-MM-DD.")
        parser.add_argument("--format", default="table", help="table (default), csv, xlsx or json.")
        parser.add_argument("--output", help="Write to this file instead of standard output (required for xlsx).")
        parser.add_argument(
            "--suppress", action="store_true", help="Suppress small numbers in the table (off by default)."
        )

    def handle(self, *args, **options):
        try:
            period = self._period(options)
            fmt = options["format"]
            if fmt not in FORMATS:
                raise ValueError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
            if fmt == "xlsx" and not options["output"]:
                raise ValueError("--format xlsx writes a file: give --output FILE")
        except ValueError as error:
            _fail(str(error))

        report = headline_report(period)
        content = self._render(report, fmt, suppress=options["suppress"])
        if options["output"]:
            try:
                mode = "wb" if isinstance(content, bytes) else "w"
                with open(
                    options["output"], mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})
                ) as out:
                    out.write(content)
            except OSError as error:
                raise CommandError(f"cannot write {options['output']}: {error.strerror}") from None
        else:
            self.stdout.write(content, ending="")

    def _period(self, options):
        given = [name for name in ("period", "start", "end", "to_date") if options[name]]
        if options["period"] and len(given) == 1:
            return period_for_label(options["period"])
        if options["to_date"] and len(given) == 1:
            return period_to_date(_day(options["to_date"]))
        if set(given) == {"start", "end"}:
            return period_for_range(_day(options["start"]), _day(options["end"]))
        if not given:
            raise ValueError('say which period: --period "21/22 H1", --from and --to, or --to-date')
        if given in (["start"], ["end"]):
            raise ValueError("a custom range needs both --from and --to")
        raise ValueError("give only one of --period, --from/--to or --to-date")

    def _render(self, report, fmt, *, suppress):
        if fmt == "json":
            return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "table":
            return report_table(report)
        from reporting import exports

        if fmt == "csv":
            return exports.report_csv(report, suppress=suppress)
        return exports.report_xlsx(report, suppress=suppress)
