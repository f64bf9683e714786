"""Fixtures for the page tests: a clean cache per test and a few seeded statements."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from articles.models import ReviewStatus
from spending.models import MemberState, Target
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory

RUTTE_QUOTE = (
    "We already know we need to spend much, much more if we want to fulfill all these targets"
)


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_article_with_quotes(title: str, quotes: list[tuple[str, str]], **kwargs):
    """An article whose text contains each (speaker, quote), with statements at the offsets."""
    parts, spans = [], []
    text = "BRUSSELS — Allies met on Thursday. "
    for speaker, quote in quotes:
        before = f"{speaker} said: “"
        start = len(text) + len(before)
        text += before + quote + "”. "
        spans.append((speaker, quote, start, start + len(quote)))
        parts.append(quote)
    text += "The meeting ended late."
    article = ArticleFactory(title=title, text=text, **kwargs)
    statements = []
    for speaker, quote, start, end in spans:
        statements.append(
            StatementFactory(
                article=article,
                speaker=SpeakerFactory(name=speaker),
                speaker_as_written=speaker,
                text=quote,
                start=start,
                end=end,
            )
        )
    return article, statements


@pytest.fixture
def seed(db):
    """One article with Rutte's quote (about Poland, 3.5%), one rejected statement."""
    article, (rutte, other, rejected) = make_article_with_quotes(
        "Rutte urges allies to spend more",
        [
            ("Mark Rutte", RUTTE_QUOTE),
            ("Pete Hegseth", "Every shoulder has to be to the plow"),
            ("Nobody Real", "This rejected quote must stay hidden"),
        ],
        published=datetime.date(2025, 6, 5),
        publisher="Test Wire",
    )
    rutte.members.add(MemberState.objects.get(slug="poland"))
    rutte.targets.add(Target.objects.get(code="3.5"))
    rejected.review_status = ReviewStatus.REJECTED
    rejected.save()
    rejected.members.add(MemberState.objects.get(slug="poland"))
    return {"article": article, "rutte": rutte, "other": other, "rejected": rejected}
