"""``{{ url|web_url }}``: an address from the data, or "" when it is not http(s)
(nato_tracker.links). Every link to another site that the data supplies goes through it."""

from __future__ import annotations

from django import template

from nato_tracker.links import web_url as _web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    return _web_url(value)
