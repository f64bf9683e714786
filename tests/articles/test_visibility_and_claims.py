"""Visibility ("not rejected") and "the claims inside a quote" each have one definition, in
articles/models.py, used by the pages, the editor pages, the API, the feeds and the download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from articles.models import (
    AggregateClaim,
    Article,
    ReportedFigure,
    ReviewStatus,
    Speaker,
    Statement,
    spans_overlap,
)
from spending.models import MemberState
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory

ROOT = Path(__file__).resolve().parent.parent.parent
REJECTED = ReviewStatus.REJECTED


def test_rejected_is_spelled_in_the_rule_only():
    """Outside articles/models.py (the rule) and articles/editing.py (the editors' reject
    action), no module names the rejected status: everything else asks ``.public()``."""
    allowed = {"articles/models.py", "articles/editing.py"}
    spelled = re.compile(r"""ReviewStatus\.REJECTED|["']rejected["']""")
    found = [
        path.relative_to(ROOT).as_posix()
        for package in ("articles", "spending", "pages", "nato_tracker")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and path.relative_to(ROOT).as_posix() not in allowed
        and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_public_and_the_public_counts():
    speaker = SpeakerFactory(name="Visible Speaker")
    shown = ArticleFactory()
    hidden = ArticleFactory(review_status=REJECTED)
    kept = StatementFactory(article=shown, speaker=speaker)
    StatementFactory(article=shown, speaker=speaker, review_status=REJECTED)
    StatementFactory(article=hidden, speaker=speaker)
    StatementFactory(article=shown, speaker=speaker, review_status=ReviewStatus.REVIEWED)
    mine = Statement.objects.filter(speaker=speaker)
    assert set(mine.public()) == {kept, *mine.filter(review_status=ReviewStatus.REVIEWED)}
    assert shown in Article.objects.public() and hidden not in Article.objects.public()
    assert Speaker.objects.with_public_counts().get(pk=speaker.pk).statement_count == 2
    counts = Article.objects.with_public_counts()
    assert counts.get(pk=shown.pk).statement_count == 2
    assert counts.get(pk=hidden.pk).statement_count == 0  # its statements are hidden with it


@pytest.mark.django_db
def test_the_claims_inside_a_quote_and_the_same_rule_in_python():
    article = ArticleFactory()
    quote = StatementFactory(article=article, start=100, end=150)
    poland = MemberState.objects.get(iso3="POL")

    def figure(start, end):
        return ReportedFigure.objects.create(
            article=article,
            member=poland,
            year=2024,
            metric="pct_gdp",
            value=4.1,
            start=start,
            end=end,
        )

    inside, overlapping = figure(110, 120), figure(140, 160)
    before, after = figure(90, 100), figure(150, 170)  # touching the quote is not inside it
    total = AggregateClaim.objects.create(
        article=article,
        kind=AggregateClaim.Kind.TOTAL_SPENDING,
        year=2024,
        value=1.3,
        start=105,
        end=115,
    )
    other = ArticleFactory()
    ReportedFigure.objects.create(
        article=other, member=poland, year=2024, metric="pct_gdp", value=4.1, start=110, end=120
    )
    assert quote.claims() == [inside, overlapping, total]
    for claim in (inside, overlapping, before, after, total):
        assert quote.contains(claim) == (claim in quote.claims())
    assert spans_overlap(0, 5, 4, 9) and not spans_overlap(0, 5, 5, 9)
    assert set(ReportedFigure.objects.public().filter(article=article)) == {
        inside,
        overlapping,
        before,
        after,
    }
    article.review_status = REJECTED
    article.save()
    assert not ReportedFigure.objects.public().filter(article=article).exists()
