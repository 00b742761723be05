from django.conf import settings
from django.core.management.base import BaseCommand

from reflections.erasure import expired_records_purge


class Command(BaseCommand):
    help = (
        "Delete the signed session logs of erased people whose sign-off is older than "
        "RECORD_RETENTION_YEARS, with their replies, answers, comments and addenda. Run daily."
    )

    def handle(self, *args, **options):
        count = expired_records_purge()
        self.stdout.write(
            f"Removed {count} signed logs past the {settings.RECORD_RETENTION_YEARS}-year "
            "retention period."
        )
