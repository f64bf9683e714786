"""Fixtures for the API tests: clients for anonymous, plain and editor users, some statements."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import editing
from articles.models import AggregateClaim, ReportedFigure, TargetList
from spending.models import MemberState, SpendingFigure, Target
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory, UserFactory

EDITOR_PERMISSIONS = ["add_statementlink", "delete_statementlink", "change_statement"]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """No throttling interference between tests (rates are tested on their own)."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    yield
    cache.clear()


@pytest.fixture
def client_anon() -> APIClient:
    return APIClient()


@pytest.fixture
def plain_user(db):
    return UserFactory(username="reader")


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
        )
    )
    return user


@pytest.fixture
def client_user(plain_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(plain_user)
    return client


@pytest.fixture
def client_editor(editor) -> APIClient:
    """An editor authenticated with a token, as a script would be."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=editor)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def statements(db):
    """Six statements in three articles: Rutte on USA/2%, Hegseth on DEU/3.5%, one rejected."""
    usa = MemberState.objects.get(iso3="USA")
    deu = MemberState.objects.get(iso3="DEU")
    two = Target.objects.get(code="2")
    three_five = Target.objects.get(code="3.5")
    rutte = SpeakerFactory(name="Mark Rutte", slug="mark-rutte", role="Secretary General")
    rutte.aliases.create(alias="Rutte")
    hegseth = SpeakerFactory(name="Pete Hegseth", slug="pete-hegseth")
    a1 = ArticleFactory(title="Allies urged to spend", published=datetime.date(2025, 6, 5))
    a2 = ArticleFactory(title="Germany budget", published=datetime.date(2025, 7, 1))
    a3 = ArticleFactory(title="Old news", published=datetime.date(2024, 2, 1))
    made = {
        "rutte_usa": StatementFactory(
            article=a1, speaker=rutte, speaker_as_written="Rutte", text="America pays its share"
        ),
        "rutte_all": StatementFactory(
            article=a1, speaker=rutte, speaker_as_written="Rutte", text="Everyone must reach 2%"
        ),
        "hegseth_deu": StatementFactory(
            article=a2, speaker=hegseth, speaker_as_written="Hegseth", text="Germany steps up"
        ),
        "unattributed": StatementFactory(
            article=a2, speaker=None, speaker_as_written="an official", text="Budgets will grow"
        ),
        "old": StatementFactory(article=a3, speaker=rutte, text="Two percent is a floor"),
        "rejected": StatementFactory(
            article=a3, speaker=rutte, text="Not a quote at all", review_status="rejected"
        ),
    }
    made["rutte_usa"].members.add(usa)
    made["rutte_usa"].targets.add(two)
    made["rutte_all"].targets.add(two)
    made["hegseth_deu"].members.add(deu)
    made["hegseth_deu"].targets.add(three_five)
    made["rejected"].members.add(usa)
    made["old"].members.add(usa, deu)
    return made


@pytest.fixture
def claims(statements):
    article = statements["rutte_usa"].article
    check = {
        "verdict": "matches",
        "official_value": 3.19,
        "difference": 0.0,
        "unit": "pp",
        "source_code": "NATO_DIE2026",
        "source_title": "t",
        "figure_id": 1,
        "as_of": None,
        "detail": "ok",
    }
    usa = MemberState.objects.get(iso3="USA")
    figure = ReportedFigure.objects.create(
        article=article,
        member=usa,
        year=2024,
        metric="pct_gdp",
        value=3.19,
        start=5,
        check_latest=check,
        check_as_published={**check, "as_of": "2025-06-05"},
        verdict="matches",
    )
    aggregate = AggregateClaim.objects.create(
        article=article,
        kind="count_meeting",
        target_pct=2,
        year=2024,
        count=23,
        of_total=32,
        start=10,
        verdict="differs",
        editor_verdict="matches",
    )
    tlist = TargetList.objects.create(
        article=statements["hegseth_deu"].article,
        target_pct=2,
        year=2024,
        meets=False,
        start=3,
        verdict="differs",
    )
    tlist.members.add(MemberState.objects.get(iso3="ESP"), MemberState.objects.get(iso3="BEL"))
    return {"figure": figure, "aggregate": aggregate, "list": tlist}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def csv_rows(response) -> list[dict]:
    import csv
    import io

    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


@pytest.fixture
def some_of_everything(claims, statements, editor):
    """Statements and claims, and an editor's link from Rutte's quote to the US figure for 2024
    and the 2% target (every kind of row the lists hold)."""
    editing.link_statement(
        statement=statements["rutte_usa"],
        figure=SpendingFigure.objects.filter(member__iso3="USA", year=2024).first(),
        target=Target.objects.get(code="2"),
        note="",
        user=editor,
    )
    return statements
