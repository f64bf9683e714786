"""The site's Content-Security-Policy middleware (``nato_tracker.middleware.
ContentSecurityPolicyMiddleware``): django-csp's headers, the policy built once per process."""

from __future__ import annotations

import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from nato_tracker import middleware
from nato_tracker.middleware import ContentSecurityPolicyMiddleware

REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}


def answered(middleware_class, path="/statements/", status=200, **attributes):
    """The request and the answer after ``middleware_class`` has seen them."""
    request = RequestFactory().get(path)
    answer = HttpResponse("x", status=status)
    for name, value in attributes.items():
        setattr(answer, name, value)
    handler = middleware_class(lambda request: answer)
    handler.process_request(request)
    return request, handler.process_response(request, answer)


def headers(response) -> dict[str, str]:
    return {k: v for k, v in response.items() if k.startswith("Content-Security-Policy")}


@pytest.mark.parametrize(
    "attributes",
    [
        {},
        {"_csp_update": {"script-src": ["'sha256-abc'"]}},
        {"_csp_replace": {"img-src": ["'self'"]}},
        {"_csp_config": {"default-src": ["'none'"]}},
        {"_csp_exempt": True},
        {"_csp_update_ro": {"img-src": ["'self'"]}},
    ],
)
@pytest.mark.parametrize("report_only", [None, REPORT_ONLY])
def test_the_headers_are_django_csps(attributes, report_only):
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        expected = headers(answered(CSPMiddleware, **attributes)[1])
        for _ in range(2):  # built, then kept
            assert headers(answered(ContentSecurityPolicyMiddleware, **attributes)[1]) == expected
    assert "Content-Security-Policy" in expected or attributes == {"_csp_exempt": True}
    assert ("Content-Security-Policy-Report-Only" in expected) == bool(report_only)


def test_a_header_already_set_and_an_excluded_prefix_are_left_alone():
    request = RequestFactory().get("/statements/")
    answer = HttpResponse("x", headers={"Content-Security-Policy": "x"})
    handler = ContentSecurityPolicyMiddleware(lambda request: answer)
    assert handler.process_response(request, answer)["Content-Security-Policy"] == "x"
    policy = {"DIRECTIVES": {"default-src": ["'self'"]}, "EXCLUDE_URL_PREFIXES": ["/admin/"]}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        excluded = answered(ContentSecurityPolicyMiddleware, "/admin/x")[1]
        assert "Content-Security-Policy" not in excluded
        assert answered(ContentSecurityPolicyMiddleware)[1]["Content-Security-Policy"] == (
            "default-src 'self'"
        )


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_nonce_is_in_the_policy_and_asked_for_after_the_header_is_an_error():
    request = RequestFactory().get("/")
    answer = HttpResponse("x")
    handler = ContentSecurityPolicyMiddleware(lambda request: answer)
    handler.process_request(request)
    nonce = str(request.csp_nonce)
    policy = handler.process_response(request, answer)["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    request, answer = answered(ContentSecurityPolicyMiddleware)  # no nonce asked for: none
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert "nonce" not in answer["Content-Security-Policy"]
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_the_policy_is_built_once_and_again_when_its_settings_change(monkeypatch):
    built = []
    build = middleware.build_policy
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: built.append(kw) or build(**kw))
    ContentSecurityPolicyMiddleware._built.clear()
    for _ in range(3):
        answered(ContentSecurityPolicyMiddleware)
    assert len(built) == 2  # the policy and the report-only one, once
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert answered(ContentSecurityPolicyMiddleware)[1]["Content-Security-Policy"] == (
            "default-src 'none'"
        )
    assert len(built) == 4
    assert (
        "script-src 'self'"
        in answered(ContentSecurityPolicyMiddleware)[1]["Content-Security-Policy"]
    )
