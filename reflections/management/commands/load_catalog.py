from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reflections.catalog_loader import DEFAULT_PATH, CatalogError, catalog_load


class Command(BaseCommand):
    help = (
        "Load the catalog (patterns, presentations, questions, practices, strengths) from seeds/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH)

    def handle(self, *args, path: Path, **options):
        try:
            report = catalog_load(path=path)
        except (CatalogError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for label in report.created:
            self.stdout.write(f"created {label}")
        for label in report.updated:
            self.stdout.write(f"updated {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalog loaded: {len(report.created)} created, "
                f"{len(report.updated)} updated, {report.unchanged} unchanged."
            )
        )
