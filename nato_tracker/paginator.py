"""A paginator that reads the page's rows before counting, and counts only when it must.

Django's ``Paginator.page()`` counts the whole list first (to check the page number), then
reads the page: two queries, each compiled and run. When the page read is not full, the count
is known without asking: the rows before it plus the rows on it (an empty first page: 0). Only
a full page, a page past the end (to say so) or ``page=last`` still count. A list shorter than
its page size (most searches) is then one query instead of two. A page number whose first row
lies past what a database can skip (64-bit ``OFFSET``) is counted first, as Django does, and is
then a page past the end.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

#: The largest ``OFFSET`` + ``LIMIT`` SQLite and PostgreSQL accept (a signed 64-bit integer).
LARGEST_OFFSET = 2**63 - 1


class RowsFirstPaginator(Paginator):
    def page(self, number):
        if self.orphans or "count" in self.__dict__:
            return super().page(number)
        number = self._whole(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > LARGEST_OFFSET:
            return super().page(number)  # counts, then says the page is past the end
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if 0 < len(rows) < self.per_page or (not rows and number == 1):
            self.__dict__["count"] = bottom + len(rows)  # Paginator.count is a cached_property
        self.validate_number(number)  # past the end: EmptyPage, as Django says it
        return self._get_page(rows, number, self)

    def _whole(self, number) -> int:
        """The page number as ``validate_number`` reads it, before anything is counted."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number
