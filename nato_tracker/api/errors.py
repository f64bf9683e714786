"""Errors under ``/api/`` are JSON, always; pages keep their HTML error pages.

Two layers:

* :func:`exception_handler` is DRF's ``EXCEPTION_HANDLER``: besides DRF's own exceptions it maps
  the exceptions the services raise (Django's ``ValidationError`` → 400 with messages per field,
  ``PermissionDenied`` → 403 keeping its message) and an oversized body (``RequestDataTooBig``
  → 413), so the views call the services without translating their errors (as HackSoft's
  styleguide does).
* :func:`json_error_response` answers what never reaches a DRF view — an unknown path, a path
  parameter that matches no route, a bad ``Host`` header, a body over
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` read outside DRF, an unhandled exception (500) — for the
  Django error handlers in :mod:`nato_tracker.views` when the path is under ``/api/``.

Every error body is ``{"detail": "…"}``, or ``{"parameter": ["message", …]}`` for bad input
(400), as docs/api.md says.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


class RequestTooLarge(exceptions.APIException):
    """413: the request body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(too_large_message())


def too_large_message() -> str:
    return f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."


def is_api_request(request) -> bool:
    """True for paths under ``/api/`` (the JSON API, its schema and docs)."""
    return request.path_info.startswith(API_PREFIX)


def as_api_exception(exc: Exception) -> Exception:
    """The DRF exception for an exception raised by a service or by Django, else ``exc``."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc)
        return exceptions.PermissionDenied(message) if message else exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    return exc


def exception_handler(exc: Exception, context: dict):
    """DRF's ``EXCEPTION_HANDLER``: :func:`as_api_exception`, then DRF's handler. Anything
    else (a bug) is left to propagate to Django's 500 handling and the logs."""
    return drf_exception_handler(as_api_exception(exc), context)


# Messages of the Django-level errors under /api/.
MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to perform this action.",
    404: "There is nothing at this address. The API is under /api/v1/ (schema: /api/schema/).",
    500: "Server error. It has been logged; please try again later.",
}


def json_error_response(status_code: int, exception: BaseException | None = None) -> JsonResponse:
    """``{"detail": "…"}`` with ``status_code`` for a request under ``/api/``. An oversized body
    is a 413 and a bad ``Host`` header says so; no other detail of an exception is shown."""
    detail = MESSAGES.get(status_code, MESSAGES[400])
    if isinstance(exception, RequestDataTooBig):
        status_code, detail = 413, too_large_message()
    elif isinstance(exception, DisallowedHost):
        detail = "The Host header names a host this server does not answer for."
    response = JsonResponse({"detail": detail}, status=status_code)
    response["Cache-Control"] = "no-store"
    return response
