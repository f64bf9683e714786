"""Request bodies: JSON (and forms where a client needs them), never with a NUL character."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import QueryDict
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


def _texts(data: Any) -> Iterable[str]:
    """Every string in parsed request data: keys and values, nested lists and objects."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, QueryDict):
        for key, values in data.lists():
            yield key
            for value in values:
                yield from _texts(value)
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _texts(key)
            yield from _texts(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _texts(value)


class RejectNulMixin:
    """A parser whose data may hold no NUL character anywhere: a 400 at the door, instead of
    a 500 from PostgreSQL (which refuses NUL in text) in whichever field forgot to check."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        data = getattr(parsed, "data", parsed)  # MultiPartParser returns DataAndFiles
        if any("\x00" in text for text in _texts(data)):
            raise ParseError("The request body contains a NUL character (\\u0000).")
        return parsed


class StrictJSONParser(RejectNulMixin, JSONParser):
    """JSON bodies, NUL refused."""


class StrictFormParser(RejectNulMixin, FormParser):
    """Form bodies, NUL refused."""


class StrictMultiPartParser(RejectNulMixin, MultiPartParser):
    """Multipart bodies, NUL refused."""
