from django.core.management.base import BaseCommand

from accounts.models import KEPT_DAYS
from accounts.services import kept_draft_purge


class Command(BaseCommand):
    help = f"Delete forms kept at the idle limit more than {KEPT_DAYS} days ago and never saved."

    def handle(self, *args, **options):
        count = kept_draft_purge()
        self.stdout.write(f"Removed {count} kept drafts.")
