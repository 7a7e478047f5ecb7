"""Write an encrypted backup of the whole database (navigators/backups.py; docs/security.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from navigators.backups import BackupError, backup_write


class Command(BaseCommand):
    help = "Write an encrypted pg_dump of the database to FILE, encrypted with BACKUP_ENCRYPTION_KEY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="The backup file to write (must not exist)."
        )
        parser.add_argument("--database", default="default", help="The database alias to back up (default: default).")

    def handle(self, *args, output, database, **options):
        if database not in connections:
            raise CommandError(f"no database alias {database!r}")
        settings_dict = connections[database].settings_dict
        try:
            size = backup_write(output=Path(output), database=settings_dict)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote an encrypted backup of database {settings_dict['NAME']!r} to {output} ({size:,} bytes)."
        )
