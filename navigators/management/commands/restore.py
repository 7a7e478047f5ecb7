"""Restore an encrypted backup into an empty database (navigators/backups.py; docs/security.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from navigators.backups import BackupError, database_from_url, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an empty database (the configured one, or --database-url)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="FILE", help="The backup file.")
        parser.add_argument(
            "--database-url", metavar="URL", help="postgresql://… of the empty database to restore into."
        )

    def handle(self, *args, input, database_url, **options):
        if database_url:
            try:
                target = database_from_url(database_url)
            except (
                Exception
            ):  # dj-database-url raises several kinds; the URL itself is not echoed (it may hold a password)
                raise CommandError("--database-url must be a postgresql:// URL") from None
            if not target.get("ENGINE", "").endswith("postgresql"):
                raise CommandError("--database-url must be a postgresql:// URL")
        else:
            target = connections["default"].settings_dict
        try:
            restore(source=Path(input), database=target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {input} into database {target['NAME']!r}.")
