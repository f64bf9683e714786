"""Atom feeds of new statements: overall, per ally and per speaker.

Newest first: by the article's publication date, then by when it was ingested (undated articles
last), statements of one article in reading order; 50 entries, rejected statements and articles
left out. Each entry links to the statement's page, and that absolute URL is also its Atom
``<id>`` (the permalink, ``item_guid_is_permalink``).
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from spending import formatting
from spending.models import MemberState

from .models import Speaker, Statement

FEED_SIZE = 50


class LatestStatementsFeed(Feed):
    feed_type = Atom1Feed
    title = "NATO defence-spending tracker: new statements"
    subtitle = "Statements about defence spending reported in the press, newest first."

    def link(self, obj=None) -> str:
        return reverse("articles:statements")

    def statements(self):
        return (
            Statement.objects.public()
            .with_article()
            .select_related("speaker")
            .order_by(
                F("article__published").desc(nulls_last=True),
                "-article__ingested_at",
                "-article_id",
                "start",
                "pk",
            )
        )

    def items(self, obj=None):
        return self.statements()[:FEED_SIZE]

    def item_title(self, item: Statement) -> str:
        who = item.speaker.name if item.speaker else (item.speaker_as_written or "Unattributed")
        text = item.text if len(item.text) <= 80 else item.text[:79] + "…"
        return f"{who}: “{text}”"

    def item_description(self, item: Statement) -> str:
        article = item.article
        published = formatting.day(article.published) if article.published else "undated"
        return f"“{item.text}” — {article.title} ({article.publisher or 'unknown'}, {published})"

    def item_link(self, item: Statement) -> str:
        return item.get_absolute_url()

    # No item_guid: the syndication framework then uses the item's link, made absolute with the
    # site's domain (https://host/statements/29/), as the entry's unique id; it is the
    # statement's permanent page.
    item_guid_is_permalink = True

    def item_author_name(self, item: Statement) -> str | None:
        return item.speaker.name if item.speaker else item.speaker_as_written or None

    def item_pubdate(self, item: Statement) -> datetime.datetime:
        if item.article.published:
            return datetime.datetime.combine(
                item.article.published, datetime.time(), tzinfo=datetime.UTC
            )
        return item.article.ingested_at

    def item_updateddate(self, item: Statement) -> datetime.datetime:
        return item.article.ingested_at or timezone.now()


class AllyStatementsFeed(LatestStatementsFeed):
    """Statements about one ally (``/feeds/allies/USA/``, code case-insensitive)."""

    def get_object(self, request, iso3: str) -> MemberState:
        return get_object_or_404(MemberState, iso3=iso3.strip().upper()[:3])

    def title(self, obj: MemberState) -> str:
        return f"NATO defence-spending tracker: statements about {obj.name_in_text}"

    def subtitle(self, obj: MemberState) -> str:
        # "the United States", never "United States's"
        return f"Statements about the defence spending of {obj.name_in_text}, newest first."

    def link(self, obj: MemberState) -> str:
        return obj.get_absolute_url()

    def items(self, obj: MemberState):
        return self.statements().filter(members=obj)[:FEED_SIZE]


class SpeakerStatementsFeed(LatestStatementsFeed):
    """Statements by one speaker (``/feeds/speakers/mark-rutte/``)."""

    def get_object(self, request, slug: str) -> Speaker:
        return get_object_or_404(Speaker, slug=slug)

    def title(self, obj: Speaker) -> str:
        return f"NATO defence-spending tracker: statements by {obj.name}"

    def subtitle(self, obj: Speaker) -> str:
        return f"What {obj.name} said about defence spending, newest first."

    def link(self, obj: Speaker) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Speaker):
        return self.statements().filter(speaker=obj)[:FEED_SIZE]
