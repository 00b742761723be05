import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases.models import Pattern
from demo.scale import DEFAULT_SEED, ScaleError, ScaleOptions, scale_hours_settings, scale_seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic case work at clinic-network scale for the "
        "benchmark: by default 500 supervisees, 50 supervisors, 40 groups and three years "
        "of weekly sessions (about 80,000 logs). Bulk inserts; deterministic for a seed."
    )

    def add_arguments(self, parser):
        defaults = ScaleOptions()
        parser.add_argument("--supervisees", type=int, default=defaults.supervisees)
        parser.add_argument("--supervisors", type=int, default=defaults.supervisors)
        parser.add_argument("--groups", type=int, default=defaults.groups)
        parser.add_argument(
            "--weeks", type=int, default=defaults.weeks, help="History length (156: 3 years)."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        scale = ScaleOptions(
            supervisees=options["supervisees"],
            supervisors=options["supervisors"],
            groups=options["groups"],
            weeks=options["weeks"],
            seed=options["seed"],
            batch_size=options["batch_size"],
        )
        if not Pattern.objects.exists():
            call_command("load_catalog", stdout=io.StringIO())
            self.stdout.write("Catalog loaded from seeds/.")
        started = time.monotonic()
        bar = tqdm(
            total=scale.supervisees,
            unit="supervisee",
            desc="seed_scale",
            disable=options["no_progress"] or options["verbosity"] < 1,
        )
        try:
            counts = scale_seed(options=scale, progress=bar.update)
        except ScaleError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        counts["hours settings"] = scale_hours_settings(seed=scale.seed)
        for label, n in sorted(counts.items()):
            self.stdout.write(f"{label:<32} {n:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {sum(counts.values()):,} rows in {time.monotonic() - started:.1f} s."
            )
        )
