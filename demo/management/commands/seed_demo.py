from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from demo.casework import demo_casework_seed, demo_groupwork_seed, demo_supervision_seed
from demo.hours import demo_hours_seed
from demo.people import DEMO_PASSWORD, PEOPLE, demo_people_seed
from supervision.models import Notification


class Command(BaseCommand):
    help = "Create synthetic demo people, relationships, a group and case work. Safe to run again."

    def handle(self, *args, **options):
        # Months of demo history would otherwise mean hundreds of e-mails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            people = demo_people_seed()
            created = demo_casework_seed(people=people)
            demo_groupwork_seed(people=people)
            demo_supervision_seed(people=people)
            demo_hours_seed(people=people)
        if created:
            _leave_a_few_unread(people.values())
            self.stdout.write(f"Created {created} session logs with replies and answers.")
        else:
            self.stdout.write("Demo case work is already there; left as it is.")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (password for all):"))
        for p in PEOPLE:
            self.stdout.write(f"  {p.role.label:<11} {p.email:<22} {DEMO_PASSWORD}")


def _leave_a_few_unread(people, keep: int = 3) -> None:
    for person in people:
        newest = person.notifications.values_list("pk", flat=True)[:keep]
        Notification.objects.filter(recipient=person).exclude(pk__in=list(newest)).update(
            read_at=timezone.now()
        )
