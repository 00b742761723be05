import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from reflections.export import person_export
from supervision import audit
from supervision.models import AuditAction, User


class Command(BaseCommand):
    help = (
        "Print everything one person wrote as JSON (the format of 'Download my records'), "
        "for the operator: an erased person's retained records, or a request made outside "
        "the app. Writes an EXPORT audit row with no actor."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", type=int, help="The person's id (as in the admin).")

    def handle(self, *args, **options):
        person = User.objects.filter(pk=options["person"]).first()
        if person is None:
            raise CommandError(f"There is no person with id {options['person']}.")
        with transaction.atomic():
            data = person_export(person)
            audit.record(actor=None, action=AuditAction.EXPORT, obj=person, owner=person)
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
