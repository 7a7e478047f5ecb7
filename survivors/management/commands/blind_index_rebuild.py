"""Rebuild the blind index of survivors' names: after a new BLIND_INDEX_KEY, or rows loaded in bulk (the demo)."""

from django.core.management.base import BaseCommand

from survivors.services import name_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the blind index of every survivor's names (needed after changing BLIND_INDEX_KEY)."

    def handle(self, *args, **options):
        count = name_index_rebuild()
        self.stdout.write(f"Indexed the names of {count} survivors.")
