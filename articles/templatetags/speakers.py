"""``{% speaker_role statement as role %}``: the role an article wrote beside the role held."""

from __future__ import annotations

from django import template

from articles.roles import statement_role

register = template.Library()


@register.simple_tag
def speaker_role(statement, day=None):
    """The statement's :class:`articles.roles.RoleCheck` (None without a resolved speaker);
    ``day``: the article's date when the page has it (saves loading the article)."""
    return statement_role(statement, day)
