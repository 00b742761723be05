"""Load the hours rule sets from seeds/hours/*.toml: new ones are added, known ones updated
by key; none is deleted (people may have chosen it)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hours.models import RuleSet
from hours.rule_sets import load_rule_set_files
from hours.rules import RuleSetError

DEFAULT_DIRECTORY = Path(settings.BASE_DIR) / "seeds" / "hours"


class Command(BaseCommand):
    help = "Load the licensure rule sets from seeds/hours/ (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=DEFAULT_DIRECTORY)

    @transaction.atomic
    def handle(self, *args, directory: Path, **options):
        try:
            parsed = load_rule_set_files(directory)
        except RuleSetError as exc:
            raise CommandError(str(exc)) from exc
        for definition in parsed:
            rule_set = RuleSet.objects.filter(key=definition["key"]).first() or RuleSet()
            rule_set.copy_from(definition)
            rule_set.save()
        self.stdout.write(f"{len(parsed)} rule sets loaded.")
