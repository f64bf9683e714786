"""Editors' writes: link, unlink, correct a speaker; nobody else changes anything."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from articles import editing
from articles.models import StatementLink
from spending.models import SpendingFigure, Target
from tests.factories import SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

LINKS = "/api/v1/statement-links/"


@pytest.fixture
def figure():
    return SpendingFigure.objects.filter(member__iso3="USA", year=2024, metric="pct_gdp").first()


def test_editor_links_a_statement_to_a_figure_with_a_token(client_editor, statements, figure):
    statement = statements["rutte_usa"]
    response = client_editor.post(
        LINKS, {"statement": statement.pk, "figure": figure.pk, "note": "the 2024 figure"}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created_by"] == "editor"
    assert data["figure_detail"]["source"]["code"] == figure.source.code
    link = StatementLink.objects.get(pk=data["id"])
    assert (link.statement, link.figure, link.note) == (statement, figure, "the 2024 figure")
    assert link.history.first().history_user.username == "editor"
    shown = client_editor.get(f"/api/v1/statements/{statement.pk}/").json()["links"]
    assert shown == [
        {"id": link.pk, "figure": figure.pk, "target": None, "note": "the 2024 figure"}
    ]


def test_editor_links_to_a_target_and_duplicates_are_400(client_editor, statements):
    statement = statements["rutte_all"]
    body = {"statement": statement.pk, "target": "3.5"}
    assert client_editor.post(LINKS, body).status_code == 201
    again = client_editor.post(LINKS, body)
    assert again.status_code == 400
    assert "target" in again.json()
    assert StatementLink.objects.filter(statement=statement).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "statement"),
        ({"statement": 999999, "target": "2"}, "statement"),
        ({"statement": "STATEMENT"}, "non_field_errors"),
        ({"statement": "STATEMENT", "target": "4"}, "target"),
        ({"statement": "STATEMENT", "figure": 99999999}, "figure"),
        ({"statement": "STATEMENT", "target": "2", "note": "x" * 501}, "note"),
    ],
)
def test_link_bad_input_is_400(client_editor, statements, body, field):
    if body.get("statement") == "STATEMENT":
        body = {**body, "statement": statements["rutte_all"].pk}
    response = client_editor.post(LINKS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not StatementLink.objects.exists()


@pytest.mark.parametrize(("client_name", "status"), [("client_anon", 401), ("client_user", 403)])
def test_non_editors_cannot_link_unlink_or_change_speakers(
    request, client_name, status, statements, editor, figure
):
    client = request.getfixturevalue(client_name)
    statement = statements["rutte_usa"]
    link = editing.link_statement(
        statement=statement, target=Target.objects.get(code="2"), note="", user=editor
    )
    before_links = list(StatementLink.objects.values_list("pk", flat=True))

    response = client.post(LINKS, {"statement": statement.pk, "figure": figure.pk})
    assert response.status_code == status
    assert "detail" in response.json()
    assert client.delete(f"{LINKS}{link.pk}/").status_code == status
    other = SpeakerFactory(name="Someone Else")
    response = client.put(
        f"/api/v1/statements/{statement.pk}/speaker/", {"speaker": other.slug}, format="json"
    )
    assert response.status_code == status

    assert list(StatementLink.objects.values_list("pk", flat=True)) == before_links
    statement.refresh_from_db()
    assert statement.speaker.slug == "mark-rutte"
    # reading is allowed for everyone
    assert client.get(LINKS).status_code == 200
    assert client.get(f"{LINKS}{link.pk}/").status_code == 200


def test_a_user_with_only_one_permission_can_do_only_that(statements, figure):
    from rest_framework.test import APIClient

    user = UserFactory(username="linker")
    user.user_permissions.add(Permission.objects.get(codename="add_statementlink"))
    client = APIClient()
    client.force_authenticate(user)
    created = client.post(LINKS, {"statement": statements["rutte_usa"].pk, "figure": figure.pk})
    assert created.status_code == 201
    assert client.delete(f"{LINKS}{created.json()['id']}/").status_code == 403
    assert StatementLink.objects.count() == 1
    response = client.put(
        f"/api/v1/statements/{statements['rutte_usa'].pk}/speaker/",
        {"speaker": None},
        format="json",
    )
    assert response.status_code == 403


def test_editor_unlinks(client_editor, statements, editor):
    link = editing.link_statement(
        statement=statements["rutte_usa"], target=Target.objects.get(code="2"), note="", user=editor
    )
    assert client_editor.delete(f"{LINKS}{link.pk}/").status_code == 204
    assert not StatementLink.objects.exists()
    assert client_editor.delete(f"{LINKS}{link.pk}/").status_code == 404


def test_editor_corrects_a_speaker_in_the_browser_session(editor, statements):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    statement = statements["unattributed"]
    url = f"/api/v1/statements/{statement.pk}/speaker/"
    # session auth requires the CSRF token
    assert client.put(url, {"speaker": "mark-rutte"}, format="json").status_code == 403
    client.get("/api/v1/statements/")
    token = client.cookies.get("csrftoken")
    if token is None:  # no page set the cookie: ask Django for one
        from django.middleware.csrf import _get_new_csrf_string

        token_value = _get_new_csrf_string()
        client.cookies["csrftoken"] = token_value
    else:
        token_value = token.value
    response = client.put(
        url, {"speaker": "mark-rutte"}, format="json", HTTP_X_CSRFTOKEN=token_value
    )
    assert response.status_code == 200, response.content
    assert response.json()["speaker"]["slug"] == "mark-rutte"
    statement.refresh_from_db()
    assert statement.speaker.slug == "mark-rutte"
    assert statement.speaker_as_written == "an official"  # the text as written is kept
    assert statement.history.first().history_user == editor


def test_editor_sets_speaker_to_null_and_unknown_speaker_is_400(client_editor, statements):
    statement = statements["rutte_usa"]
    url = f"/api/v1/statements/{statement.pk}/speaker/"
    assert client_editor.put(url, {"speaker": "nobody"}, format="json").status_code == 400
    assert client_editor.put(url, {}, format="json").status_code == 400
    response = client_editor.put(url, {"speaker": None}, format="json")
    assert response.status_code == 200
    assert response.json()["speaker"] is None
    assert (
        client_editor.put(
            "/api/v1/statements/999999/speaker/", {"speaker": None}, format="json"
        ).status_code
        == 404
    )


def test_token_endpoint(editor):
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "editor", "password": "a-long-test-password"}
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(LINKS).status_code == 200
    bad = APIClient().post("/api/v1/auth/token/", {"username": "editor", "password": "wrong"})
    assert bad.status_code == 400


# --- the services themselves ----------------------------------------------------------------


def test_services_check_permissions_and_input(statements, plain_user, editor, figure):
    statement = statements["rutte_usa"]
    with pytest.raises(PermissionDenied):
        editing.link_statement(statement=statement, figure=figure, note="", user=plain_user)
    with pytest.raises(ValidationError):
        editing.link_statement(statement=statement, note="", user=editor)
    link = editing.link_statement(statement=statement, figure=figure, note=" n ", user=editor)
    assert link.note == "n"
    with pytest.raises(PermissionDenied):
        editing.unlink_statement(link=link, user=plain_user)
    with pytest.raises(PermissionDenied):
        editing.set_statement_speaker(statement=statement, speaker=None, user=plain_user)
    assert StatementLink.objects.count() == 1
    editing.unlink_statement(link=link, user=editor)
    assert not StatementLink.objects.exists()
    assert StatementLink.history.filter(history_type="-").first().history_user == editor


def test_statement_links_list_query_count(
    client_anon, statements, editor, django_assert_max_num_queries
):
    figures = SpendingFigure.objects.filter(year=2024, metric="pct_gdp")[:10]
    for statement in list(statements.values())[:5]:
        for figure in figures:
            editing.link_statement(statement=statement, figure=figure, note="", user=editor)
    with django_assert_max_num_queries(3):
        response = client_anon.get(LINKS, {"page_size": 100})
    assert response.json()["count"] == 50
    rows = client_anon.get(LINKS, {"statement": statements["rutte_usa"].pk}).json()["results"]
    assert len(rows) == 10
    assert (
        len(
            __import__("tests.api.conftest", fromlist=["csv_rows"]).csv_rows(
                client_anon.get(LINKS, {"format": "csv"})
            )
        )
        == 50
    )


# --- allies and targets a statement concerns -------------------------------------------------


def test_editor_sets_allies_in_any_case(client_editor, statements):
    """Regression: ``["usa"]`` was a 400 "Object with iso3=usa does not exist."."""
    statement = statements["rutte_all"]
    url = f"/api/v1/statements/{statement.pk}/about/"
    response = client_editor.put(url, {"allies": ["usa", " Pol "], "targets": ["2"]}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["allies"]) == ["POL", "USA"]
    assert sorted(statement.members.values_list("iso3", flat=True)) == ["POL", "USA"]


def test_unknown_ally_in_a_write_is_400_naming_the_code(client_editor, statements):
    statement = statements["rutte_all"]
    url = f"/api/v1/statements/{statement.pk}/about/"
    response = client_editor.put(url, {"allies": ["usa", "xyz"], "targets": []}, format="json")
    assert response.status_code == 400
    assert "Unknown ally code XYZ" in str(response.json()["allies"])
    assert not statement.members.exists()
