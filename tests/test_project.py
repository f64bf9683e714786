"""Project-level checks: production settings, admin pages for editors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def clean_environ() -> dict[str, str]:
    """The environment minus what test fixtures set for themselves."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-0123456789",
        ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in clean_environ().items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_ENV": "production", "ALLOWED_HOSTS": "x.org"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


ADMIN_MODELS = [
    "spending_memberstate",
    "spending_countryalias",
    "spending_target",
    "spending_source",
    "spending_spendingfigure",
    "spending_aggregatefigure",
    "articles_article",
    "articles_speaker",
    "articles_statement",
    "articles_reportedfigure",
    "articles_aggregateclaim",
    "articles_targetlist",
    "articles_statementlink",
]


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelists_work_with_search_and_filters(admin_client, model):
    url = reverse(f"admin:{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "United"}).status_code == 200


@pytest.mark.django_db
def test_official_figures_are_read_only_in_the_admin(admin_client):
    from spending.models import SpendingFigure

    figure = SpendingFigure.objects.first()
    url = reverse("admin:spending_spendingfigure_change", args=[figure.pk])
    response = admin_client.post(url, {"value": "99"})
    figure.refresh_from_db()
    assert response.status_code in (200, 403)
    assert figure.value != 99
    assert admin_client.get(reverse("admin:spending_spendingfigure_add")).status_code == 403


def test_a_virtualenv_symlink_is_ignored_too():
    """``.venv/`` ignores a directory only: a ``.venv`` symlink to a shared environment was
    committed by ``git add -A`` (5a96f59) and replaced each checkout's environment on rebase."""
    assert ".venv" in (ROOT / ".gitignore").read_text().split()
