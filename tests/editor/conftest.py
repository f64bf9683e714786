"""Fixtures for the editors' tests: an editor (in the "Editors" group), a plain user, data."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client

from articles.models import ReportedFigure, Speaker, Statement, StatementLink
from spending.models import MemberState, SpendingFigure, Target
from tests.factories import UserFactory
from tests.pages.conftest import make_article_with_quotes

MIGRATION = importlib.import_module("articles.migrations.0002_editors_group")
HEGSETH_QUOTE = (
    "Every shoulder has to be to the plow; every country has to contribute — at that level of "
    "5% [of GDP] — as a recognition of the nature of the threat"
)


def editors_group() -> Group:
    """The group as the migration made it (recreated after a flush by live-server tests)."""
    group, _ = Group.objects.get_or_create(name=MIGRATION.EDITORS)
    if not group.permissions.exists():
        for app_label, codenames in MIGRATION.PERMISSIONS.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    return group


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def other_editor(db):
    """A second editor, saving the same statement or verdict as ``editor``."""
    user = UserFactory(username="second-editor")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(reader) -> Client:
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def hegseth(db):
    """Hegseth's 5% quote (about the USA, the 5% target) in a June 2025 article."""
    _article, (statement,) = make_article_with_quotes(
        "Hegseth urges allies to spend 5%",
        [("Pete Hegseth", HEGSETH_QUOTE)],
        published=datetime.date(2025, 6, 5),
        publisher="Test Wire",
    )
    statement.members.add(MemberState.objects.get(iso3="USA"))
    statement.targets.add(Target.objects.get(code="5"))
    return statement


@pytest.fixture
def usa_2025():
    from spending.selectors import current_figure

    return current_figure(MemberState.objects.get(iso3="USA"), 2025, "pct_gdp")


@pytest.fixture
def claim(hegseth):
    """A reported figure inside Hegseth's quote, checked (differs)."""
    return ReportedFigure.objects.create(
        article=hegseth.article,
        member=MemberState.objects.get(iso3="USA"),
        year=2024,
        metric="pct_gdp",
        value=3.5,
        sentence="the U.S. spent 3.5% of GDP in 2024",
        start=hegseth.start,
        end=hegseth.start + 10,
        check_as_published={
            "verdict": "differs",
            "official_value": 3.19,
            "difference": 0.31,
            "unit": "pp",
            "source_code": "NATO_DE2024_GRAPHICNEWS",
            "source_title": "Defence Expenditure of NATO Countries (2014-2024)",
            "figure_id": 1,
            "as_of": "2025-06-05",
            "detail": "Differs.",
        },
        check_latest={"verdict": "differs", "official_value": 3.22, "unit": "pp"},
        verdict="differs",
    )


def snapshot() -> dict:
    """Everything an editor can change, to prove that a refused request changed nothing."""
    return {
        "statements": list(
            Statement.objects.order_by("pk").values_list("pk", "speaker_id", "review_status")
        ),
        "members": list(Statement.members.through.objects.order_by("pk").values_list()),
        "targets": list(Statement.targets.through.objects.order_by("pk").values_list()),
        "links": list(StatementLink.objects.order_by("pk").values_list()),
        "claims": list(
            ReportedFigure.objects.order_by("pk").values_list(
                "pk", "editor_verdict", "editor_note", "confirmed_by", "confirmed_at"
            )
        ),
        "speakers": list(Speaker.objects.order_by("pk").values_list()),
        "history": [
            Statement.history.count(),
            StatementLink.history.count(),
            ReportedFigure.history.count(),
        ],
        "figures": SpendingFigure.objects.count(),
    }
