"""``manage.py recheck_claims``: check every stored figure, claim and list again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.ingestion import recheck_all


class Command(BaseCommand):
    help = (
        "Check every figure, alliance-level claim and list of allies reported in articles again "
        "against the official figures now loaded: run it after load_reference_data brings a new "
        "NATO edition. Editors' verdicts are kept; each article is one transaction."
    )

    def handle(self, *args, **options):
        articles, changed = recheck_all()
        self.stdout.write(f"Checked {articles} articles again: {changed} checks changed.")
