"""Serializers every API app shares: the error body, web-only URLs."""

from __future__ import annotations

from rest_framework import serializers

from nato_tracker.links import web_url


class ErrorSerializer(serializers.Serializer):
    """What every error answer looks like: a ``detail`` message, or messages per parameter."""

    detail = serializers.CharField(
        required=False, help_text="What was wrong, when it is not about one parameter."
    )


class WebUrlMixin:
    """A serializer whose ``url`` is given only when it is an http(s) address, else ``""``
    (``nato_tracker.links``): clients may show it as a link."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("url"):
            data["url"] = web_url(data["url"])
        return data
