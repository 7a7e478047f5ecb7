"""Re-encrypt every encrypted value, live and history tables, with the first of FIELD_ENCRYPTION_KEYS.

The way to a new key (docs/security.md): set FIELD_ENCRYPTION_KEYS=new,old, run this, then drop the old
key. Values already under the new key are left as they are, so a run that stopped can simply be run
again. `--blind-index` also rebuilds the blind index of names, which is keyed by BLIND_INDEX_KEY: give it
when that key changed too (the field keys do not touch the blind index).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from survivors.encryption import DecryptionError, encrypted_columns, reencrypt, rewrite_columns
from survivors.services import name_index_rebuild


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column (live and history) with the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--blind-index",
            action="store_true",
            help="Also rebuild the blind index of survivors' names (needed after changing BLIND_INDEX_KEY).",
        )

    def handle(self, *args, batch_size, blind_index, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        tables = rows = values = 0
        for model, fields in encrypted_columns(apps.get_models()):
            try:
                read, rewritten = rewrite_columns(model, fields, reencrypt, batch_size=batch_size)
            except DecryptionError as error:
                # Batches already done stay done; the failing one was rolled back. Nothing printed but the table.
                raise CommandError(f"{model._meta.db_table}: {error}") from None
            tables, rows, values = tables + 1, rows + read, values + rewritten
            if options["verbosity"] > 1:
                self.stdout.write(f"{model._meta.db_table}: {rewritten} values re-encrypted in {read} rows")
        self.stdout.write(f"Re-encrypted {values} values ({rows} rows in {tables} tables) with the first key.")
        if blind_index:
            count = name_index_rebuild()
            self.stdout.write(f"Rebuilt the blind index of {count} survivors' names.")
