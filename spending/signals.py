"""Bump the data version whenever a model of the tracker changes (see ``spending.cache``), and
when the shared cache is reachable again after an outage."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from nato_tracker.cache_backend import cache_recovered

from .cache import bump_data_version

TRACKED_APPS = {"spending", "articles"}


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def data_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in TRACKED_APPS:
        bump_data_version()


@receiver(cache_recovered)
def cache_back(sender, **kwargs) -> None:
    """A change made while Redis was out of reach could not bump the version: bump it now."""
    bump_data_version()
