"""The Editors group, manage.py create_editor, and the production cookie settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.editor.conftest import MIGRATION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.django_db
def test_the_migration_made_the_editors_group_with_exactly_its_permissions():
    group = Group.objects.get(name="Editors")
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    expected = {f"{app}.{code}" for app, codes in MIGRATION.PERMISSIONS.items() for code in codes}
    assert granted == expected
    assert not any(".delete_" in p for p in granted - {"articles.delete_statementlink"})
    assert "articles.change_article" not in granted and "articles.add_statement" not in granted


@pytest.mark.django_db
def test_create_editor_command(monkeypatch):
    monkeypatch.setenv("EDITOR_PW", "a-long-and-unusual-passphrase-42")
    call_command(
        "create_editor", "alice", "--email", "a@example.org", "--password-env", "EDITOR_PW"
    )
    alice = get_user_model().objects.get(username="alice")
    assert alice.check_password("a-long-and-unusual-passphrase-42")
    assert alice.has_perm("articles.change_statement")
    assert alice.has_perm("articles.add_statementlink")
    assert not alice.is_staff and not alice.is_superuser
    call_command("create_editor", "bob", "--no-password", "--token")
    assert not get_user_model().objects.get(username="bob").has_usable_password()
    monkeypatch.setenv("SHORT", "abc")
    with pytest.raises(CommandError):
        call_command("create_editor", "carol", "--password-env", "SHORT")
    assert not get_user_model().objects.filter(username="carol").exists()


def test_production_sessions_and_cookies_are_secure():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 60 + "-production-test-key",
        ALLOWED_HOSTS="x",
        DJANGO_SETTINGS_MODULE="nato_tracker.settings",
    )
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["True", "True", "True", "False"]
