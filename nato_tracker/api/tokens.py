"""API tokens for scripts: issue, rotate, revoke, and their lifetime.

A user has at most one token (DRF's ``authtoken``). It is valid for ``API_TOKEN_LIFETIME_DAYS``
days from when it was issued (0: until revoked); an expired token is refused with a 401
(:class:`ExpiringTokenAuthentication`), and asking for a token again gives a new one. The holder
may rotate it (a new key at once, the old one stops working) or revoke it (no token until the
next sign-in). Every change runs in a transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_lifetime() -> datetime.timedelta | None:
    """How long a token is valid (``API_TOKEN_LIFETIME_DAYS``); ``None``: until revoked."""
    days = int(getattr(settings, "API_TOKEN_LIFETIME_DAYS", 0) or 0)
    return datetime.timedelta(days=days) if days > 0 else None


def expires_at(token: Token) -> datetime.datetime | None:
    """When ``token`` stops working, or ``None`` when tokens do not expire."""
    lifetime = token_lifetime()
    return token.created + lifetime if lifetime else None


def is_expired(token: Token, now: datetime.datetime | None = None) -> bool:
    end = expires_at(token)
    return end is not None and (now or timezone.now()) >= end


@transaction.atomic
def issue_token(user) -> Token:
    """The user's token: the current one while it is valid, else a new one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not is_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def rotate_token(user) -> Token:
    """A new token for ``user``; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def revoke_token(user) -> bool:
    """Delete ``user``'s token (True if there was one)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused (401) once the token is older than its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(
                "Token has expired; get a new one from /api/v1/auth/token/."
            )
        return user, token
