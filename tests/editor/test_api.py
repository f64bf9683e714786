"""The editors' actions through the API (token auth), with the same permission checks."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Statement
from tests.editor.conftest import snapshot

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_editor_reviews_rejects_and_restores_a_statement(editor, hegseth):
    client = token_client(editor)
    url = f"/api/v1/statements/{hegseth.pk}/review/"
    assert client.post(url, {"status": "reviewed"}, format="json").json()["review_status"] == (
        "reviewed"
    )
    assert client.post(url, {"status": "rejected"}, format="json").status_code == 200
    assert client.get(f"/api/v1/statements/{hegseth.pk}/").status_code == 404
    assert client.post(url, {"status": "pending"}, format="json").status_code == 200
    assert Statement.objects.get(pk=hegseth.pk).review_status == "pending"
    assert hegseth.history.first().history_user == editor
    assert client.post(url, {"status": "gone"}, format="json").status_code == 400


def test_editor_sets_allies_and_targets(editor, hegseth):
    response = token_client(editor).put(
        f"/api/v1/statements/{hegseth.pk}/about/",
        {"allies": ["POL", "DEU"], "targets": ["3.5"]},
        format="json",
    )
    assert response.status_code == 200
    assert sorted(response.json()["allies"]) == ["DEU", "POL"]
    assert response.json()["targets"] == ["3.5"]


def test_editor_confirms_and_overrides_a_verdict(editor, claim):
    client = token_client(editor)
    url = f"/api/v1/claims/reported_figure/{claim.pk}/verdict/"
    data = client.post(url, {}, format="json").json()
    assert data["editor_verdict"] == "differs" and data["confirmed_by"] == "editor"
    assert client.post(url, {"verdict": "matches"}, format="json").status_code == 400
    data = client.post(url, {"verdict": "matches", "note": "rounded"}, format="json").json()
    assert data["editor_verdict"] == "matches" and data["editor_note"] == "rounded"
    listed = client.get("/api/v1/claims/?kind=reported_figure").json()["results"][0]
    assert listed["final_verdict"] == "matches"
    assert client.post("/api/v1/claims/nothing/1/verdict/", {}, format="json").status_code in (
        403,
        404,
    )


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("reader", 403)])
def test_api_writes_refused_without_permission_and_nothing_changes(
    who, status, reader, hegseth, claim
):
    client = APIClient() if who == "anonymous" else token_client(reader)
    before = snapshot()
    calls = [
        ("post", f"/api/v1/statements/{hegseth.pk}/review/", {"status": "rejected"}),
        ("put", f"/api/v1/statements/{hegseth.pk}/about/", {"allies": [], "targets": []}),
        ("post", f"/api/v1/claims/reported_figure/{claim.pk}/verdict/", {"verdict": "matches"}),
        ("post", "/api/v1/statement-links/", {"statement": hegseth.pk, "target": "2"}),
        ("put", f"/api/v1/statements/{hegseth.pk}/speaker/", {"speaker": None}),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == status, (url, response.content)
    assert snapshot() == before
