"""The editors' write services: link a statement to a figure or target, unlink, fix a speaker.

Used by the REST API and by the editor pages; each call is one transaction, checks the user's
model permission (``articles.add_statementlink``, ``articles.delete_statementlink``,
``articles.change_statement``) and records the user in the model's history.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from spending.models import SpendingFigure, Target

from .models import Speaker, Statement, StatementLink

LINK_PERMISSION = "articles.add_statementlink"
UNLINK_PERMISSION = "articles.delete_statementlink"
CHANGE_STATEMENT_PERMISSION = "articles.change_statement"


def _require(user: AbstractBaseUser, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(f"{permission} is required")


@transaction.atomic
def link_statement(
    *,
    statement: Statement,
    figure: SpendingFigure | None = None,
    target: Target | None = None,
    note: str,
    user: AbstractBaseUser,
) -> StatementLink:
    """Link ``statement`` to the official ``figure`` and/or ``target`` it speaks of.

    Raises :class:`ValidationError` when neither is given or when the same link already exists,
    :class:`PermissionDenied` when ``user`` may not add links.
    """
    _require(user, LINK_PERMISSION)
    if figure is None and target is None:
        raise ValidationError("Link a statement to a figure, a target or both.")
    note = (note or "").strip()
    if len(note) > StatementLink._meta.get_field("note").max_length:
        raise ValidationError({"note": "The note is too long (500 characters at most)."})
    existing = StatementLink.objects.select_for_update().filter(statement=statement)
    if figure is not None and existing.filter(figure=figure).exists():
        raise ValidationError({"figure": "This statement is already linked to this figure."})
    if target is not None and existing.filter(target=target).exists():
        raise ValidationError({"target": "This statement is already linked to this target."})
    link = StatementLink(
        statement=statement, figure=figure, target=target, note=note, created_by=user
    )
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def unlink_statement(*, link: StatementLink, user: AbstractBaseUser) -> None:
    """Remove an editor's link (kept in the link's history, attributed to ``user``)."""
    _require(user, UNLINK_PERMISSION)
    link._history_user = user
    link.delete()


@transaction.atomic
def set_statement_speaker(
    *, statement: Statement, speaker: Speaker | None, user: AbstractBaseUser
) -> Statement:
    """Attribute ``statement`` to ``speaker`` (``None``: unattributed); the text is unchanged."""
    _require(user, CHANGE_STATEMENT_PERMISSION)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.speaker_id == (speaker.pk if speaker else None):
        return statement
    statement.speaker = speaker
    statement._history_user = user
    statement.save(update_fields=["speaker"])
    return statement
