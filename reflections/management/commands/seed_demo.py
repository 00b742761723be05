from django.core.management.base import BaseCommand

from supervision.demo import DEMO_PASSWORD, PEOPLE, demo_people_seed


class Command(BaseCommand):
    help = "Create synthetic demo people, relationships and a group. Safe to run again."

    def handle(self, *args, **options):
        demo_people_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password for all):"))
        for p in PEOPLE:
            self.stdout.write(f"  {p.role.label:<11} {p.email:<22} {DEMO_PASSWORD}")
