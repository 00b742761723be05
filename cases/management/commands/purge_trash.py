from django.core.management.base import BaseCommand

from cases.services import TRASH_DAYS, session_log_purge_trash


class Command(BaseCommand):
    help = f"Delete drafts that have been in the trash for more than {TRASH_DAYS} days."

    def handle(self, *args, **options):
        count = session_log_purge_trash()
        self.stdout.write(f"Removed {count} drafts from the trash.")
