"""Send reads to the read replica when one is configured (``DATABASE_REPLICA_URL``).

Writes always go to ``default`` (the primary). Reads go to ``replica`` unless the primary is in a
transaction, or this request (or command) has already written: from then on it reads from the
primary, so it always sees its own writes despite replication lag. Migrations run on the primary
only; the replica receives them by replication.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_started
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_wrote: ContextVar[bool] = ContextVar("nato_tracker_wrote", default=False)


def _new_request(**kwargs) -> None:
    _wrote.set(False)


request_started.connect(_new_request, dispatch_uid="nato_tracker.db_router.new_request")


class PrimaryReplicaRouter:
    """Primary for writes and for reads after a write; the replica (if any) for other reads."""

    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return None
        if _wrote.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
