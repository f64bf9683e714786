"""The one rule for addresses of other sites that the data holds (an article's original, a
source's page): ``http`` or ``https`` with a host, nothing else.

A ``javascript:``, ``data:`` or ``file:`` address in an article's metadata would otherwise be
shown as its "original" link. Ingestion and the reference-data loader refuse such addresses
(:func:`is_web_url`); everything that shows one — pages (the ``web_url`` filter), JSON-LD, the
API — goes through :func:`web_url`, so an address stored before the check is never a link.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

WEB_SCHEMES = ("http", "https")
_validate = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(value: object) -> bool:
    """True for an absolute ``http(s)://host/...`` address (no spaces, no control characters)."""
    return isinstance(value, str) and bool(value) and _is_web_address(value)


@functools.lru_cache(maxsize=4096)
def _is_web_address(value: str) -> bool:
    """:func:`is_web_url` of a string, worked out once per address: a list of thousands of
    rows shows the addresses of a few articles or sources (the CSV of every statement, 11,000
    rows, checked each of them character by character and by the validator's regex)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return False
    try:
        _validate(value)
    except ValidationError:
        return False
    return True


def web_url(value: object) -> str:
    """``value`` when it is a web address (:func:`is_web_url`), else ``""``."""
    return value if is_web_url(value) else ""  # type: ignore[return-value]


def web_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as a web address, or ``None`` (empty is allowed)."""
    if not value or is_web_url(value):
        return None
    return f"{value[:60]!r} is not an http(s) address"
