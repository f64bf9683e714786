"""``manage.py ingest_articles ARGS...`` in which the article whose path ends with ENDLESS never
ends: its worker waits until it is stopped (past the time budget, or with the command).

    python tests/ingest_with_endless_article.py ENDLESS ARGS...

For the tests of a batch interrupted or past a time budget, which must not depend on how long
a real article takes on a loaded machine.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nato_tracker.settings")
django.setup()

from django.core.management import execute_from_command_line  # noqa: E402

from articles.ingestion import Ingestor  # noqa: E402

endless, *arguments = sys.argv[1:]
ingest = Ingestor.ingest


def ingest_unless_endless(self, document):
    if document.path.endswith(endless):
        while True:
            signal.pause()
    return ingest(self, document)


Ingestor.ingest = ingest_unless_endless
execute_from_command_line(["manage.py", "ingest_articles", *arguments])
