"""Hostile input: NUL bytes in every route's path and in API bodies, and forwarded headers that
only a trusted proxy may set (issue 14 item 1, issue 16 item 9).

PostgreSQL refuses NUL in text, so before the fix these were 500s there (and wrong statuses on
SQLite); the suite runs on both.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from articles.models import Speaker, Statement, StatementLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NUL = "%00"
_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLES = {"format": "json", "int": "1", "pk": "1", "history_id": "1"}


def _regex_to_path(regex: str) -> str:
    """A concrete path for a route regex, every named group filled with a value holding NUL."""
    regex = _GROUP.sub(lambda m: f"{SAMPLES.get(m.group(1), 'US')}{NUL}", regex)
    regex = regex.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    regex = regex.replace("\\Z", "")
    return regex


def _route_to_path(route: str) -> str:
    return _CONVERTER.sub(
        lambda m: (
            f"{SAMPLES.get(m.group(1) or '', 'mark-rutte')}{NUL}"
            if m.group(1) in ("int", "path")
            else f"mark{NUL}rutte"
        ),
        route,
    )


def every_parametrised_route(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the project that takes a path parameter, as a path with NUL in each one."""
    paths: list[str] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        raw = getattr(pattern, "_route", None)
        piece = _route_to_path(raw) if raw is not None else _regex_to_path(pattern._regex)
        if isinstance(entry, URLResolver):
            paths += every_parametrised_route(entry.url_patterns, prefix + piece)
        elif isinstance(entry, URLPattern) and NUL in prefix + piece:
            paths.append("/" + prefix + piece)
    return sorted(set(paths))


ROUTES = every_parametrised_route()


def test_the_route_list_covers_the_reported_paths():
    reported = [
        "/api/v1/allies/US%00/",
        "/api/v1/speakers/US%00/",
        "/api/v1/sources/US%00/",
        "/api/v1/targets/US%00/",
        "/speakers/mark%00rutte/",
        "/feeds/allies/mark%00rutte/",
        "/editor/statements/1%00/about/",
    ]
    assert set(reported) <= set(ROUTES), sorted(set(reported) - set(ROUTES))
    assert len(ROUTES) > 40


def test_nul_in_any_path_is_a_404_for_anyone():
    """Every route, anonymous and as a superuser, every method: 404 (JSON under /api/)."""
    anonymous = Client(raise_request_exception=False)
    superuser = Client(raise_request_exception=False)
    superuser.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    wrong = []
    for path in ROUTES:
        answers = [anonymous.get(path), superuser.get(path)]
        answers += [
            getattr(superuser, method)(path, "{}", content_type="application/json")
            for method in ("post", "put", "patch", "delete")
        ]
        for answer in answers:
            if path.startswith("/api/"):
                right = answer.status_code == 404 and answer.json() == {"detail": "Not found."}
            else:
                right = answer.status_code == 404 and b"no page at this address" in answer.content
            if not right:
                wrong.append((path, answer.request["REQUEST_METHOD"], answer.status_code))
    assert not wrong


@pytest.fixture
def editor_token_client(statements):
    user = UserFactory(username="nul-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client(raise_request_exception=False)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def _writes(statement: Statement) -> list[tuple[str, str, dict]]:
    n = "\u0000"
    return [
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": [f"US{n}"], "targets": []}),
        ("put", f"/api/v1/statements/{statement.pk}/about/", {"allies": [], "targets": [f"2{n}"]}),
        ("put", f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": f"mark-rutte{n}"}),
        ("post", "/api/v1/statement-links/", {"statement": statement.pk, "target": f"2{n}"}),
        ("post", "/api/v1/statement-links/", {f"note{n}": "x", "statement": statement.pk}),
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("content_type", ["application/json", "form"])
def test_nul_in_an_api_body_is_a_400_and_changes_nothing(
    index, content_type, editor_token_client, statements
):
    statement = statements["rutte_usa"]
    method, path, body = _writes(statement)[index]
    before = (list(statement.members.all()), statement.speaker_id, StatementLink.objects.count())
    if content_type == "form":
        from urllib.parse import urlencode

        data = urlencode(body, doseq=True)
        content_type = "application/x-www-form-urlencoded"
    else:
        import json

        data = json.dumps(body)
    response = getattr(editor_token_client, method)(path, data, content_type=content_type)
    if content_type == "application/json":
        assert response.status_code == 400, response.content
        assert "NUL" in response.json()["detail"]
    else:  # API bodies are JSON only (docs/api.md): a form is refused whatever it holds
        assert response.status_code == 415, response.content
        assert "Unsupported media type" in response.json()["detail"]
    statement.refresh_from_db()
    after = (list(statement.members.all()), statement.speaker_id, StatementLink.objects.count())
    assert after == before


def test_nul_in_editor_forms_is_refused_and_changes_nothing(statements):
    statement = statements["rutte_usa"]
    user = UserFactory(username="form-editor")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    n = "\u0000"
    speakers = Speaker.objects.count()
    members = list(statement.members.all())
    for action, data in [
        ("about", {"allies": [f"US{n}"], "targets": [f"2{n}"]}),
        ("speaker", {"speaker": f"mark-rutte{n}"}),
        ("new-speaker", {"name": f"Someone{n}", "role": "x"}),
        ("link", {"target": f"2{n}", "note": "x"}),
        ("status", {"status": f"published{n}"}),
    ]:
        response = client.post(f"/editor/statements/{statement.pk}/{action}/", data)
        assert response.status_code < 500, action
    assert Speaker.objects.count() == speakers
    assert list(statement.members.all()) == members
    assert not StatementLink.objects.filter(statement=statement).exists()


# --- forwarded headers ------------------------------------------------------------------------


@pytest.fixture
def anon_rate_3(settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    yield
    cache.clear()


def test_a_client_cannot_escape_the_rate_limit_with_x_forwarded_for(anon_rate_3):
    client = Client()
    codes = [
        client.get("/api/v1/allies/", HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250}").status_code
        for n in range(200)
    ]
    assert codes[:3] == [200, 200, 200]
    assert set(codes[3:]) == {429}


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(anon_rate_3, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR
    client = Client()
    for n in range(6):  # six clients, each within its budget
        answer = client.get("/api/v1/allies/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert answer.status_code == 200
    # One client behind the proxy, lying about its address in front of the proxy's entry:
    # the proxy's own entry (the right-most) is the one believed.
    codes = [
        client.get("/api/v1/allies/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 192.0.2.7").status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    spoofed = client.get("/methodology/", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301 and spoofed["Location"].startswith("https://")
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    proxied = client.get("/methodology/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_login_lockout_is_not_escaped_with_x_forwarded_for(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="locked", password="the-right-password-1", is_staff=True)
    client = Client()
    codes = [
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "locked", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.1.0.{n}",
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 429, 429, 429]


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("198.51.100.1", "1.2.3.4", "198.51.100.1"),  # not from a proxy: header ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # left entries are the client's
        ("127.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two trusted hops
        ("127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # all trusted: the left-most
        ("127.0.0.1", "garbage, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "203.0.113.9, garbage", "127.0.0.1"),  # the proxy wrote no address
        ("127.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_client_address(remote, forwarded, client):
    from nato_tracker.proxies import client_address, parse_networks

    trusted = parse_networks(("127.0.0.1", "10.0.0.0/8"))
    assert client_address(remote, forwarded, trusted) == client
