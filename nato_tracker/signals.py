"""Bump the data version of the scope a changed model belongs to (see
:mod:`nato_tracker.data_version`), and of every scope when the shared cache is reachable again
after an outage.

Which scope an app's models belong to is said by the app itself: its ``AppConfig.data_scope``
(``spending``: ``official``, ``articles``: ``reports``). Models of apps without one (auth,
sessions, history, axes) change no cached value.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from nato_tracker.cache_backend import cache_recovered

from .data_version import SCOPES, bump_data_version


def scope_of(app_label: str | None) -> str | None:
    """The data scope of an installed app's models (its ``AppConfig.data_scope``), or None."""
    scope = getattr(apps.app_configs.get(app_label or ""), "data_scope", None)
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"app {app_label!r} names an unknown data scope {scope!r}")
    return scope


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def data_changed(sender, using: str = "default", **kwargs) -> None:
    """Bump the scope's version at the write and, inside a transaction, again at its commit: a
    request between the two reads the new version but the old rows (the write is not visible
    yet), and whatever it keeps under that version is abandoned by the second bump."""
    meta = getattr(sender, "_meta", None)
    scope = scope_of(getattr(meta, "app_label", None))
    if scope is None:
        return
    bump_data_version(scope)
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(lambda: bump_data_version(scope), using=using)


@receiver(cache_recovered)
def cache_back(sender, **kwargs) -> None:
    """A change made while Redis was out of reach could not bump the version: bump it now."""
    bump_data_version()
