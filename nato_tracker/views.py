"""Error pages: a clear reason, the status, and a way back; never a traceback."""

from __future__ import annotations

from django.shortcuts import render


def error_page(request, status: int, reason: str = ""):
    """Render the error page for ``status`` (400, 404 or 500) with ``reason``."""
    titles = {
        400: "That request could not be understood",
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
    return error_page(request, 400, "The request was malformed.")


def page_not_found(request, exception=None):
    return error_page(request, 404, "There is no page at this address.")


def server_error(request):
    # No database, no context processors that could fail again: a static template.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())
