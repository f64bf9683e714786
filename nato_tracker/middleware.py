"""Operational middleware: 503 when the database is unreachable, CSP for the API docs, a shared
cache of anonymous answers, HTTP validators (ETag/Last-Modified, 304) and Cache-Control, gzip of
public JSON/CSV, and the CORS rule (anonymous API reads only).

``DatabaseUnavailableMiddleware`` turns *connectivity* errors only (the server is down,
restarting, refusing connections, the connection dropped, SQLite locked) into a 503 with
``Retry-After``: an HTML page (``503.html``, no database access) or, under ``/api/``, JSON. Every
other database error — a missing table, a bad query — is a bug and still reaches the normal 500
handling and the logs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import math
import re
import sqlite3
import time

from corsheaders.signals import check_request_enabled
from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile

from nato_tracker.api.throttles import AnonThrottle, ApiThrottle
from nato_tracker.data_version import (
    data_changed_at,
    data_version_with,
    defer_request_version,
    read_deferred_version,
)
from nato_tracker.proxies import client_address, is_trusted, parse_networks

logger = logging.getLogger("nato_tracker.availability")

RETRY_AFTER_SECONDS = 5

# PostgreSQL SQLSTATE classes/codes that mean "the server is not available right now":
# 08 connection exception, 53 insufficient resources (e.g. too many connections),
# 57P01-57P03 admin/crash shutdown and "cannot connect now" (starting up, shutting down).
_PG_UNAVAILABLE_PREFIXES = ("08", "53", "57P01", "57P02", "57P03")
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached now (not that a query is wrong)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(text in str(cause).lower() for text in _SQLITE_UNAVAILABLE)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        psycopg = None
    if psycopg is not None and isinstance(cause, psycopg.Error):
        if isinstance(cause, psycopg.InterfaceError):
            return True  # the connection is closed / broken
        sqlstate = getattr(cause, "sqlstate", None)
        # No SQLSTATE: the failure happened on the connection itself (refused, reset, timeout).
        return sqlstate is None or sqlstate.startswith(_PG_UNAVAILABLE_PREFIXES)
    # Django's own InterfaceError ("connection already closed") and other backends' errors.
    return isinstance(exc, InterfaceError) or cause is None


def unavailable_response(request) -> HttpResponse:
    """The 503 answer: JSON under /api/, else the static 503 page; both with Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The database is temporarily unavailable. Please retry shortly."},
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """503 instead of a traceback while the database is unreachable (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:  # raised when DEBUG_PROPAGATE_EXCEPTIONS
            if not is_database_unavailable(exc):
                raise
            return self._unavailable(request, exc)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc: BaseException) -> HttpResponse:
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, exc)
        return unavailable_response(request)


# --- Content-Security-Policy ------------------------------------------------------------------

#: What an answer may set to change its policy (django-csp's decorators, and
#: :class:`DocsContentSecurityPolicyMiddleware`).
_CSP_PER_ANSWER = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers of an answer that changes nothing in the
    policy built once per process (and settings) instead of for every answer.

    django-csp builds the policy from the settings for each answer (twice: the policy and the
    report-only one), though for every answer that used no nonce and has no policy of its own
    (``_csp_config``, ``_csp_update``, ``_csp_replace``: the API docs pages) both are the same.
    Those answers get the headers built once (:meth:`_policies`, built again when a
    ``CONTENT_SECURITY_POLICY*`` setting changes); any other answer is django-csp's own. The
    headers and the rules for setting them (not when already set, when exempt or under an
    excluded prefix; never on a 404 or 500 with ``DEBUG``) are django-csp's."""

    _built: dict = {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_PER_ANSWER
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        for header, policy, exempt, excluded in self._policies():
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @classmethod
    def _policies(cls) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """``(header, policy, exempt attribute, excluded prefixes)`` of the policy and the
        report-only policy, from the settings (django-csp's ``build_policy``)."""
        policies = cls._built.get("policies")
        if policies is None:
            policies = cls._built["policies"] = [
                (
                    header,
                    build_policy(report_only=report_only),
                    "_csp_exempt_ro" if report_only else "_csp_exempt",
                    tuple(
                        (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
                    ),
                )
                for header, report_only, setting in (
                    (CSP_HEADER, False, "CONTENT_SECURITY_POLICY"),
                    (CSP_HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
                )
            ]
        return policies


@receiver(setting_changed)
def _policy_settings_changed(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        ContentSecurityPolicyMiddleware._built.clear()


# --- Content-Security-Policy for the API docs ---------------------------------------------------

DOCS_PATHS = ("/api/docs/", "/api/redoc/")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


class DocsContentSecurityPolicyMiddleware:
    """Allow the inline scripts of the Swagger UI and Redoc pages by hash (no unsafe-inline).

    drf-spectacular's pages start the viewer with an inline ``<script>``; the site-wide policy
    allows scripts from our own origin only. For those two pages, the exact inline scripts they
    contain are allowed by SHA-256 hash, and Redoc's web worker may start from a ``blob:`` URL.
    Must come after :class:`ContentSecurityPolicyMiddleware` in ``MIDDLEWARE`` (it runs first
    on the response).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(DOCS_PATHS) or getattr(response, "streaming", False):
            return response
        if "html" not in response.get("Content-Type", ""):
            return response
        hashes = [
            f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(response.content.decode("utf-8", "replace"))
        ]
        update = dict(getattr(response, "_csp_update", None) or {})
        if hashes:
            update["script-src"] = hashes
        update["worker-src"] = ["blob:"]
        response._csp_update = update
        return response


# --- Shared cache of whole anonymous answers ----------------------------------------------------

_NEVER_CACHED_PREFIXES = ("/admin/", "/editor/", "/accounts/", "/healthz", "/livez", "/static/")
_DROPPED_HEADERS = {"date", "set-cookie", "x-cache"}


def carries_credentials(request) -> bool:
    """True when the request could be someone's: a session or messages cookie, or an
    ``Authorization`` header. Such requests are never answered from or stored in a shared cache,
    never compressed, never given CORS headers, and their answers say ``private, no-store``."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_shared_read(request) -> bool:
    """An anonymous GET/HEAD of a page or API answer that is the same for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(_NEVER_CACHED_PREFIXES)
        and not carries_credentials(request)
    )


def request_data_version(request) -> str:
    """The data version (``nato_tracker.data_version``) read once per request; for a request
    the response cache may answer, the kept answer is read in the same cache round trip
    (:func:`kept_answer`)."""
    version = getattr(request, "_data_version", None)
    if version is None:
        key = response_cache_key(request)
        version, found = data_version_with([key] if key else [])
        request._data_version = version
        if key:
            request._kept_answer = found.get(key)
    return version


def response_cache_key(request) -> str | None:
    """Where :class:`ResponseCacheMiddleware` keeps the answer to ``request`` (None when it
    neither answers nor keeps it): scheme, host, path, query string, ``Accept`` header and
    whether the client takes gzip. The data version is not in the key but in the kept value,
    so that the answer and the version are read together; a newer answer replaces an older.
    Worked out once per request (the HTTP caching and the response cache middleware and the
    data version's read all ask)."""
    try:
        return request._response_cache_key
    except AttributeError:
        request._response_cache_key = key = _response_cache_key(request)
        return key


def _response_cache_key(request) -> str | None:
    if (
        not int(getattr(settings, "RESPONSE_CACHE_SECONDS", 0))
        or request.method != "GET"
        or not is_shared_read(request)
    ):
        return None
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
            "gzip" if accepts_gzip(request) else "",
        )
    )
    return f"response:{hashlib.sha256(parts.encode('utf-8', 'surrogateescape')).hexdigest()}"


def kept_answer(request, key: str, version: str):
    """``(status, headers, content)`` kept for ``request`` under the data ``version``, or None."""
    if not hasattr(request, "_kept_answer"):
        request._kept_answer = cache.get(key)
    stored = request._kept_answer
    if not isinstance(stored, tuple) or len(stored) != 4 or stored[0] != version:
        return None
    return stored[1:]


def used_csrf_token(request) -> bool:
    """The answer holds a CSRF token (a POST form): it is per visitor."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


class CachedAnswerThrottle(AnonThrottle):
    """``AnonThrottle`` for a plain Django request: the request is anonymous by construction
    (only anonymous answers are cached), so the key is the client address alone."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_response(request) -> JsonResponse | None:
    """An API answer given without running the view (from the shared cache, or a 304) still
    counts against the anonymous client's rate (the same budget as DRF's ``AnonThrottle``): a
    429 once it is spent, as the view would give."""
    if not request.path.startswith("/api/"):
        return None
    throttle = CachedAnswerThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = math.ceil(throttle.wait() or 0)
    detail = f"Request was throttled. Expected available in {wait} seconds."
    response = JsonResponse({"detail": detail}, status=429)
    response["Retry-After"] = str(wait)
    return response


class ResponseCacheMiddleware:
    """Serve repeated anonymous GETs of pages and API lists from the shared cache.

    A stored answer is kept with the *data version* (``nato_tracker.data_version``) it was made
    under, keyed by scheme, host, path, query string, ``Accept`` header and whether the client
    takes gzip (:func:`response_cache_key`), and served only while that version is current, so
    any change to the data — through any app server, a management command or the admin — makes
    every server build fresh answers at once. The version and the answer are read in one cache
    round trip (:func:`request_data_version`). Only anonymous requests (no
    session cookie, no messages cookie, no ``Authorization``) are served or stored, only 200
    answers that set no cookie and do not say ``private``/``no-store``/``no-cache``.
    ``RESPONSE_CACHE_SECONDS`` (0 turns it off) bounds how long an answer lives. Answers carry
    ``X-Cache: hit`` or ``miss``. It comes after ``HttpCachingMiddleware`` and before
    ``PublicDataGZipMiddleware`` in ``MIDDLEWARE``: a hit skips every middleware below it, and
    the stored headers (CSP, HSTS, X-Frame-Options, Content-Encoding...) are those the first
    answer had; JSON and CSV are stored compressed for clients that take gzip.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = int(getattr(settings, "RESPONSE_CACHE_SECONDS", 0))

    def __call__(self, request):
        key = response_cache_key(request) if self.seconds else None
        if key is None:
            return self.get_response(request)
        version = request_data_version(request)
        stored = kept_answer(request, key, version)
        if stored is not None:
            throttled = throttled_response(request)
            if throttled is not None:
                return throttled
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        # A page with a CSRF token (a POST form) is per visitor: never shared.
        if self._cacheable_response(response) and not used_csrf_token(request):
            headers = [(n, v) for n, v in response.items() if n.lower() not in _DROPPED_HEADERS]
            stored = (version, response.status_code, headers, response.content)
            cache.set(key, stored, self.seconds)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_response(response) -> bool:
        if response.status_code != 200 or getattr(response, "streaming", False):
            return False
        if response.cookies:
            return False
        control = response.get("Cache-Control", "").lower()
        return not any(word in control for word in ("private", "no-store", "no-cache"))


# --- HTTP caching: ETag / Last-Modified / 304 and Cache-Control -----------------------------------

# Answers are the same for everyone until the data or the code changes: the code's part is the
# moment this module was loaded (once per server with gunicorn's preload_app).
CODE_LOADED_AT = time.time()
_VARY_PUBLIC = ("Accept", "Cookie", "Authorization")
_CONDITIONAL_HEADERS = frozenset(("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"))


@functools.lru_cache(maxsize=64)
def _last_modified(version: str) -> int | None:
    """``Last-Modified`` (seconds) of the answers made under the data ``version``: when it was
    made, or when the code was loaded if later (kept per version: the same for every answer)."""
    changed_at = data_changed_at(version)
    return int(max(changed_at.timestamp(), CODE_LOADED_AT)) if changed_at else None


_http_date = functools.lru_cache(maxsize=64)(http_date)


class HttpCachingMiddleware:
    """Validators and caching rules for HTTP clients and proxies, derived from the data version.

    Anonymous reads of pages and the API (what :class:`ResponseCacheMiddleware` may share) get a
    weak ``ETag`` made from the data version, the code's load time and what selects the answer
    (host, path, query string, ``Accept``), and a ``Last-Modified`` from the time of the data
    version (or of the code's load, whichever is later), with ``Cache-Control: public,
    max-age=HTTP_CACHE_MAX_AGE`` (default 60 s). A matching ``If-None-Match`` (or, without it, an
    ``If-Modified-Since`` not older than ``Last-Modified``) is answered 304 *before* the view or
    the response cache runs; under ``/api/`` a 304 still counts against the anonymous rate
    limit. Any request with credentials (:func:`carries_credentials`) and any answer that holds a
    CSRF token or sets a cookie gets ``Cache-Control: private, no-store`` instead. Answers that set
    their own ``Cache-Control`` (503s, static files) keep it.

    Without conditional headers (and when the response cache does not answer), nothing is
    answered before the view: the version is then read just before the view runs
    (:meth:`process_view`), or for an API view by its rate limit in the same cache round trip as
    the count (``nato_tracker.data_version.read_deferred_version``); always before the view
    reads any data, so the validators never name a version newer than the answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.max_age = int(getattr(settings, "HTTP_CACHE_MAX_AGE", 60))

    def __call__(self, request):
        if not is_shared_read(request):
            response = self.get_response(request)
            if carries_credentials(request) and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            return response
        if _CONDITIONAL_HEADERS.isdisjoint(request.META) and not response_cache_key(request):
            # Nothing to answer before the view: the version is read with the API's rate limit
            # (one cache round trip for both), or before any other view (process_view).
            defer_request_version(request)
            response = self.get_response(request)
            version = getattr(request, "_data_version", None)
            # None: no view ran (a 404, a redirect); a version read now could be newer than
            # the answer, so it gets no validators.
            etag, last_modified = self.validators(request, version) if version else (None, None)
        else:
            etag, last_modified = self.validators(request, request_data_version(request))
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None and not_modified.status_code == 304:
                throttled = throttled_response(request)
                if throttled is not None:
                    return throttled
                return self._public(not_modified, etag, last_modified)
            response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if response.cookies or used_csrf_token(request):
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code == 200 and etag is not None:
            self._public(response, etag, last_modified)
        return response

    @staticmethod
    def process_view(request, view_func, view_args, view_kwargs):
        """A deferred data version (``__call__``) is read before the view runs, unless the view
        is an API view whose rate limit reads it (``nato_tracker.api.throttles.ApiThrottle``):
        an answer's validators never name a version newer than the data it shows."""
        view_class = getattr(view_func, "cls", None)
        throttles = getattr(view_class, "throttle_classes", ())
        if not any(issubclass(throttle, ApiThrottle) for throttle in throttles):
            read_deferred_version(request)

    def validators(self, request, version: str) -> tuple[str, int | None]:
        """The ``ETag`` and ``Last-Modified`` (seconds) of an answer to ``request``."""
        return self.etag(request, version), _last_modified(version)

    def _public(self, response, etag: str, last_modified: int | None):
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = _http_date(last_modified)
        # Both callers come here only for an answer without Cache-Control (a 304 built here,
        # or an answer that set none): what patch_cache_control(public, max_age) writes then.
        response["Cache-Control"] = f"public, max-age={self.max_age}"
        patch_vary_headers(response, _VARY_PUBLIC)
        return response

    @staticmethod
    def etag(request, version: str) -> str:
        parts = "\n".join(
            (
                version,
                repr(CODE_LOADED_AT),
                request.get_host(),
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", ""),
            )
        )
        digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return f'W/"{digest}"'


# --- Compression -------------------------------------------------------------------------------

_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_COMPRESSED_TYPES = ("application/json", "text/csv", "application/problem+json")


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class PublicDataGZipMiddleware(GZipMiddleware):
    """gzip for JSON and CSV answers to anonymous reads, and nothing else.

    BREACH: an attacker who can make a victim's browser send requests, and can watch the
    compressed size, can recover a secret that the compressed answer holds next to text the
    attacker chose. So only answers without secrets are compressed: GET/HEAD requests that carry
    no credentials (:func:`carries_credentials`), whose answer used no CSRF token and sets no
    cookie, of a JSON or CSV content type (HTML pages, which may hold forms, are left to the
    reverse proxy; static files are pre-compressed by whitenoise). Streaming answers are
    compressed as they stream (Django's ``GZipMiddleware``).
    """

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)


def may_compress(request, response) -> bool:
    """The rule of :class:`PublicDataGZipMiddleware`: an anonymous read, no CSRF token, no
    cookie, JSON or CSV."""
    if (
        request.method not in ("GET", "HEAD")
        or carries_credentials(request)
        or used_csrf_token(request)
        or response.cookies
    ):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in _COMPRESSED_TYPES


# --- CORS: anonymous reads of the API only -------------------------------------------------------

_CORS_METHODS = {"GET", "HEAD"}


@receiver(check_request_enabled)
def cors_for_anonymous_api_reads(sender, request, **kwargs) -> bool:
    """django-cors-headers asks this for each request (``CORS_URLS_REGEX`` matches nothing, so
    this alone decides): CORS only for GET/HEAD under ``/api/`` without credentials, and for the
    preflight of such a request (asking for GET or HEAD, and no ``Authorization`` header). Writes
    and requests with a token or a session never get ``Access-Control-Allow-Origin``; with
    ``CORS_ALLOW_CREDENTIALS`` off the origin is ``*``, so no browser sends cookies along."""
    if not request.path.startswith("/api/") or carries_credentials(request):
        return False
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "").upper()
        headers = request.headers.get("Access-Control-Request-Headers", "").lower()
        return asked in _CORS_METHODS and "authorization" not in headers
    return request.method in _CORS_METHODS


# --- Malformed input ----------------------------------------------------------------------------

MAX_QUERY_STRING = 4096
#: The characters no page, code or API field accepts, as a regular expression's character ranges
#: (Python's and ECMAScript's syntax alike: the API schema's ``pattern`` says the same).
BAD_CHARACTER_RANGES = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd"
_BAD_CHARACTERS = re.compile(f"[{BAD_CHARACTER_RANGES}]")


def has_bad_characters(text: str) -> bool:
    """True when ``text`` holds NUL or another control character, or U+FFFD (undecodable input):
    nothing any page, code or API field accepts (PostgreSQL refuses NUL in text outright)."""
    return bool(_BAD_CHARACTERS.search(text))


class RejectMalformedInputMiddleware:
    """404 for a path and 400 for a query string that no page or API accepts.

    A path holding NUL or other control characters (``/api/v1/allies/US%00/``,
    ``/speakers/mark%00rutte/``) names nothing: 404. A query string with such characters,
    undecodable bytes, or longer than :data:`MAX_QUERY_STRING` characters: 400. JSON under
    ``/api/``, the error page elsewhere. PostgreSQL refuses NUL characters in text, so without
    this a ``%00`` would reach a query and fail with a 500 in whichever view forgot to check.
    (Request bodies are checked by the API's parsers and by Django's form fields.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_bad_characters(request.path):
            return self._error(request, 404, "There is no page at this address.")
        problem = self._query_problem(request)
        if problem is not None:
            return self._error(request, 400, problem)
        return self.get_response(request)

    @staticmethod
    def _error(request, status: int, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            detail = "Not found." if status == 404 else message
            return JsonResponse({"detail": detail}, status=status)
        from nato_tracker.views import error_page

        return error_page(request, status, message)

    @staticmethod
    def _query_problem(request) -> str | None:
        raw = request.META.get("QUERY_STRING", "")
        if len(raw) > MAX_QUERY_STRING:
            return f"The query string is longer than {MAX_QUERY_STRING} characters."
        if raw and any(
            has_bad_characters(text)
            for key, values in request.GET.lists()
            for text in (key, *values)
        ):
            return "The query string contains control characters or invalid UTF-8."
        return None


# --- Reverse proxies ----------------------------------------------------------------------------

_FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


class TrustedProxyMiddleware:
    """Believe ``X-Forwarded-For``/``-Proto`` only from ``TRUSTED_PROXIES`` (nato_tracker.proxies).

    From a trusted proxy, ``REMOTE_ADDR`` becomes the client's address (the proxy's is kept in
    ``PROXY_ADDR``), so the API's throttles, the login rate limit and the logs all key on the real
    client. From anyone else, the forwarded headers are removed before any other code reads them:
    a client cannot pick its own rate-limit key, nor claim HTTPS (``SECURE_PROXY_SSL_HEADER``).
    Comes before everything that reads the client address or the scheme in ``MIDDLEWARE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trusted = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        if trusted and is_trusted(remote, trusted):
            meta["PROXY_ADDR"] = remote
            meta["REMOTE_ADDR"] = client_address(
                remote, meta.get("HTTP_X_FORWARDED_FOR", ""), trusted
            )
        else:
            for name in _FORWARDED_HEADERS:
                meta.pop(name, None)
        return self.get_response(request)
