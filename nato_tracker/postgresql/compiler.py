"""Django's PostgreSQL SQL compilers, with small bulk inserts written as ``VALUES`` rows.

Django 5.2 inserts every batch of two rows or more as ``SELECT * FROM UNNEST(%s::type[], …)``,
one array parameter per column, which saves the server planning time on large batches. The
client pays a fixed price for it on every insert: Django works out each column's type again
(``ForeignKey.db_type`` builds a field each time) and psycopg dumps each array in Python
(``ListDumper``). An ingested article writes 14 batches of a median of 2 to 13 rows; there
the arrays cost about 15% of the command's CPU time (docs/ingestion.md). Measured per
``bulk_create`` of statements (client CPU, ms): 3 rows 0.55 as ``VALUES`` against 0.97 as
``UNNEST``, 12 rows 0.90 against 1.03, 25 rows 1.69 against 1.43, 50 rows 2.97 against
2.05: past about 20 rows ``UNNEST`` is the cheaper, so batches of :data:`UNNEST_MIN_ROWS`
rows or more (a reference-data load, a long article) keep it.
"""

from __future__ import annotations

from django.db.backends.postgresql import compiler
from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLCompiler,
    SQLDeleteCompiler,
    SQLUpdateCompiler,
)

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]

#: Bulk inserts of fewer rows than this are sent as ``VALUES`` rows, larger ones as ``UNNEST``.
UNNEST_MIN_ROWS = 20


class SQLInsertCompiler(compiler.SQLInsertCompiler):
    def assemble_as_sql(self, fields, value_rows):
        if len(value_rows) < UNNEST_MIN_ROWS:
            # Django's generic form (one placeholder per value), skipping PostgreSQL's UNNEST.
            return super(compiler.SQLInsertCompiler, self).assemble_as_sql(fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
