"""Bump the data version of the scope a changed model belongs to (see ``spending.cache``):
``spending`` models are official data, ``articles`` models reports; and every scope when the
shared cache is reachable again after an outage."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from nato_tracker.cache_backend import cache_recovered

from .cache import bump_data_version

SCOPE_OF_APP = {"spending": "official", "articles": "reports"}


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def data_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    scope = SCOPE_OF_APP.get(getattr(meta, "app_label", None))
    if scope is not None:
        bump_data_version(scope)


@receiver(cache_recovered)
def cache_back(sender, **kwargs) -> None:
    """A change made while Redis was out of reach could not bump the version: bump it now."""
    bump_data_version()
