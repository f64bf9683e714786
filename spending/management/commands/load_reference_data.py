"""Load the allies, targets, sources and official NATO figures shipped in spending/data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from spending.cache import bump_data_version
from spending.reference_data import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load (or refresh) the reference data: allies, aliases, targets, sources, figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.REFERENCE_DATA_DIR,
            help="Folder holding the reference CSV files (default: the shipped copy).",
        )

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = load_reference_data(data_dir)
        except ReferenceDataError as exc:
            raise CommandError(
                f"Nothing was loaded: {len(exc.errors)} problem(s) in {data_dir}:\n"
                + "\n".join(exc.errors)
            ) from exc
        bump_data_version()
        self.stdout.write(self.style.SUCCESS(f"Loaded {report}"))
