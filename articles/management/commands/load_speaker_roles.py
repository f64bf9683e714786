"""``manage.py load_speaker_roles``: give stored speakers their shipped, dated roles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.models import Speaker
from articles.roles import RolesFileError, attach_roles, read_roles


class Command(BaseCommand):
    help = (
        "Attach the dated roles of articles/data/speaker_roles.csv to the speakers already "
        "stored (ingestion attaches them to speakers it creates). Idempotent, one transaction."
    )

    def handle(self, *args, **options):
        try:
            shipped = read_roles()
        except RolesFileError as exc:
            raise CommandError(str(exc)) from None
        written = attach_roles(Speaker.objects.filter(name__in=list(shipped)), shipped)
        self.stdout.write(f"{written} dated roles attached to stored speakers.")
