"""factory_boy factories for the tracker's models."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from articles.models import Article, Speaker, Statement
from spending.models import MemberState, Metric, Source, SpendingFigure, Target


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberState

    iso3 = factory.Sequence(lambda n: "Q" + chr(65 + n // 26 % 26) + chr(65 + n % 26))
    name = factory.Sequence(lambda n: f"Testland {n}")
    accession_date = datetime.date(2004, 3, 29)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    code = factory.Sequence(lambda n: f"TEST_EDITION_{n}")
    publisher = "NATO"
    title = factory.Sequence(lambda n: f"Test edition {n}")
    published = datetime.date(2030, 1, 1)
    edition_published = factory.LazyAttribute(lambda s: s.published if s.is_nato_edition else None)
    is_nato_edition = True


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    code = factory.Sequence(lambda n: f"t{n}")
    name = factory.Sequence(lambda n: f"Test target {n}")
    metric = Metric.PCT_GDP
    threshold = factory.Sequence(lambda n: Decimal("10") + n)
    status = Target.Status.PROPOSED
    decided_at = "Test summit"
    decided_on = datetime.date(2030, 1, 1)


class SpendingFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendingFigure

    member = factory.SubFactory(MemberStateFactory)
    year = 2024
    metric = Metric.PCT_GDP
    value = Decimal("2.00")
    source = factory.SubFactory(SourceFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = "Test Wire"
    published = datetime.date(2025, 6, 1)
    text = factory.Sequence(lambda n: f"Article body {n}. “We must spend more,” Rutte said.")
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.text.encode()).hexdigest())


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Speaker {n}")
    role = "Minister"


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    text = "We must spend more"
    start = factory.Sequence(lambda n: n * 10)
    end = factory.LazyAttribute(lambda s: s.start + len(s.text))
