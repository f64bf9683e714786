"""Property-based check of the API against its own OpenAPI schema (schemathesis, every check).

Every operation — reads anonymously, writes with an editor's token — is called with generated
requests over HTTP against a live server (pytest-django's ``live_server``, the whole middleware
stack), on the test database with the reference data plus a few statements, claims and a
link: valid requests (positive mode) and requests that break the schema (negative mode), each
answer checked with **every check schemathesis has** (``CHECKS.get_all()``: no 5xx, status
codes, content types, headers and bodies as documented, invalid data rejected, valid data
accepted, authentication enforced where declared, unsupported methods answered 405, ...).
Bounded to :data:`MAX_EXAMPLES` cases per operation and mode.

One answer is judged differently from schemathesis's defaults, on purpose: a valid request
(positive mode) answered 400 passes ``positive_data_acceptance`` only when the 400's body names
a parameter or field the request sent (:func:`names_what_was_sent`). A request can match the
schema and still name something that does not exist (``statement: 424242`` in a link, a speaker
name already taken, an ``as_of`` date before the first edition): the API answers those with a
400 naming the field (docs/api.md, "Conventions"), which no schema can rule out. Any other 400
to a valid request (a ``detail`` alone, say "control characters") fails the test: the schema
must rule such values out (its ``pattern`` on free-text parameters and on ``ordering``). Every
other check runs on every answer.

schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) does not run under
pytest 9 (it reads ``Function._nodeid``), so the operations are driven with Hypothesis here.
The schema is the one the live server serves (``/api/schema/``).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles import editing
from articles.models import ReportedFigure
from spending.models import MemberState, SpendingFigure, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 15
TOKEN_KEY = "0" * 39 + "1"
TIMEOUT = 120  # seconds, per request


@pytest.fixture
def editor_user(db):
    return UserFactory(username="fuzz-editor", is_superuser=True)


@pytest.fixture
def api_schema(reference_data, statements, editor_user, live_server):
    ReportedFigure.objects.create(
        article=statements["rutte_usa"].article,
        member=MemberState.objects.get(iso3="USA"),
        year=2024,
        metric="pct_gdp",
        value=3.19,
        check_latest={"verdict": "matches", "official_value": 3.19, "difference": 0.0},
    )
    editing.link_statement(
        statement=statements["rutte_usa"],
        figure=SpendingFigure.objects.filter(member__iso3="USA", year=2024).first(),
        target=Target.objects.get(code="2"),
        note="",
        user=editor_user,
    )
    # Generous timeouts: on a busy 2-core machine building the schema can take over 10 s.
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", timeout=TIMEOUT
    )


def fresh_token(user) -> dict[str, str]:
    """The editor's token, restored before every case (a case may rotate or revoke it)."""
    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user, key=TOKEN_KEY)
    return {"Authorization": f"Token {TOKEN_KEY}"}


def test_every_operation_answers_per_schema_under_every_check(api_schema, editor_user):
    checks = CHECKS.get_all()
    assert len(checks) >= 14
    calls: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run_operation(operation, mode, checks, editor_user, calls)
    operations = {label.split(" ", 1)[1] for label in calls}
    assert len(operations) >= 30, sorted(operations)
    assert all(count > 0 for label, count in calls.items() if label.startswith("positive")), calls
    print(f"schemathesis: {sum(calls.values())} cases over {len(operations)} operations")


def run_operation(operation, mode, checks, editor_user, calls: dict[str, int]) -> None:
    """Run the bounded Hypothesis search for one operation in one mode, counting the cases."""
    label = f"{mode.value} {operation.method.upper()} {operation.path}"
    calls[label] = 0
    writes = operation.method.upper() not in ("GET", "HEAD", "OPTIONS")

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        calls[label] += 1
        # The WSGI transport does not decode gzip: ask for answers uncompressed.
        headers = {"Accept-Encoding": "identity"}
        if writes:
            headers.update(fresh_token(editor_user))
        response = case.call(headers=headers, timeout=TIMEOUT)
        excluded = []
        if mode is GenerationMode.POSITIVE and response.status_code == 400:
            assert names_what_was_sent(case, response.content), (label, response.content)
            excluded = [positive_data_acceptance]
        case.validate_response(
            response,
            checks=checks,
            excluded_checks=excluded,
            headers=headers,
            transport_kwargs={"headers": headers, "timeout": TIMEOUT},
        )

    try:
        check()
    except Unsatisfiable:
        # Nothing to break: an operation without parameters or body (DELETE /auth/token/).
        assert mode is GenerationMode.NEGATIVE, label


def names_what_was_sent(case, content: bytes) -> bool:
    """Whether a 400's JSON body names a query or path parameter or a body field the request
    sent (``non_field_errors``: the body as a whole, e.g. credentials that log no one in)."""
    try:
        body = json.loads(content)
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    sent = {*(case.query or {}), *(case.path_parameters or {})}
    if isinstance(case.body, dict):
        sent |= {*case.body, "non_field_errors"}
    return bool(sent & set(body))


@pytest.mark.parametrize(
    ("query", "body", "answer", "named"),
    [
        ({"as_of": "1358-06-28"}, None, {"as_of": ["no edition had been published by then"]}, True),
        (None, {"name": "0"}, {"name": ["A speaker named '0' already exists."]}, True),
        (None, {"username": "0"}, {"non_field_errors": ["Unable to log in."]}, True),
        ({"q": "x\x14"}, None, {"detail": "The query string contains control characters."}, False),
        ({"q": "x"}, None, {"ordering": ["Unknown ordering"]}, False),
        ({"q": "x"}, None, ["not an object"], False),
    ],
)
def test_a_400_to_a_valid_request_passes_only_when_it_names_what_was_sent(
    query, body, answer, named
):
    case = SimpleNamespace(query=query, path_parameters=None, body=body)
    assert names_what_was_sent(case, json.dumps(answer).encode()) is named
