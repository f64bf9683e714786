"""Property-based check of the API against its own OpenAPI schema (schemathesis).

Every GET operation is called with generated parameters through the WSGI application, inside
pytest-django's test database with the reference data loaded plus a few statements and a claim:
no answer may be a 5xx (``not_a_server_error``) and every answer must match the schema
(``response_schema_conformance``). Bounded to :data:`MAX_EXAMPLES` cases per operation so the
run stays around half a minute.

schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) does not run under
pytest 9 (it reads ``Function._nodeid``), so the operations are driven with Hypothesis here.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from articles.models import ReportedFigure
from spending.models import MemberState

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Like Django's test client: requests must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(statements, wsgi_keeps_the_test_connection):
    from nato_tracker.wsgi import application

    ReportedFigure.objects.create(
        article=statements["rutte_usa"].article,
        member=MemberState.objects.get(iso3="USA"),
        year=2024,
        metric="pct_gdp",
        value=3.19,
        check_latest={"verdict": "matches", "official_value": 3.19, "difference": 0.0},
    )
    return schemathesis.openapi.from_wsgi("/api/schema/", application).include(method="GET")


def test_every_get_operation_answers_per_schema_and_never_5xx(api_schema):
    calls: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        run_operation(operation, calls)
    assert len(calls) >= 17
    assert all(count > 0 for count in calls.values()), calls
    print(f"schemathesis: {sum(calls.values())} cases over {len(calls)} GET operations")


def run_operation(operation, calls: dict[str, int]) -> None:
    """Run the bounded Hypothesis search for one operation, counting the cases."""
    label = f"{operation.method.upper()} {operation.path}"
    calls[label] = 0

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        calls[label] += 1
        case.call_and_validate(checks=CHECKS)

    check()
