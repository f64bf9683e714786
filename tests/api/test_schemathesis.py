"""Property-based check of the API against its own OpenAPI schema (schemathesis, every check).

Every operation — reads anonymously, writes with an editor's token — is called with generated
requests over HTTP against a live server (pytest-django's ``live_server``, the whole middleware
stack), on the test database with the reference data plus a few statements, claims and a
link: valid requests (positive mode) and requests that break the schema (negative mode), each
answer checked with **every check schemathesis has** (``CHECKS.get_all()``: no 5xx, status
codes, content types, headers and bodies as documented, invalid data rejected, valid data
accepted, authentication enforced where declared, unsupported methods answered 405, ...).
Bounded to :data:`MAX_EXAMPLES` cases per operation and mode.

One setting differs from schemathesis's defaults, on purpose: ``positive_data_acceptance`` also
accepts a 400 whose body names the parameter or field at fault. A request can match the schema
and still name something that does not exist (``statement: 424242`` in a link, a year without
figures in an edition, an ally code that is three letters but no ally): the API answers those
with a 400 naming the field (docs/api.md, "Conventions"), which no schema can rule out.

schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) does not run under
pytest 9 (it reads ``Function._nodeid``), so the operations are driven with Hypothesis here.
The schema is the one the live server serves (``/api/schema/``).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS
from schemathesis.generation import GenerationMode

from articles import editing
from articles.models import ReportedFigure
from spending.models import MemberState, SpendingFigure, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 15
TOKEN_KEY = "0" * 39 + "1"
TIMEOUT = 120  # seconds, per request
# No schema can say that a well-formed value names nothing: those are 400s naming the field.
POSITIVE_ALSO_ACCEPTS = ["400"]


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
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", timeout=TIMEOUT
    )
    acceptance = schema.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, *POSITIVE_ALSO_ACCEPTS]
    return schema


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
        case.call_and_validate(checks=checks, headers=headers, timeout=TIMEOUT)

    try:
        check()
    except Unsatisfiable:
        # Nothing to break: an operation without parameters or body (DELETE /auth/token/).
        assert mode is GenerationMode.NEGATIVE, label
