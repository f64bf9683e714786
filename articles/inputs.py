"""Read articles to ingest from files, folders and URLs, with their metadata.

Inputs: ``.txt``, ``.md`` and ``.html``/``.htm`` files, folders (searched recursively for those),
and ``http(s)://`` URLs. Text files may start with a front-matter header::

    ---
    title: NATO allies urged to boost spending
    publisher: Example News
    published: 2025-06-05
    url: https://example.org/story
    ---

HTML (files and URLs) goes through trafilatura, which finds the main text, title, date and site
name. Options given on the command line override what the file says; a ``url`` that is not an
http(s) address (``javascript:...``) refuses the article (one found in an HTML page is dropped).
Every problem becomes an :class:`InputError` naming the input and the reason; nothing here
touches the database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from nato_tracker.links import web_url, web_url_problem

from .extraction import Extraction, Gazetteer, extract_article, to_dry_run_dict
from .extraction.text import find_publication_date

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 2 * 1024 * 1024
MIN_HTML_WORDS = 15  # less than this is navigation or a stub, not an article
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
META_KEYS = {"title", "publisher", "published", "url", "dateline"}


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    publisher: str = ""
    published: datetime.date | None = None
    url: str = ""

    def merged(self, override: Metadata) -> Metadata:
        """Fields set in ``override`` win."""
        return Metadata(
            title=override.title or self.title,
            publisher=override.publisher or self.publisher,
            published=override.published or self.published,
            url=override.url or self.url,
        )


@dataclass(frozen=True)
class Document:
    """One article's text and metadata, ready for extraction."""

    path: str
    text: str
    metadata: Metadata


@dataclass(frozen=True)
class InputError:
    path: str
    error: str

    def __str__(self) -> str:
        return f"{self.path}: {self.error}"


class InputProblem(Exception):
    """Raised internally for one input; turned into an :class:`InputError`."""


def parse_date(value: str) -> datetime.date:
    """An ISO date (``2025-06-05``) or the date part of an ISO timestamp."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputProblem(
            f"published: {value.strip()[:40]!r} is not a date (YYYY-MM-DD)"
        ) from None


def read_inputs(
    targets: list[str], override: Metadata = Metadata()
) -> Iterator[Document | InputError]:
    """Yield a :class:`Document` or an :class:`InputError` for every article found."""
    for target in targets:
        if re.match(r"^https?://", target, re.IGNORECASE):
            yield _guard(target, lambda t=target: _read_url(t, override))
            continue
        path = Path(target)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES
            )
            if not files:
                yield InputError(target, "folder holds no .txt, .md or .html files")
            for file in files:
                yield _guard(str(file), lambda f=file: _read_file(f, override))
        else:
            yield _guard(target, lambda p=path: _read_file(p, override))


def _guard(name: str, read) -> Document | InputError:
    try:
        return read()
    except InputProblem as exc:
        return InputError(name, str(exc))


def _read_file(path: Path, override: Metadata) -> Document:
    if not path.exists():
        raise InputProblem("no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise InputProblem(f"unsupported file type {suffix or '(none)'}: use .txt, .md or .html")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputProblem(f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputProblem(f"cannot read: {exc.strerror or exc}") from None
    text = decode(raw)
    if suffix in HTML_SUFFIXES:
        return _document_from_html(str(path), text, override)
    body, metadata = split_front_matter(text)
    return _document(str(path), body, metadata.merged(override))


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is dropped); binary content and other encodings are refused."""
    if b"\x00" in raw[:8192]:
        raise InputProblem("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputProblem(f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def split_front_matter(text: str) -> tuple[str, Metadata]:
    """Separate an optional ``---`` header of ``key: value`` lines from the body."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text, Metadata()
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in META_KEYS:
            fields[key] = value.strip().strip("\"'")
    published = parse_date(fields["published"]) if fields.get("published") else None
    metadata = Metadata(
        title=fields.get("title", ""),
        publisher=fields.get("publisher", ""),
        published=published,
        url=fields.get("url", ""),
    )
    return text[match.end() :], metadata


def _document(path: str, body: str, metadata: Metadata) -> Document:
    body = body.strip()
    if not body:
        raise InputProblem("empty article: no text")
    problem = web_url_problem(metadata.url)
    if problem:  # given in the front matter or with --url: the article is refused, not altered
        raise InputProblem(f"url: {problem}")
    if not metadata.title:
        first_line = body.splitlines()[0].strip()
        metadata = replace(metadata, title=first_line[:200])
    if metadata.published is None:
        metadata = replace(metadata, published=find_publication_date(body))
    return Document(path=path, text=body, metadata=metadata)


def _document_from_html(path: str, html: str, override: Metadata, url: str = "") -> Document:
    import trafilatura  # imported here: heavy, and only HTML needs it

    result = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False
    )
    extracted = result.as_dict() if result is not None else {}
    text = extracted.get("text") or ""
    words = len(text.split())
    if words < MIN_HTML_WORDS:
        raise InputProblem(f"HTML holds no article text (main text has {words} words)")
    found = Metadata(
        title=extracted.get("title") or "",
        publisher=extracted.get("sitename") or "",
        published=_safe_date(extracted.get("date")),
        # Found in the page itself: an address that is not http(s) is dropped, not shown.
        url=web_url(extracted.get("url")) or url,
    )
    return _document(path, text, found.merged(override))


def _safe_date(value: str | None) -> datetime.date | None:
    try:
        return parse_date(value) if value else None
    except InputProblem:
        return None


def _read_url(url: str, override: Metadata) -> Document:
    import trafilatura

    try:
        html = trafilatura.fetch_url(url)
    except Exception as exc:  # noqa: BLE001 (network and parse errors come in many types)
        raise InputProblem(f"fetch failed: {exc}") from None
    if not html:
        raise InputProblem("fetch failed: no answer or an error status")
    return _document_from_html(url, html, override, url=url)


def extract_document(document: Document, gazetteer: Gazetteer) -> Extraction:
    """The extraction of one document: the one call ``ingest_articles`` and
    ``python -m articles.extraction`` share."""
    return extract_article(
        document.text, gazetteer=gazetteer, published=document.metadata.published
    )


def dry_run_dict(document: Document, extraction: Extraction) -> dict:
    """The dry-run JSON of one document (what ``--dry-run --format json`` prints)."""
    meta = document.metadata
    return to_dry_run_dict(
        extraction, path=document.path, title=meta.title, published=meta.published
    )
