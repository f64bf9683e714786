"""The OpenAPI schema tells the truth: who may call an operation, which errors it answers.

* :class:`ApiAutoSchema` (``DEFAULT_SCHEMA_CLASS``) declares an operation anonymous (``{}`` in
  its ``security``) when every permission it checks lets anonymous clients read
  (``public_reads = True`` on the project's permission classes, besides DRF's own).
* :func:`declare_errors` (a ``POSTPROCESSING_HOOKS`` entry) adds the error answers every
  operation can give, with their JSON body (``Error``): 400 (a bad parameter or body), 401 (a
  wrong or expired token, on operations that authenticate), 404 (a path parameter naming
  nothing, a page past the end), 413 (a body too large), 429 (throttled, or a locked-out
  sign-in); and 304 on reads (a conditional request whose ETag is current). What an operation
  declares itself is kept, but an error's body is always declared JSON (never CSV or zip).
* :func:`error_responses` (``responses={200: X, **error_responses(401, 403, 404)}``),
  :data:`ERROR_RESPONSES` and :data:`FORMAT_PARAMETER` are what views declare themselves;
  :func:`list_and_detail` the shape of every viewset with a list and a detail.
* :func:`non_empty_parameters` says that string parameters are never empty (empty values are
  refused with a 400) and hold no control characters, :func:`nul_free_bodies` that request
  bodies hold no NUL; :func:`csv_bodies` that CSV answers are text;
  :func:`nullable_as_31` writes DRF's 3.0 ``nullable`` the 3.1 way; :func:`binary_as_31`
  does the same for binary bodies (the zip); :func:`blank_urls` lets a URL be empty.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.permissions import SAFE_METHODS

from nato_tracker.middleware import BAD_CHARACTER_RANGES

from .renderers import CSV_MAX_ROWS
from .serializers import ErrorSerializer


def error_responses(*codes: int) -> dict[int, type[ErrorSerializer]]:
    """The error answers ``codes`` of an operation's own ``extend_schema``, each with the JSON
    body ``Error``: ``responses={200: X, **error_responses(401, 403, 404)}``. The one place
    where views name the error body (:func:`declare_errors` adds the errors every operation
    can give; a 412 has a body of its own)."""
    not_errors = [code for code in codes if not 400 <= code <= 499]
    if not_errors:
        raise ValueError(f"not error statuses: {not_errors}")
    return dict.fromkeys(codes, ErrorSerializer)


#: The error answers of a list (a bad parameter, a page past the end); the others are added by
#: :func:`declare_errors`.
ERROR_RESPONSES = error_responses(400, 404)

#: ``?format=``, on every endpoint that answers JSON and CSV.
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=(
        "`csv` returns flat CSV with one header line. On paginated lists CSV holds every row "
        f"of the filtered list (up to {CSV_MAX_ROWS:,}), not only one page."
    ),
)

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_DESCRIPTIONS = {
    "400": 'Bad input: `{"parameter": ["message"]}` or `{"detail": "…"}`.',
    "401": 'Authentication failed (a wrong, revoked or expired token): `{"detail": "…"}`.',
    "404": "Not found (a path parameter naming nothing, a page past the end).",
    "413": "The request body is too large.",
    "429": "Throttled (see Retry-After), or a locked-out sign-in.",
}
NOT_MODIFIED = (
    "Not modified: the `If-None-Match` ETag (or `If-Modified-Since`) is still current; no body."
)
WRITE_METHODS = {"post", "put", "patch", "delete"}


def list_and_detail(
    serializer,
    *,
    summary: str,
    detail: str | None = None,
    detail_serializer=None,
    detail_description: str | None = None,
    lookup: OpenApiParameter | None = None,
    **other_actions,
):
    """The ``extend_schema_view`` of a viewset with a list and a detail: the list (``summary``)
    takes ``format`` and answers ``serializer`` rows or :data:`ERROR_RESPONSES`; the detail
    (``detail``, ``detail_description``, the path parameter ``lookup``) answers
    ``detail_serializer`` (default ``serializer``) or 404. ``other_actions`` are passed on as
    they are (``create=extend_schema(...)``)."""
    return extend_schema_view(
        list=extend_schema(
            summary=summary,
            parameters=[FORMAT_PARAMETER],
            responses={200: serializer(many=True), **ERROR_RESPONSES},
        ),
        retrieve=extend_schema(
            summary=detail,
            description=detail_description,
            parameters=[lookup] if lookup else None,
            responses={200: detail_serializer or serializer, **error_responses(404)},
        ),
        **other_actions,
    )


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, with anonymous reads declared for the project's permissions."""

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self.method in SAFE_METHODS and self._reads_are_public():
            auths.append({})
        return auths

    def _reads_are_public(self) -> bool:
        permissions = self.view.get_permissions()
        return all(getattr(p, "public_reads", False) for p in permissions)


def _operations(result: dict):
    """``(path, method, operation)`` for every operation of a schema."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            yield path, method, operation


def _contents(result: dict):
    """``(media type, content)`` of every answer of every operation."""
    for _, _, operation in _operations(result):
        for response in operation.get("responses", {}).values():
            yield from response.get("content", {}).items()


def _dicts(node):
    """Every object (dict) anywhere in ``node``, outermost first; a visitor may change the one
    it is given (its children are read after)."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def declare_errors(result: dict, generator, request, public: bool) -> dict:
    """Add the error answers (see the module docstring) to every operation of ``result``."""
    for path, method, operation in _operations(result):
        responses = operation.setdefault("responses", {})
        codes = ["400", "429"]
        if operation.get("security"):
            codes.append("401")
        parameters = operation.get("parameters", [])
        if "{" in path or any(p.get("name") == "page" for p in parameters):
            codes.append("404")
        if method in WRITE_METHODS and "requestBody" in operation:
            codes.append("413")
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ERROR_REF}},
                },
            )
        for code, response in responses.items():
            content = response.get("content")
            if code.isdigit() and int(code) >= 400 and content:
                # Errors are JSON, whatever the operation answers on success (CSV, zip).
                first = content.get("application/json") or next(iter(content.values()))
                response["content"] = {"application/json": first}
        if method == "get":
            responses.setdefault("304", {"description": NOT_MODIFIED})
        operation["responses"] = dict(sorted(responses.items()))
    return result


#: A query value holding none of the characters the API refuses with a 400
#: (:class:`nato_tracker.middleware.RejectMalformedInputMiddleware`).
PRINTABLE = f"^[^{BAD_CHARACTER_RANGES}]*$"


def non_empty_parameters(result: dict, generator, request, public: bool) -> dict:
    """Query parameters are refused when empty (``ApiViewMixin.check_query_parameters``) or
    when they hold control characters (``RejectMalformedInputMiddleware``): say so with
    ``minLength: 1`` and :data:`PRINTABLE` on every free-text string parameter."""
    for _, _, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            schema = parameter.get("schema", {})
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            if target.get("type") == "string" and "enum" not in target:
                target.setdefault("minLength", 1)
                if "format" not in target:
                    target.setdefault("pattern", PRINTABLE)
    return result


#: A request body's text: anything but NUL (:class:`nato_tracker.api.parsers.RejectNulMixin`).
NUL_FREE = "^[^\\u0000]*$"


def nul_free_bodies(result: dict, generator, request, public: bool) -> dict:
    """Request bodies holding a NUL character anywhere are refused with a 400
    (:class:`~nato_tracker.api.parsers.RejectNulMixin`): say so with :data:`NUL_FREE` on every
    free-text string of every request body, the components they refer to included."""
    components = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def visit(schema) -> None:
        for node in _dicts(schema):
            reference = node.get("$ref", "")
            if reference.startswith("#/components/schemas/"):
                name = reference.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    visit(components.get(name, {}))
            kind = node.get("type")
            is_text = kind == "string" or (isinstance(kind, list) and "string" in kind)
            if is_text and not {"enum", "format", "const"} & set(node):
                node.setdefault("pattern", NUL_FREE)

    for _, _, operation in _operations(result):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            visit(content.get("schema", {}))
    return result


def csv_bodies(result: dict, generator, request, public: bool) -> dict:
    """A CSV answer is text (flat columns, see docs/api.md), not the JSON object the same
    operation answers by default: say so."""
    for media, content in _contents(result):
        if media == "text/csv":
            content.clear()
            content["schema"] = {
                "type": "string",
                "description": "CSV with one header line; the columns of each list "
                "and their types are at /api/v1/csv-columns/.",
            }
    return result


def nullable_as_31(result: dict, generator, request, public: bool) -> dict:
    """``nullable: true`` is OpenAPI 3.0; in 3.1 (which this schema is) it means nothing and a
    null is invalid. Rewrite what DRF writes that way (the pages' ``next``/``previous``) as
    ``type: [T, "null"]``."""

    for node in _dicts(result):
        if node.pop("nullable", False):
            kind = node.get("type")
            if isinstance(kind, str):
                node["type"] = [kind, "null"]
            elif "type" not in node:
                options = node.pop("oneOf", None) or [
                    {k: node.pop(k) for k in ("$ref", "allOf") if k in node}
                ]
                node["oneOf"] = [*options, {"type": "null"}]
    return result


def blank_urls(result: dict, generator, request, public: bool) -> dict:
    """drf-spectacular writes a URL that may be empty as ``oneOf [uri, maxLength 0]``; a
    validator that does not check ``format: uri`` finds ``""`` valid under both, which
    ``oneOf`` forbids. ``anyOf`` says what is meant."""

    for node in _dicts(result):
        options = node.get("oneOf")
        if (
            isinstance(options, list)
            and len(options) == 2
            and any(o.get("maxLength") == 0 for o in options)
            and any(o.get("format") == "uri" for o in options)
        ):
            node["anyOf"] = node.pop("oneOf")
    return result


def binary_as_31(result: dict, generator, request, public: bool) -> dict:
    """``type: string, format: binary`` is how OpenAPI 3.0 describes raw bytes (the bulk
    download's zip); in 3.1 a string is text, so a strict validator refuses the zip's bytes.
    3.1 says raw bytes with ``contentMediaType`` alone (and no ``type``)."""
    for media, content in _contents(result):
        if content.get("schema") == {"type": "string", "format": "binary"}:
            content["schema"] = {"contentMediaType": media}
    return result
