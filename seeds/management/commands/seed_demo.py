from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from seeds.casework import DemoCasework
from seeds.organisation import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET, organisation_seed
from survivors.models import Survivor


class Command(BaseCommand):
    help = (
        "Build the demo charity: GB, RO and BD teams, TH and IN partners, demo users and about 300 survivors "
        "over the last three financial years. Deterministic for a given --seed and --today; a second run "
        "changes nothing (casework is added only to a database that has no survivors yet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--survivors", type=int, default=300, help="about how many survivors (default 300)")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="the day the demo is dated to (YYYY-MM-DD)"
        )

    def handle(self, *args, seed, survivors, today, **options):
        today = today or timezone.localdate()
        if survivors < 10:
            raise CommandError("--survivors must be at least 10")
        with transaction.atomic():
            org = organisation_seed(members_since=date(today.year - 4, 9, 1))
            if Survivor.objects.exists():
                self.stdout.write("Case data is already present: no demo casework added.")
            else:
                counts = DemoCasework(seed=seed, today=today, org=org).build(survivors).save()
                summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
                self.stdout.write(f"Seeded (seed {seed}, dated {today}): {summary}.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username in DEMO_LOGINS:
            user = org[username]
            roles = ", ".join(
                str(g.get_role_display()) + (f" {g.country_id}" if g.country_id else "") for g in user.role_grants.all()
            )
            self.stdout.write(f"  {username:<14} {roles}")
        self.stdout.write(
            f"Authenticator app for all, DEVELOPMENT ONLY: secret {DEMO_TOTP_SECRET} (add it to any authenticator app as a "
            "time-based key), or run `.venv/bin/python manage.py demo_code` for the current code."
        )
