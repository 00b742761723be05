from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from supervision.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite file copy or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write; default backups/<time>.")

    def handle(self, *args, output: Path | None, **options):
        suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
        output = output or Path("backups") / f"goodenough-{timezone.now():%Y%m%d-%H%M%S}{suffix}"
        try:
            path = database_backup(output=output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
