"""API tokens: issued to a username and password, 429 while a sign-in is locked out, rotated
and revoked by their holder, refused once older than API_TOKEN_LIFETIME_DAYS."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nato_tracker.api.tokens import expires_at, issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ROTATE = "/api/v1/auth/token/rotate/"
PASSWORD = "editor-password-789"


@pytest.fixture
def user(db):
    user = UserFactory(username="scripter")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password=PASSWORD):
    return client.post(TOKEN, {"username": "scripter", "password": password}, format="json")


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    """Whether ``key`` authenticates (rotating needs a signed-in user)."""
    return with_token(key).get("/api/v1/targets/").status_code == 200


def test_a_token_is_issued_with_its_expiry_and_the_same_one_again_while_valid(user, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    first = sign_in(APIClient())
    assert first.status_code == 200
    body = first.json()
    token = Token.objects.get(user=user)
    assert body["token"] == token.key
    expected = token.created + datetime.timedelta(days=30)
    assert datetime.datetime.fromisoformat(body["expires"]) == expected
    assert sign_in(APIClient()).json()["token"] == token.key
    assert works(token.key)


def test_a_form_encoded_sign_in_works_too(user, client):
    response = client.post(TOKEN, {"username": "scripter", "password": PASSWORD})
    assert response.status_code == 200 and "token" in response.json()


def test_a_wrong_password_is_a_400(user):
    response = sign_in(APIClient(), password="wrong")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_an_expired_token_is_refused_and_signing_in_gives_a_new_one(user, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    old = issue_token(user)
    Token.objects.filter(pk=old.pk).update(created=old.created - datetime.timedelta(days=31))
    refused = with_token(old.key).get("/api/v1/targets/")
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    new = sign_in(APIClient()).json()["token"]
    assert new != old.key and works(new) and not works(old.key)


def test_tokens_do_not_expire_when_the_lifetime_is_zero(user, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 0
    token = issue_token(user)
    Token.objects.filter(pk=token.pk).update(created=token.created - datetime.timedelta(days=3650))
    token.refresh_from_db()
    assert expires_at(token) is None and works(token.key)
    assert sign_in(APIClient()).json() == {"token": token.key, "expires": None}


def test_the_holder_rotates_the_token(user):
    old = issue_token(user).key
    response = with_token(old).post(ROTATE)
    assert response.status_code == 200
    new = response.json()["token"]
    assert new != old and works(new) and not works(old)


def test_the_holder_revokes_the_token(user):
    key = issue_token(user).key
    assert with_token(key).delete(TOKEN).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert not works(key)


def test_a_session_user_revokes_and_rotates_their_token(user):
    key = issue_token(user).key
    client = APIClient()
    client.force_login(user)
    rotated = client.post(ROTATE).json()["token"]
    assert not works(key) and works(rotated)
    assert client.delete(TOKEN).status_code == 204
    assert not works(rotated)


@pytest.mark.parametrize(("method", "url"), [("delete", TOKEN), ("post", ROTATE)])
def test_revoking_and_rotating_need_a_signed_in_user(db, method, url):
    response = getattr(APIClient(), method)(url)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_locked_out_sign_in_is_a_429_even_with_the_right_password(user, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    client = APIClient()
    assert [sign_in(client, "wrong").status_code for _ in range(2)] == [400, 429]
    locked = sign_in(client)
    assert locked.status_code == 429
    assert "token" not in locked.json()
    assert "failed sign-ins" in locked.json()["detail"]
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not Token.objects.filter(user=user).exists()


def test_create_editor_token_replaces_an_expired_token(user, settings, capsys):
    from django.core.management import call_command

    settings.API_TOKEN_LIFETIME_DAYS = 30
    old = issue_token(user)
    Token.objects.filter(pk=old.pk).update(created=old.created - datetime.timedelta(days=40))
    call_command("create_editor", "scripter", "--token")
    new = Token.objects.get(user=user)
    assert new.key != old.key and works(new.key)
    assert f"API token: {new.key} (expires " in capsys.readouterr().out
