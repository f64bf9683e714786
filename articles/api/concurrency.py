"""Optimistic concurrency in the API: ETags on what editors change, ``If-Match`` on writes.

The ETag of a statement or a claim's verdict is ``"v<version>.<digest>"``: the object's
``version`` (raised by every editor's change, see :mod:`articles.editing`) and a digest of the
JSON answer (so that it also changes when what it shows changes without an edit of the object,
say its speaker is renamed). A write that sends ``If-Match`` is carried out only when it names
the current ETag (or is ``*``); otherwise the answer is **412 Precondition Failed** with a JSON
body naming the current ETag and the changes made since the version the client read. The check
is repeated inside the write's transaction (``expected_version``), so two clients that read the
same version cannot both write. A write without ``If-Match`` is carried out (last write wins),
as before.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import status
from rest_framework.exceptions import APIException

from articles import editing

from .serializers import EditSerializer

_VERSION = re.compile(r'^(?:W/)?"v(\d+)\.')


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "The object changed since you read it."

    def __init__(self, data: dict):
        self.detail = data  # as it is: numbers stay numbers in the JSON answer


def etag(data, version: int) -> str:
    """The strong ETag of one answer: ``"v<version>.<first 16 hex of its SHA-256>"``."""
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return f'"v{version}.{hashlib.sha256(body).hexdigest()[:16]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def expected_version(request, obj, current_etag: str) -> int | None:
    """The version a write may change, from ``If-Match``: ``None`` without the header (no
    check), the version of ``current_etag`` when it names it (``obj.version`` for ``*``);
    else 412."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = _tags(header)
    if "*" in tags:
        return obj.version
    if current_etag in tags:
        return int(_VERSION.match(current_etag).group(1))  # the version that ETag was made of
    read = [int(m.group(1)) for m in map(_VERSION.match, tags) if m]
    since = min(read) if read else None
    edits = editing.edits_since(type(obj), obj.pk, since) if since is not None else []
    if since is not None and since < obj.version:
        detail = editing.EditConflict(obj, since, edits).describe()
    elif since == obj.version:
        detail = (
            "Not saved: what you read has changed since (e.g. its speaker's name), though "
            "nobody edited it: read it again and send its ETag."
        )
    else:
        detail = "Not saved: If-Match does not name the current version: read it again."
    raise precondition_failed(obj, current_etag, detail, edits)


def precondition_failed(obj, current_etag: str, detail: str, edits: list[dict]):
    return PreconditionFailed(
        {
            "detail": detail,
            "current_etag": current_etag,
            "current_version": obj.version,
            "edits": EditSerializer(edits, many=True).data,
        }
    )


def conflict(exc: editing.EditConflict, current_etag: str) -> PreconditionFailed:
    """412 for a write that another one overtook inside the transaction."""
    return precondition_failed(exc.current, current_etag, exc.describe(), exc.edits)
