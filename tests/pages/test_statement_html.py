"""A list of statements as HTML (``articles.statement_html``, the one writer of a statement's
``<li>``): exactly what ``includes/statement_item.html`` rendered, row for row, on every page
that lists statements, in a bounded number of queries."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import selectors
from articles.api.rows import statement_values
from articles.filters import StatementFilterSet
from articles.models import Statement, StatementLink
from articles.statement_html import filter_options_html, statement_items_html
from articles.statement_reads import reads_in_rows
from spending.models import MemberState, SpendingFigure, Target
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

#: The query of the statements page's allies, targets and links: on PostgreSQL they come in its
#: compiled list's own (``articles.statement_reads.with_reads``).
SEPARATE_READS = 0 if reads_in_rows() else 1


@pytest.fixture
def varied():
    """Every branch of the include: a speaker or none (as written, or nobody), a role as
    written that was held, one not held that day (the role held shown), none (the speaker's
    role shown), an undated article, no publisher, pending and reviewed, several allies and
    targets (in an order their names do not follow), links with a figure (an estimate too), a
    target, both, a note; text with characters HTML escapes."""
    editor = UserFactory()
    figures = SpendingFigure.objects.filter(year=2024, metric="pct_gdp")
    figure = figures.first()
    estimate = figures.filter(estimate=True).first() or figures.last()
    estimate.estimate = True
    estimate.save()
    usa, deu, alb = (MemberState.objects.get(iso3=c) for c in ("USA", "DEU", "ALB"))
    two, core = Target.objects.get(code="2"), Target.objects.get(code="3.5")
    dated = ArticleFactory(
        title="Allies & <partners>", publisher='The "Times"', published=datetime.date(2025, 6, 1)
    )
    undated = ArticleFactory(published=None, publisher="")
    rutte = SpeakerFactory(name="Mark Rutte", role="SG <acting>")
    rutte.roles.create(
        role="Prime Minister of the Netherlands",
        written_as="Dutch Prime Minister",
        start=datetime.date(2010, 10, 14),
        end=datetime.date(2024, 7, 2),
        source="test",
    )
    rutte.roles.create(role="NATO Secretary General", start=datetime.date(2024, 10, 1), source="t")
    other = SpeakerFactory(name="Pete O'Hegseth", role="")
    rows = [
        StatementFactory(article=dated, speaker=rutte, speaker_role="Dutch Prime Minister"),
        StatementFactory(article=dated, speaker=rutte, speaker_role="NATO Secretary General"),
        StatementFactory(article=dated, speaker=rutte, speaker_role=""),
        StatementFactory(article=undated, speaker=rutte, speaker_role="Dutch Prime Minister"),
        StatementFactory(article=undated, speaker=rutte, speaker_role=""),
        StatementFactory(article=dated, speaker=None, speaker_as_written="an <official>"),
        StatementFactory(article=dated, speaker=None, speaker_as_written=""),
        StatementFactory(article=undated, speaker=other, text='We "spend" <more> & more'),
        StatementFactory(article=undated, review_status="reviewed", speaker_role="PM"),
        StatementFactory(article=dated, review_status="pending", speaker=other),
    ]
    rows[0].members.add(usa, alb, deu)
    rows[0].targets.add(core, two)
    rows[1].members.add(deu)
    rows[2].targets.add(two)
    StatementLink.objects.create(statement=rows[0], target=two, note="a <floor>", created_by=editor)
    StatementLink.objects.create(statement=rows[0], figure=figure, created_by=editor)
    StatementLink.objects.create(statement=rows[3], figure=estimate, target=core, created_by=editor)
    return rows


#: The ``<li>`` of the ``varied`` rows, by pk, as ``includes/statement_item.html`` rendered them
#: (with its role and links includes) before this module became the one writer; the ids and the
#: factories' sequence numbers written as ``ID`` and ``N``.
GOLDEN = Path(__file__).with_name("statement_items.golden.html")


def _without_ids(html: str) -> str:
    for pattern, same in (
        (r"/statements/\d+/", "/statements/ID/"),
        (r"/articles/\d+/", "/articles/ID/"),
        (r"Speaker \d+", "Speaker N"),
        (r"speaker-\d+", "speaker-N"),
        (r"Article \d+", "Article N"),
    ):
        html = re.sub(pattern, same, html)
    return html


def test_items_are_the_includes_items(varied):
    ids = sorted(statement.pk for statement in varied)
    ordered = Statement.objects.filter(pk__in=ids).order_by("pk")
    html = statement_items_html(statement_values(ordered))
    assert _without_ids(html) == GOLDEN.read_text()
    # the branches the fixture means to cover are there
    for text in ("role-known", "NATO estimate", "statement-links", "tag-target", "Unattributed"):
        assert text in html
    assert "&lt;more&gt;" in html and ", SG &lt;acting&gt;" in html


@pytest.mark.parametrize(("page", "listed"), [("speaker", 5), ("article", 6)])
def test_the_speaker_and_article_pages_write_the_same_items(client, varied, page, listed):
    """Every page that lists statements writes them with the one writer: escaped, with their
    allies, targets and links, in the page's order."""
    first = varied[0]
    if page == "speaker":
        url = first.speaker.get_absolute_url()
        rows = selectors.statements_for_speaker(first.speaker)
    else:
        url = first.article.get_absolute_url()
        rows = selectors.article_statements(first.article)
    response = client.get(url)
    assert "includes/statement_item.html" not in {t.name for t in response.templates}
    html = response.content.decode()
    items = statement_items_html(statement_values(rows))
    assert items.count('<li class="statement">') == listed
    assert f'<ul class="statements">{items}</ul>' in html
    assert "Allies &amp; &lt;partners&gt;" in items and "a &lt;floor&gt;" in items


def test_no_rows_no_queries():
    with CaptureQueriesContext(connection) as queries:
        assert statement_items_html([]) == ""
    assert len(queries) == 0


def test_the_list_reads_two_or_three_queries_however_many_rows(varied):
    ids = [statement.pk for statement in varied]
    ordered = Statement.objects.filter(pk__in=ids).order_by("pk")
    statement_items_html(statement_values(ordered))  # the speakers' roles: read once, kept
    with CaptureQueriesContext(connection) as queries:
        statement_items_html(statement_values(ordered))
    # the rows, the ids of their allies, targets and links (one query), the linked figures
    assert len(queries) == 3, [q["sql"][:80] for q in queries]
    StatementLink.objects.all().delete()
    statement_items_html(statement_values(ordered))  # a write: the roles read again, kept
    with CaptureQueriesContext(connection) as queries:
        statement_items_html(statement_values(ordered))
    assert len(queries) == 2, [q["sql"][:80] for q in queries]  # no figures to read


@pytest.mark.parametrize(
    "query",
    ["", "speaker=mark-rutte", "ally=USA,ALB", "ally=deu&target=3.5", "target=2"],
)
def test_filter_options_are_the_templates_options(varied, query):
    from django.http import QueryDict
    from django.template import Context, Template

    search = StatementFilterSet(QueryDict(query), queryset=Statement.objects.public())
    assert search.is_valid()
    filters = search.form.cleaned_data
    template = Template(
        '{% for s in speakers %}<option value="{{ s.slug }}"{% if filters.speaker.pk == s.pk %}'
        " selected{% endif %}>{{ s.name }}</option>{% endfor %}|"
        '{% for m in allies %}<option value="{{ m.iso3 }}"{% if m in filters.ally %} selected'
        "{% endif %}>{{ m.name }}</option>{% endfor %}|"
        '{% for t in targets %}<option value="{{ t.code }}"{% if filters.target.pk == t.pk %}'
        " selected{% endif %}>{{ t.name }}</option>{% endfor %}"
    )
    from articles.models import Speaker

    slow = template.render(
        Context(
            {
                "filters": filters,
                "speakers": Speaker.objects.order_by("name"),
                "allies": MemberState.objects.order_by("name"),
                "targets": Target.objects.order_by("display_order"),
            }
        )
    )
    fast = filter_options_html(filters)
    assert "|".join(fast[k] for k in ("speaker_options", "ally_options", "target_options")) == slow
    assert (" selected" in slow) == bool(query)


def test_the_page_reads_a_fixed_number_of_queries_and_a_new_speaker_is_an_option_at_once(
    client, varied, django_assert_num_queries
):
    StatementFactory.create_batch(30, article=ArticleFactory())
    client.get("/statements/")  # the speakers' roles and the filters' options kept
    # count, rows, their allies, targets and links (one query, or none on PostgreSQL: in the
    # rows'); the speakers' options are kept under the reports' data version (8 with the
    # include; 6 with the allies, targets and links read in three queries; 4 with the speakers
    # read every time)
    with django_assert_num_queries(2 + SEPARATE_READS):
        assert client.get("/statements/").status_code == 200
    SpeakerFactory(name="Zoe Newcomer")  # a write: the reports' version moves
    # the options and the speakers' roles read again, once
    with django_assert_num_queries(4 + SEPARATE_READS):
        page = client.get("/statements/").content.decode()
    assert ">Zoe Newcomer</option>" in page
    with django_assert_num_queries(2 + SEPARATE_READS):
        assert client.get("/statements/").status_code == 200


def test_each_day_is_formatted_once_per_process(varied):
    from articles import statement_html

    ordered = statement_values(Statement.objects.filter(pk__in=[s.pk for s in varied]))
    statement_html._day.cache_clear()
    first = statement_items_html(ordered)
    assert statement_items_html(ordered) == first
    assert statement_html._day.cache_info().misses == 1  # one dated article, one undated
    assert '<time datetime="2025-06-01">1 Jun 2025</time>' in first
