"""``{% site_nav %}``: the site's header and main navigation (``includes/site_nav.html``).

For an anonymous visitor it depends only on the page's URL name and namespace (which link is
the current page), the URLconf, the script prefix and the language: it is rendered once per
process for each of them and written again from memory (ten ``{% url %}`` and the template's
nodes cost ~0.3 ms of CPU on every page). A signed-in user's (a sign-out form with its CSRF
token, the editor's link by permission) is rendered every time.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

NAV_TEMPLATE = "includes/site_nav.html"
#: The anonymous navigation by (URL name, namespace, URLconf, script prefix, language).
_anonymous: dict[tuple, SafeString] = {}
#: At most this many are kept (a few per page of the site).
MAX_KEPT = 256


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    user = context.get("user")
    if user is None or user.is_authenticated:
        return _render(context)
    match = getattr(context.get("request"), "resolver_match", None)
    key = (
        getattr(match, "url_name", None),
        getattr(match, "namespace", None),
        get_urlconf(),
        get_script_prefix(),
        get_language(),
    )
    html = _anonymous.get(key)
    if html is None:
        html = _render(context)
        if len(_anonymous) < MAX_KEPT:
            _anonymous[key] = html
    return html


def _render(context) -> SafeString:
    """``includes/site_nav.html`` in the page's own context, as ``{% include %}`` renders it."""
    return mark_safe(context.template.engine.get_template(NAV_TEMPLATE).render(context))
