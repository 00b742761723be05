from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from supervision.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source: Path, yes: bool, **options):
        if not yes:
            answer = input(f"Replace everything in the database with {source}? Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            database_restore(source=source)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        # What is cached is keyed by audit ids (dashboards.cache), and a restored database
        # hands out again the ids used after the backup was made: nothing kept may be read.
        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
