"""Load the allies, targets, sources and official NATO figures shipped in spending/data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nato_tracker.data_version import bump_data_version
from spending.reference_data import (
    ReferenceDataError,
    RemovalRefused,
    load_reference_data,
    some,
)


class Command(BaseCommand):
    help = "Load (or refresh) the reference data: allies, aliases, targets, sources, figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.REFERENCE_DATA_DIR,
            help="Folder holding the reference CSV files (default: the shipped copy).",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="Remove the figures the files no longer hold (refused otherwise, naming them; "
            "figures linked from statements are never removed).",
        )

    def handle(self, *args, data_dir: Path, allow_removals: bool, **options):
        try:
            report = load_reference_data(data_dir, allow_removals=allow_removals)
        except RemovalRefused as exc:
            raise CommandError(str(exc)) from exc
        except ReferenceDataError as exc:
            raise CommandError(
                f"Nothing was loaded: {len(exc.errors)} problem(s) in {data_dir}:\n"
                + "\n".join(exc.errors)
            ) from exc
        bump_data_version()
        self.stdout.write(self.style.SUCCESS(f"Loaded {report}"))
        if report.removed:
            self.stdout.write(f"Removed {len(report.removed):,} figure(s): {some(report.removed)}")
