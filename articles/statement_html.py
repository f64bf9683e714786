"""A list of statements as HTML: THE writer of a statement's ``<li>``, for every page that lists
statements (the statements page, a speaker's page, an article's quotations, the dashboard's and
the ally pages' latest statements).

The rows are read as plain values (:func:`articles.api.rows.statement_values`: one query joined to
speaker and article), the allies, targets and editors' links of the whole list in that query or one
more (:mod:`articles.statement_reads`), the speakers' roles once; each ``<li>`` is written with
:func:`escape` (everything that comes from an article is escaped). It was a template include (with
``speaker_role.html`` and a links include) rendered per row, whose per-row work (three includes, a
custom tag, ~40 variable lookups and a ``reverse()`` per link) was most of a page's time; the HTML
is the same as that include gave (``tests/pages/test_statement_html.py`` holds it on every kind of
row: speaker or none, role as written, role held and mismatch, publisher, date, pending, allies,
targets, links). The dashboard and the ally pages keep the rows under the data version of all
the data (:func:`read_statement_items`, then :func:`write_statement_items` on every request).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.models import Speaker
from articles.roles import check_role, roles_by_speaker
from articles.statement_list import given
from articles.statement_reads import statement_reads
from nato_tracker.compiled import FixedQuery
from nato_tracker.data_version import kept_many
from spending import formatting
from spending.models import SpendingFigure
from spending.names import AllyName, OfficialNames, TargetName, official_names


def escape(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (the same text: it is
    ``html.escape(str(value))``), which cost more than the escaping for ~300 values a page."""
    return html.escape(str(value))


#: The speakers of the filter form, compiled once.
SPEAKER_OPTIONS = FixedQuery(lambda: Speaker.objects.order_by("name").values_list("slug", "name"))


def _speaker_options() -> list[tuple[str, str, str]]:
    """Every speaker's ``<option>`` (:func:`_option`), in name order."""
    return [_option(escape(slug), escape(name)) for slug, name in SPEAKER_OPTIONS.rows()]


#: The speakers' options, kept in each process under the reports' data version
#: (``nato_tracker.data_version.kept``): a new or renamed speaker is a write that bumps it.
SPEAKER_OPTIONS_KEPT = ("speaker-options", _speaker_options, "reports")


def statement_items_html(
    values: Iterable[dict], names: OfficialNames | None = None, roles: dict | None = None
) -> SafeString:
    """The ``<li>`` of each statement of ``values`` (rows of
    :func:`articles.api.rows.statement_values`, in their order): the rows' query and one more for
    the ids of their allies, targets and links (none when the rows carry them: the compiled list's
    on PostgreSQL), and one for the linked figures when there are any; none per row. ``names`` and
    ``roles``: :func:`spending.names.official_names` and :func:`articles.roles.roles_by_speaker`,
    when the caller has read them (:func:`articles.statement_reads.names_and_roles`)."""
    return write_statement_items(read_statement_items(values, names, roles))


@dataclass
class StatementItems:
    """What :func:`write_statement_items` writes, read by :func:`read_statement_items`: plain,
    picklable data (a page may keep it in the cache under the data version of all the data)."""

    rows: list[dict]
    allies: dict[int, list[AllyName]]
    targets: dict[int, list[TargetName]]
    links: dict[int, list[tuple]]
    figures: dict[int, SpendingFigure]
    names: OfficialNames | None
    roles: dict  # the speakers' roles (:func:`articles.roles.roles_by_speaker`) of these rows


def read_statement_items(
    values: Iterable[dict], names: OfficialNames | None = None, roles: dict | None = None
) -> StatementItems:
    """The rows of ``values`` with their allies, targets, editors' links and linked figures
    (none, one or two queries for the whole list: the ids of the allies, targets and links
    unless the rows carry them, the figures when there are links) and their speakers' roles."""
    values = list(values)
    if not values:
        return StatementItems([], {}, {}, {}, {}, None, {})
    names = names or official_names()
    allies, targets, read_links = statement_reads(values, names)
    links = {
        statement_id: [(figure_id, target_id, note) for _, figure_id, target_id, note in listed]
        for statement_id, listed in read_links.items()
    }
    figure_ids = {link[0] for listed in links.values() for link in listed} - {None}
    figures = (
        SpendingFigure.objects.select_related("member", "source").in_bulk(figure_ids)
        if figure_ids
        else {}
    )
    every_role = roles_by_speaker() if roles is None else roles
    speakers = {row["speaker_id"] for row in values}
    roles = {sid: every_role[sid] for sid in speakers if sid in every_role}
    return StatementItems(values, allies, targets, dict(links), figures, names, roles)


def write_statement_items(items: StatementItems) -> SafeString:
    """The ``<li>`` of each statement read by :func:`read_statement_items` (no query)."""
    if not items.rows:
        return mark_safe("")
    writer = _Writer(items.roles, items.names, items.figures)
    return mark_safe(
        "".join(
            writer.item(
                row, items.allies.get(row["id"], ()), items.targets.get(row["id"], ()), items.links
            )
            for row in items.rows
        )
    )


def _url_of(name: str, kwarg: str) -> Callable[[object], str]:
    """``reverse(name, kwargs={kwarg: value})`` for many values: the URL pattern read once
    per URLconf and script prefix (numbers and slugs need no quoting), each value set in;
    escaped for an attribute."""
    head, tail = _url_parts(name, kwarg, get_urlconf(), get_script_prefix())
    return lambda value: f"{head}{escape(value)}{tail}"


@functools.lru_cache(maxsize=4096)
def _day(day, language: str) -> tuple[str, str]:
    """``day`` as ``Y-m-d`` and ``j M Y`` (the month's name in ``language``, the active one),
    escaped; each day formatted once per process."""
    return escape(date_filter(day, "Y-m-d")), escape(date_filter(day, "j M Y"))


@functools.lru_cache(maxsize=64)
def _url_parts(name: str, kwarg: str, urlconf, prefix: str) -> tuple[str, str]:
    sample = "987654321"
    head, _, tail = reverse(name, kwargs={kwarg: sample}, urlconf=urlconf).rpartition(sample)
    return escape(head), escape(tail)


class _Writer:
    """Writes one statement's ``<li>``. What many rows
    share (a speaker's link, an article's title and date, a role as checked on a day) is
    written once per list; the allies' and targets' tags once per version of the official
    names (:func:`_official_html`)."""

    def __init__(self, roles: dict, names: OfficialNames, figures: dict):
        self.roles = roles
        self.names = names
        self.figures = figures
        self.statement_url = _url_of("articles:statement", "pk")
        self.speaker_url = _url_of("articles:speaker", "slug")
        self.article_url = _url_of("articles:article", "pk")
        self.ally_url = _url_of("spending:country", "slug")
        self.official = _official_html(names) if names is not None else None
        # The same speaker, article and role (an article's quotes) are written once.
        self.speakers: dict[object, str] = {}
        self.articles: dict[object, str] = {}
        self.roles_written: dict[tuple, str] = {}

    def item(self, row: dict, allies, targets, links) -> str:
        out = [
            '<li class="statement">\n  <blockquote><p><a href="',
            self.statement_url(row["id"]),
            '">“',
            escape(row["text"]),
            '”</a></p></blockquote>\n  <p class="meta">\n    ',
            self.speaker(row),
            self.role(row),
            self.article(row),
        ]
        if row["review_status"] == "pending":
            out.append('· <span class="muted">not yet reviewed</span>')
        out.append("\n  </p>\n  ")
        if allies or targets:
            out.append('\n  <p class="tags">')
            out += [self.official.ally_tags[ally.id] for ally in allies]
            out += [self.official.target_tags[target.id] for target in targets]
            out.append("</p>\n  ")
        out += ["\n  ", self.links(links.get(row["id"], ())), "\n</li>\n"]
        return "".join(out)

    def speaker(self, row: dict) -> str:
        """The speaker's link, or the name as written."""
        speaker_id = row["speaker_id"]
        if speaker_id is None:
            return escape(row["speaker_as_written"] or "Unattributed")
        written = self.speakers.get(speaker_id)
        if written is None:
            written = self.speakers[speaker_id] = (
                f'<a href="{self.speaker_url(row["speaker__slug"])}">'
                f"{escape(row['speaker__name'])}</a>"
            )
        return written

    def article(self, row: dict) -> str:
        """The article's link, publisher and date."""
        article_id = row["article_id"]
        written = self.articles.get(article_id)
        if written is None:
            published = row["article__published"]
            publisher = row["article__publisher"]
            out = [
                '\n    · <a href="',
                self.article_url(article_id),
                '">',
                escape(row["article__title"]),
                "</a>",
            ]
            if publisher:
                out += [" (", escape(publisher), ")"]
            out.append("\n    ")
            if published:
                iso, shown = self.day(published)
                out += ['· <time datetime="', iso, '">', shown, "</time>"]
            out.append("\n    ")
            written = self.articles[article_id] = "".join(out)
        return written

    def day(self, day) -> tuple[str, str]:
        """An article's date as the include wrote it: ``Y-m-d`` and ``j M Y``."""
        return _day(day, get_language())

    def role(self, row: dict) -> str:
        """The role as the article wrote it and as held that day, as
        ``includes/speaker_role.html`` writes it for a single statement (without the editors'
        mismatch flag, which the lists do not show)."""
        speaker_id, as_written = row["speaker_id"], row["speaker_role"]
        published = row["article__published"] if speaker_id is not None else None
        key = (speaker_id, as_written, published)
        written = self.roles_written.get(key)
        if written is None:
            written = self.roles_written[key] = self._role(row)
        return written

    def _role(self, row: dict) -> str:
        as_written = row["speaker_role"]
        out = []
        if as_written:
            out += [
                ', <q class="role-as-written" title="the role as the article wrote it">',
                escape(as_written),
                "</q>",
            ]
        held = None
        if row["speaker_id"] is not None:
            held = check_role(
                as_written, self.roles.get(row["speaker_id"], []), row["article__published"]
            ).held
        if held is not None and held.role != as_written:
            out += [' <span class="role-known">(', escape(held.role), " on that date"]
            if held.end is None:
                out += [", ", escape(held.period)]
            out.append(")</span>")
        elif not as_written and row["speaker_id"] is not None and row["speaker__role"]:
            out += [", ", escape(row["speaker__role"])]
        return "".join(out) + "\n"

    def links(self, links) -> str:
        """The editors' links: each figure with its edition and the target, both when a link
        has both."""
        if not links:
            return "\n\n"
        parts = []
        for figure_id, target_id, note in links:
            out = ['<span class="statement-link">']
            figure = self.figures.get(figure_id) if figure_id is not None else None
            target = self.names.targets[target_id] if target_id is not None else None
            if figure:
                source = figure.source
                out += [
                    '<a href="',
                    self.ally_url(figure.member.slug),
                    '">',
                    escape(figure.member.name),
                    " ",
                    escape(figure.year),
                    ": ",
                    escape(formatting.figure_value(figure.value, figure.metric)),
                    "</a>",
                ]
                if figure.estimate:
                    out.append(" (NATO estimate)")
                out += [
                    ' <small class="source">(',
                    escape(source.label),
                    ", released ",
                    escape(source.released_label),
                    ")</small>",
                ]
            if figure and target:
                out.append(" and ")
            if target:
                out += ['<span class="tag tag-target">', escape(target.label), "</span>"]
            if note:
                out += [" <small>(“", escape(note), "”)</small>"]
            out.append("</span>")
            parts.append("".join(out))
        listed = "; ".join(parts)
        return f'\n\n<p class="statement-links">Linked by editors to: {listed}</p>\n\n'


def filter_options_html(
    filters: dict, names: OfficialNames | None = None, version: str | None = None
) -> dict[str, SafeString]:
    """The ``<option>``s of the statements page's speaker, ally and target filters, the chosen
    ones ``selected``. The allies' and targets' options are written once per version of the
    official names (:func:`_official_html`), the speakers' once per version of the reports
    (:data:`SPEAKER_OPTIONS_KEPT`): no query while neither changes. ``version``: the data
    version the request has read (its ETag's), else it is read."""
    official = _official_html(names or official_names())
    speaker = filters.get("speaker")
    allies = filters.get("ally")
    allies = allies if given(allies) else ()
    target = filters.get("target")
    key, build, scope = SPEAKER_OPTIONS_KEPT
    speakers = kept_many({key: (build, scope)}, version)[key]
    return {
        "speaker_options": _options(
            speakers,
            {escape(speaker.slug)} if speaker else set(),
        ),
        "ally_options": _options(
            official.ally_options, {escape(member.iso3) for member in allies or ()}
        ),
        "target_options": _options(
            official.target_options, {escape(target.code)} if target else set()
        ),
    }


def _option(value: str, label: str) -> tuple[str, str, str]:
    """An ``<option>`` (escaped ``value`` and ``label``): its value, and it unselected and
    selected."""
    return (
        value,
        f'<option value="{value}">{label}</option>',
        f'<option value="{value}" selected>{label}</option>',
    )


def _options(options: list[tuple[str, str, str]], selected: set[str]) -> SafeString:
    return mark_safe(
        "".join(chosen if value in selected else plain for value, plain, chosen in options)
    )


@dataclass
class _OfficialHtml:
    """What the statements' HTML shows of the official data, written once per version of the
    official names (:func:`spending.names.official_names`, kept under the official data
    version): each ally's and target's tag, the allies' and targets' ``<option>``s."""

    names: OfficialNames
    ally_tags: dict[int, str]
    target_tags: dict[int, str]
    ally_options: list[tuple[str, str, str]]
    target_options: list[tuple[str, str, str]]


_official: list[_OfficialHtml] = []


def _official_html(names: OfficialNames) -> _OfficialHtml:
    """:class:`_OfficialHtml` of ``names`` (written again when the names are new)."""
    found = _official[0] if _official else None
    if found is not None and found.names is names:
        return found
    ally_url = _url_of("spending:country", "slug")
    found = _OfficialHtml(
        names=names,
        ally_tags={
            ally.id: f'<a class="tag" href="{ally_url(ally.slug)}">{escape(ally.name)}</a> '
            for ally in names.allies.values()
        },
        target_tags={
            target.id: f'<span class="tag tag-target">{escape(target.label)}</span> '
            for target in names.targets.values()
        },
        ally_options=[_option(escape(a.iso3), escape(a.name)) for a in names.allies.values()],
        target_options=[_option(escape(t.code), escape(t.name)) for t in names.targets.values()],
    )
    _official[:] = [found]
    return found
