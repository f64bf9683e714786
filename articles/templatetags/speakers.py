"""``{% speaker_role statement as role %}``: the role an article wrote beside the role held."""

from __future__ import annotations

from django import template

from articles.roles import roles_by_speaker, statement_role

register = template.Library()


@register.simple_tag(takes_context=True)
def speaker_role(context, statement, day=None):
    """The statement's :class:`articles.roles.RoleCheck` (None without a resolved speaker);
    ``day``: the article's date when the page has it (saves loading the article).

    The speakers' roles are read once per request (kept on the request), not once per
    statement: one cache read for a page of statements instead of one each."""
    if statement.speaker_id is None:
        return None
    request = getattr(context, "request", None)
    roles = getattr(request, "_speaker_roles", None)
    if roles is None:
        roles = roles_by_speaker()
        if request is not None:
            request._speaker_roles = roles
    return statement_role(statement, day, roles=roles)
