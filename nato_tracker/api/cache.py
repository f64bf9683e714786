"""Answers of the API endpoints that show official data only, kept until that data changes.

Official data (allies, targets, sources, NATO's figures) changes only with a reference-data load
or an edit in the admin; editors' daily writes change reports (statements, claims, links). So
the JSON and CSV answers of the official endpoints (figures, compliance, aggregates, allies,
targets, sources) are kept in the shared cache with the *official* data version
(``nato_tracker.data_version``): an editor's write leaves them in place, a change of official data
makes every server build them afresh. Unlike the response cache this runs inside the view, after
authentication, permissions, the rate limit and the validation of the query, and for everyone (the
answers are the same for every user); the browsable HTML format is never kept. An answer is
kept gzipped *only* (:func:`kept_body`): given as it is to a client that takes gzip when the
compression rule allows it (:func:`nato_tracker.middleware.may_compress`), so it is neither
compressed again on every request nor read from the cache at full size (the full figures CSV:
16 KB read instead of 717 + 16 KB), and decompressed for any other client (0.2 ms for that CSV,
less than reading its plain bytes cost every client). CSV answers long enough to be streamed
(``ApiViewMixin.csv_answer``) are kept too:
their bytes are gathered as they stream out and kept once the last chunk is sent (official lists
are bounded: at most ``CSV_MAX_ROWS`` rows of a few hundred thousand figures' worth), so the full
figures CSV is built once per official data version, not once per request. The version and the
answer are read in one cache round trip (the version is kept in the value, not in the key).
``API_ANSWER_CACHE_SECONDS`` bounds how long an answer is kept (0 turns it off).
"""

from __future__ import annotations

import gzip
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from rest_framework.response import Response

from nato_tracker.data_version import data_version_with
from nato_tracker.middleware import accepts_gzip, may_compress

CACHED_FORMATS = ("json", "csv")
KEPT_HEADERS = ("content-type", "content-disposition", "x-truncated", "link")
#: Shorter answers are kept as they are (Django's ``GZipMiddleware`` does not compress them).
MIN_COMPRESSED_LENGTH = 200


def kept_body(content: bytes) -> tuple[bytes, str]:
    """What is kept of an answer's ``content``: ``(gzip bytes, "gzip")``, or ``(content, "")``
    when it is too short to compress or gzip would not make it shorter (as ``GZipMiddleware``
    decides). Compressed once per official data version, at Django's level with its random
    file name (BREACH padding), as ``PublicDataGZipMiddleware`` would have compressed it."""
    if len(content) >= MIN_COMPRESSED_LENGTH:
        compressed = compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)
        if len(compressed) < len(content):
            return compressed, "gzip"
    return content, ""


def kept_response(request, status: int, headers, body: bytes, encoding: str) -> HttpResponse:
    """The answer kept as :func:`kept_body` made it: the gzip bytes to a client that takes gzip
    when the compression rule allows it, else the plain bytes (decompressed); the compression
    middleware then adds ``Vary: Accept-Encoding`` as for any answer it may compress."""
    response = HttpResponse(status=status)
    for name, value in headers:
        response[name] = value
    if encoding != "gzip":
        response.content = body
    elif accepts_gzip(request) and may_compress(request, response):
        response.content = body
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(body))
        patch_vary_headers(response, ("Accept-Encoding",))
    else:
        response.content = gzip.decompress(body)
    return response


class OfficialAnswerCacheMixin:
    """For API views of official data only: GET answers kept per query and format."""

    def answer_key(self, request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        if not settings.API_ANSWER_CACHE_SECONDS:
            return None
        if request.method != "GET" or getattr(renderer, "format", None) not in CACHED_FORMATS:
            return None
        parts = "\n".join(
            (
                type(self).__name__,
                renderer.format,
                request.build_absolute_uri(request.path),  # pages link to absolute URLs
                repr(sorted(request.query_params.lists())),
            )
        )
        digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()
        return f"api-answer:{digest}"

    def answer(self, handler, request, *args, **kwargs):
        key = self.answer_key(request)
        if key is None:
            return handler(request, *args, **kwargs)
        # The official data's version and the answer kept with it: one cache round trip.
        version, found = data_version_with([key], "official")
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 5 and stored[0] == version:
            return kept_response(request, *stored[1:])
        self._store_answer_as = (key, version)
        return handler(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        kept_as = getattr(self, "_store_answer_as", None)
        if not kept_as or response.status_code != 200:
            return response
        if isinstance(response, StreamingHttpResponse):
            chunks = response.streaming_content
            response.streaming_content = self._kept_stream(kept_as, response, chunks)
        elif isinstance(response, HttpResponse):  # DRF's Response or a CSV answer
            if isinstance(response, Response):
                response.render()
            self._keep(kept_as, response, response.content)
        return response

    def _kept_stream(self, kept_as: tuple[str, str], response: StreamingHttpResponse, chunks):
        """The streamed answer's chunks, passed on as they come; kept once all were sent (a
        client that goes away mid-answer leaves nothing kept)."""
        parts = []
        for part in chunks:
            parts.append(part)
            yield part
        self._keep(kept_as, response, b"".join(parts))

    @staticmethod
    def _keep(kept_as: tuple[str, str], response, content: bytes) -> None:
        """Keep the answer under its key, with the official data version it was made under."""
        key, version = kept_as
        headers = [(n, v) for n, v in response.items() if n.lower() in KEPT_HEADERS]
        stored = (version, response.status_code, headers, *kept_body(content))
        cache.set(key, stored, settings.API_ANSWER_CACHE_SECONDS)

    def list(self, request, *args, **kwargs):
        return self.answer(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(super().retrieve, request, *args, **kwargs)
