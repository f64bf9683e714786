"""Error pages: a clear reason, the status, and a way back; never a traceback.

Under ``/api/`` the same handlers answer JSON (:func:`nato_tracker.api.errors.json_error_response`).
"""

from __future__ import annotations

from django.shortcuts import render

from nato_tracker.api.errors import is_api_request, json_error_response


def error_page(request, status: int, reason: str = ""):
    """Render the error page for ``status`` (400, 403, 404 or 500) with ``reason``."""
    titles = {
        400: "That request could not be understood",
        403: "You may not do that",
        404: "Page not found",
        500: "Something went wrong on our side",
    }
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": titles.get(status, "Error"), "reason": reason},
        status=status,
    )


def bad_request(request, exception=None):
    if is_api_request(request):
        return json_error_response(400, exception)
    return error_page(request, 400, "The request was malformed.")


def permission_denied(request, exception=None):
    if is_api_request(request):
        return json_error_response(403, exception)
    return error_page(request, 403, "You do not have permission to see this page.")


def page_not_found(request, exception=None):
    if is_api_request(request):
        return json_error_response(404, exception)
    return error_page(request, 404, "There is no page at this address.")


def server_error(request):
    if is_api_request(request):
        return json_error_response(500)
    # No database, no context processors that could fail again: a static template.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())
