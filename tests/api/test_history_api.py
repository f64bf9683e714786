"""Editors' remaining actions through the API: add a speaker, read history, revert, restore."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Speaker, StatementLink
from spending.models import Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_editor():
    """A member of the "Editors" group, with a token, as a script would be."""
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name="Editors"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_editor_adds_a_speaker_and_others_cannot(client_editor, client_user, client_anon):
    body = {"name": "Kaja Kallas", "role": "EU foreign policy chief", "aliases": ["Kallas"]}
    assert client_anon.post("/api/v1/speakers/", body, format="json").status_code == 401
    assert client_user.post("/api/v1/speakers/", body, format="json").status_code == 403
    assert not Speaker.objects.filter(name="Kaja Kallas").exists()
    response = client_editor.post("/api/v1/speakers/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "kaja-kallas"
    assert response.json()["aliases"] == ["Kallas"]
    speaker = Speaker.objects.get(slug="kaja-kallas")
    assert speaker.history.first().history_user.username == "editor"
    again = client_editor.post("/api/v1/speakers/", body, format="json")
    assert again.status_code == 400
    assert "already exists" in str(again.json())


def test_history_shows_who_changed_what_and_a_revert_puts_it_back(
    client_editor, client_user, client_anon, statements
):
    statement = statements["rutte_usa"]
    original = statement.speaker
    other = Speaker.objects.exclude(pk=original.pk).first()
    changed = client_editor.put(
        f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": other.slug}, format="json"
    )
    assert changed.status_code == 200, changed.content
    url = f"/api/v1/history/statement/{statement.pk}/"
    assert client_anon.get(url).status_code == 401
    assert client_user.get(url).status_code == 403
    versions = client_editor.get(url).json()
    newest = versions[0]
    assert (newest["change"], newest["user"]) == ("changed", "editor")
    assert {"field": "speaker", "old": str(original), "new": str(other)} in newest["changes"]
    oldest = versions[-1]
    assert (
        client_user.post(f"/api/v1/history/statement/revert/{oldest['history_id']}/").status_code
        == 403
    )
    reverted = client_editor.post(f"/api/v1/history/statement/revert/{oldest['history_id']}/")
    assert reverted.status_code == 200, reverted.content
    statement.refresh_from_db()
    assert statement.speaker == original
    assert reverted.json()["user"] == "editor"
    assert len(client_editor.get(url).json()) == len(versions) + 1  # nothing is erased


def test_a_removed_link_is_restored_through_the_api(client_editor, statements):
    statement = statements["rutte_usa"]
    created = client_editor.post(
        "/api/v1/statement-links/",
        {"statement": statement.pk, "target": Target.objects.get(code="2").code, "note": "2%"},
        format="json",
    )
    assert created.status_code == 201, created.content
    link_id = created.json()["id"]
    assert client_editor.delete(f"/api/v1/statement-links/{link_id}/").status_code == 204
    versions = client_editor.get(f"/api/v1/history/link/{link_id}/").json()
    assert [v["change"] for v in versions] == ["deleted", "created"]
    restored = client_editor.post(f"/api/v1/history/link/revert/{versions[-1]['history_id']}/")
    assert restored.status_code == 200, restored.content
    assert StatementLink.objects.filter(pk=link_id, note="2%").exists()


def test_restoring_a_link_of_a_deleted_statement_is_refused_not_a_500(client_editor, statements):
    """With ``If-Match``, the statement's ETag is read first: its statement gone, a 404 (was
    an unhandled DoesNotExist, a 500); without it, the service's 400."""
    statement = statements["rutte_usa"]
    created = client_editor.post(
        "/api/v1/statement-links/",
        {"statement": statement.pk, "target": "2", "note": "2%"},
        format="json",
    )
    link_id = created.json()["id"]
    assert client_editor.delete(f"/api/v1/statement-links/{link_id}/").status_code == 204
    first = client_editor.get(f"/api/v1/history/link/{link_id}/").json()[-1]["history_id"]
    statement.delete()
    url = f"/api/v1/history/link/revert/{first}/"
    assert client_editor.post(url, HTTP_IF_MATCH='W/"v1-x"').status_code == 404
    assert client_editor.post(url).status_code == 400
    assert not StatementLink.objects.filter(pk=link_id).exists()


def test_unknown_kinds_and_objects_are_404(client_editor):
    assert client_editor.get("/api/v1/history/planet/1/").status_code == 404
    assert client_editor.get("/api/v1/history/statement/999999/").status_code == 404
    assert client_editor.post("/api/v1/history/speaker/revert/999999/").status_code == 404


def test_history_is_json_only_and_pages_use_the_same_permission_rule(client_editor, statements):
    statement = statements["rutte_usa"]
    url = f"/api/v1/history/statement/{statement.pk}/"
    assert client_editor.get(url + "?format=csv").status_code == 400
    only_statements = UserFactory(username="statements-only")
    only_statements.user_permissions.add(Permission.objects.get(codename="change_statement"))
    page = Client()
    page.force_login(only_statements)
    speaker = statement.speaker
    assert page.get(f"/editor/history/statement/{statement.pk}/").status_code == 200
    assert page.get(f"/editor/history/speaker/{speaker.pk}/").status_code == 403
    api = APIClient()
    api.force_authenticate(only_statements)
    assert api.get(f"/api/v1/history/speaker/{speaker.pk}/").status_code == 403
