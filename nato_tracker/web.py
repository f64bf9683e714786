"""The web side every page shares: a page's answer to a bad request, and its query parameters.

- :class:`PageError` is how a page says "400: this input is bad" or "404: no such thing";
  :func:`page_view` turns it into the error page (and :class:`PageRedirect` into a 301), so a
  view has no ``try/except`` of its own.
- :func:`check_params` is the one rule for query parameters a page does not take: a 400 that
  names the parameter, suggests the page's own name for it and lists the accepted ones.

Both the official-figures pages (:mod:`pages`) and the statements pages (:mod:`articles.views`)
use them.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable

from django.http import HttpResponsePermanentRedirect

from nato_tracker.views import error_page


class PageError(Exception):
    """A request that cannot be answered; ``status`` is 400 (bad input) or 404 (not found)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


#: Parameters a page ignores: campaign tags that links from newsletters and social media carry.
IGNORED_PARAM_PREFIXES = ("utm_",)
#: Names people use for a page's parameters, and the page's name for them: only a hint in the
#: 400 (never read as the parameter). The statements page takes the API's names itself
#: (``published_after``, ``published_before``: one FilterSet, :mod:`articles.filters`).
PARAM_HINTS = {
    "from": "published_after",
    "to": "published_before",
    "date_from": "published_after",
    "date_to": "published_before",
    "since": "published_after",
    "until": "published_before",
    "after": "published_after",
    "before": "published_before",
    "search": "q",
    "query": "q",
    "text": "q",
    "country": "ally",
    "member": "ally",
    "iso3": "ally",
    "asof": "as_of",
    "as-of": "as_of",
    "date": "as_of",
    "vintage": "edition",
    "source": "edition",
    "years": "year",
    "target": "line",
}


def check_params(params: Iterable[str], allowed: Iterable[str]) -> None:
    """Raise a 400 :class:`PageError` for a query parameter the page does not take.

    The reason names the parameter, suggests the page's own name for a misnamed one
    (``from`` → ``published_after``) and lists the parameters the page accepts.
    """
    allowed = list(allowed)
    unknown = [
        name
        for name in params
        if name not in allowed and not name.startswith(IGNORED_PARAM_PREFIXES)
    ]
    if not unknown:
        return
    name = unknown[0]
    shown = name[:40]
    hint = PARAM_HINTS.get(name.lower())
    if hint not in allowed:
        close = difflib.get_close_matches(name.lower(), allowed, n=1, cutoff=0.6)
        hint = close[0] if close else None
    reason = f"This page does not take the parameter {shown!r}"
    reason += f" (did you mean {hint!r}?)." if hint else "."
    if name in ("edition", "as_of") and hint is None:
        reason += (
            " Statements, speakers, articles and the methodology are not tied to one edition"
            " (a figure linked to a statement names its own)."
        )
    if allowed:
        reason += " It accepts: " + ", ".join(allowed) + "."
    else:
        reason += " It takes no parameters."
    raise PageError(400, reason)


class PageRedirect(Exception):
    """Answer with a 301 to ``url`` (an old slug or alias of what the request names)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def page_view(view: Callable) -> Callable:
    """Decorate a page view: a :class:`PageError` raised inside it becomes the error page with
    its status and reason, a :class:`PageRedirect` a permanent redirect."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PageRedirect as redirect:
            return HttpResponsePermanentRedirect(redirect.url)
        except PageError as exc:
            return error_page(request, exc.status, exc.reason)

    return wrapped
