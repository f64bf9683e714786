"""REST API (``/api/v1/``), its OpenAPI schema (``/api/schema/``) and docs (``/api/docs/``)."""

from django.urls import path

urlpatterns: list = []
