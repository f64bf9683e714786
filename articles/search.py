"""The stored search document of a statement: what full-text search reads on PostgreSQL.

:data:`SEARCH_CONFIG` is the text search configuration. ``Statement.search_document`` is a
generated, stored column (:class:`StoredSearchVector`): on PostgreSQL the ``tsvector`` of the
quote and the speaker's name as written, kept up to date by the database itself and indexed
with GIN, so a search reads it instead of parsing every quote again (``to_tsvector`` on each row
was most of a search's time); on other databases (SQLite) it is always NULL and unused. The
search rule itself stays in one place, :func:`articles.selectors.filter_statements_by_words`.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector

SEARCH_CONFIG = "english"


class StoredSearchVector(SearchVector):
    """``SearchVector`` for a ``GeneratedField``: the vector on PostgreSQL, NULL elsewhere (a
    database without full-text search keeps an empty column, so one migration serves both)."""

    def as_sql(self, compiler, connection, *args, **kwargs):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, *args, **kwargs)
