import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from seeds.scale import ScaleSeed
from survivors.models import Survivor


class Command(BaseCommand):
    help = (
        "Load a national-programme-sized data set for benchmarks: at --survivors 100000 about 150,000 cases, "
        "2,000,000 follow-ups, 500,000 other case events, 300 Navigators in 60 teams across GB, RO and BD, "
        "country leads, one M&E user (logins 'lead.gb', 'me', 'navigator.gb.01.1'… with the demo password), "
        "training and prevention sessions; everything scales with --survivors. Deterministic for a given "
        "--seed and --today, dated over the last six financial years. Bulk-loaded with PostgreSQL COPY in one "
        "transaction, with the object permissions the casework services would grant. History: one '+' "
        "(created) history row per loaded record, copied inside PostgreSQL and naming the Navigator who "
        "recorded it where the record says who; --no-history writes none. Survivor identities, names and "
        "their blind index are not generated (each survivor has a unique case reference). Refuses to run on "
        "a database that already has survivors: load into a fresh, migrated database. Ends with ANALYZE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survivors", type=int, default=100_000, help="how many survivors (default 100000)")
        parser.add_argument("--seed", type=int, default=5, help="random seed (default 5)")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the day the data is dated to (YYYY-MM-DD; default today)",
        )
        parser.add_argument("--no-history", action="store_true", help="write no history rows for the loaded records")

    def handle(self, *args, survivors, seed, today, no_history, **options):
        if survivors < 50:
            raise CommandError("--survivors must be at least 50")
        if Survivor.objects.exists():
            raise CommandError("this database already has survivors: seed_scale loads only into a database without any")
        started = time.monotonic()
        verbose = options["verbosity"] > 0
        builder = ScaleSeed(
            survivors=survivors,
            seed=seed,
            today=today or timezone.localdate(),
            history=not no_history,
            log=self.stdout.write if verbose else None,
        )
        with transaction.atomic():
            counts = builder.run()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>10,}")
        self.stdout.write(f"Seeded {survivors:,} survivors (seed {seed}, dated {builder.today}) in {elapsed:.0f} s.")
