"""The statements page's list written in Python: the fast path of ``includes/statement_item.html``.

The include (with ``speaker_role.html`` and ``statement_links.html``) renders one statement from
model instances; for the statements page's 25 rows the template engine's per-row work (three
includes, a custom tag that read the speakers' roles from the cache for every row, ~40
variable lookups and a ``reverse()`` per link) was most of the page's time. Here the rows are
read as plain values — one query joined to speaker and article, one each for the allies,
targets and editors' links of the whole page, the speakers' roles once — and each ``<li>`` is
written with ``escape`` into the *same* HTML as the include gives
(``tests/pages/test_statement_html.py`` compares them on every kind of row: speaker or none,
role as written, role held and mismatch, publisher, date, pending, allies, targets, links).
The dashboard and the ally pages write their statements with it too, from rows they keep
under the data version of all the data (:func:`read_statement_items`, then
:func:`write_statement_items` on every request); the speaker and article pages keep the
include.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Speaker
from articles.roles import check_role, roles_by_speaker
from articles.statement_reads import LINK_ROWS, allies_and_targets
from nato_tracker.compiled import FixedQuery
from spending import formatting
from spending.models import SpendingFigure
from spending.names import AllyName, OfficialNames, TargetName, official_names

#: The speakers of the filter form, compiled once.
SPEAKER_OPTIONS = FixedQuery(lambda: Speaker.objects.order_by("name").values_list("slug", "name"))


def statement_items_html(values: Iterable[dict], names: OfficialNames | None = None) -> SafeString:
    """The ``<li>`` of each statement of ``values`` (rows of
    :func:`articles.api.rows.statement_values`, in their order): four queries for the whole
    list (the rows, the ids of their allies, targets and links; the linked figures a fifth when
    there are any), none per row. ``names``: :func:`spending.names.official_names`, when the
    caller has read them."""
    return write_statement_items(read_statement_items(values, names))


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
    values: Iterable[dict], names: OfficialNames | None = None
) -> StatementItems:
    """The rows of ``values`` with their allies, targets, editors' links and linked figures
    (three or four queries for the whole list) and their speakers' roles."""
    values = list(values)
    if not values:
        return StatementItems([], {}, {}, {}, {}, None, {})
    ids = [row["id"] for row in values]
    names = names or official_names()
    allies, targets = allies_and_targets(ids, names)
    links: dict[int, list[tuple]] = defaultdict(list)
    for statement_id, _, figure_id, target_id, note in LINK_ROWS.rows(ids):
        links[statement_id].append((figure_id, target_id, note))
    figure_ids = {link[0] for listed in links.values() for link in listed} - {None}
    figures = (
        SpendingFigure.objects.select_related("member", "source").in_bulk(figure_ids)
        if figure_ids
        else {}
    )
    every_role = roles_by_speaker()
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
    (numbers and slugs need no quoting), each value set in; escaped for an attribute."""
    sample = "987654321"
    head, _, tail = reverse(name, kwargs={kwarg: sample}).rpartition(sample)
    head, tail = escape(head), escape(tail)
    return lambda value: f"{head}{escape(value)}{tail}"


class _Writer:
    """Writes one statement's ``<li>`` as ``includes/statement_item.html`` does."""

    def __init__(self, roles: dict, names: OfficialNames, figures: dict):
        self.roles = roles
        self.names = names
        self.figures = figures
        self.statement_url = _url_of("articles:statement", "pk")
        self.speaker_url = _url_of("articles:speaker", "slug")
        self.article_url = _url_of("articles:article", "pk")
        self.ally_url = _url_of("spending:country", "slug")
        # The same speaker, role and day (an article's quotes) are checked and written once.
        self.roles_held: dict[tuple, object] = {}
        self.days: dict[object, tuple[str, str]] = {}

    def item(self, row: dict, allies, targets, links) -> str:
        published = row["article__published"]
        publisher = row["article__publisher"]
        out = [
            '<li class="statement">\n  <blockquote><p><a href="',
            self.statement_url(row["id"]),
            '">“',
            escape(row["text"]),
            '”</a></p></blockquote>\n  <p class="meta">\n    ',
        ]
        if row["speaker_id"] is not None:
            out += [
                '<a href="',
                self.speaker_url(row["speaker__slug"]),
                '">',
                escape(row["speaker__name"]),
                "</a>",
            ]
        else:
            out.append(escape(row["speaker_as_written"] or "Unattributed"))
        out.append(self.role(row))
        out += [
            '\n    · <a href="',
            self.article_url(row["article_id"]),
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
        if row["review_status"] == "pending":
            out.append('· <span class="muted">not yet reviewed</span>')
        out.append("\n  </p>\n  ")
        if allies or targets:
            out.append('\n  <p class="tags">')
            for ally in allies:
                out += [
                    '<a class="tag" href="',
                    self.ally_url(ally.slug),
                    '">',
                    escape(ally.name),
                    "</a> ",
                ]
            for target in targets:
                out += ['<span class="tag tag-target">', escape(target.label), "</span> "]
            out.append("</p>\n  ")
        out += ["\n  ", self.links(links.get(row["id"], ())), "\n</li>\n"]
        return "".join(out)

    def day(self, day) -> tuple[str, str]:
        """An article's date as the include writes it: ``Y-m-d`` and ``j M Y``."""
        if day not in self.days:
            self.days[day] = (
                escape(date_filter(day, "Y-m-d")),
                escape(date_filter(day, "j M Y")),
            )
        return self.days[day]

    def role(self, row: dict) -> str:
        """``includes/speaker_role.html`` (without the editors' mismatch flag, which the lists
        do not show)."""
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
            key = (row["speaker_id"], as_written, row["article__published"])
            if key not in self.roles_held:
                self.roles_held[key] = check_role(
                    as_written, self.roles.get(row["speaker_id"], []), row["article__published"]
                ).held
            held = self.roles_held[key]
        if held is not None and held.role != as_written:
            out += [' <span class="role-known">(', escape(held.role), " on that date"]
            if held.end is None:
                out += [", ", escape(held.period)]
            out.append(")</span>")
        elif not as_written and row["speaker_id"] is not None and row["speaker__role"]:
            out += [", ", escape(row["speaker__role"])]
        return "".join(out) + "\n"

    def links(self, links) -> str:
        """``includes/statement_links.html``."""
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


def filter_options_html(filters: dict, names: OfficialNames | None = None) -> dict[str, SafeString]:
    """The ``<option>``s of the statements page's speaker, ally and target filters, the chosen
    ones ``selected``. The allies' and targets' names come from :func:`official_names` (kept in
    the process under the official data version); the speakers are read each time (editors
    add them), with a query compiled once."""
    names = names or official_names()
    speaker = filters.get("speaker")
    chosen_allies = {member.iso3 for member in filters.get("ally") or ()}
    target = filters.get("target")
    speakers = SPEAKER_OPTIONS.rows()
    return {
        "speaker_options": _options(
            ((escape(slug), escape(name)) for slug, name in speakers),
            {escape(speaker.slug)} if speaker else set(),
        ),
        "ally_options": _options(
            ((escape(a.iso3), escape(a.name)) for a in names.allies.values()),
            {escape(code) for code in chosen_allies},
        ),
        "target_options": _options(
            ((escape(t.code), escape(t.name)) for t in names.targets.values()),
            {escape(target.code)} if target else set(),
        ),
    }


def _options(options: Iterable[tuple[str, str]], selected: set[str]) -> SafeString:
    return mark_safe(
        "".join(
            f'<option value="{value}"{" selected" if value in selected else ""}>{label}</option>'
            for value, label in options
        )
    )
