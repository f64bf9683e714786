"""Speakers' roles with dates, and the role an article gave a speaker.

An article writes a role as it saw fit ("Dutch Prime Minister Mark Rutte"); the statement keeps
it word for word (``Statement.speaker_role``). The roles a person actually held, with their
dates and sources, are :class:`~articles.models.SpeakerRole` rows, shipped in
``articles/data/speaker_roles.csv`` and attached to a speaker when ingestion first stores them
(``manage.py load_speaker_roles`` attaches them to speakers stored before). :func:`check_role`
compares the two on the article's date: seed 004 calls Mark Rutte "Dutch Prime Minister" on 24
April 2025, when he had left that office (2 July 2024) and was NATO Secretary General (since 1
October 2024): a mismatch editors are shown.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from nato_tracker.data_version import bump_data_version, kept

from .models import Speaker, SpeakerRole

ROLES_CSV = Path(__file__).resolve().parent / "data" / "speaker_roles.csv"
#: Words that make a written role about the past or the future ("former NATO Secretary
#: General"): such a role is not compared with the role held on the day.
NOT_CURRENT = re.compile(r"\b(former|ex|then|outgoing|incoming|future|designate|late)\b", re.I)


class RolesFileError(ValueError):
    """A bad row in the roles file (``file:line: reason``)."""


@dataclass(frozen=True)
class RoleRow:
    name: str
    role: str
    start: datetime.date
    end: datetime.date | None
    written_as: str
    source: str


def read_roles(path: Path = ROLES_CSV) -> dict[str, list[RoleRow]]:
    """The shipped roles by speaker name; :class:`RolesFileError` on a bad row."""
    by_name: dict[str, list[RoleRow]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            try:
                start = datetime.date.fromisoformat(row["start"].strip())
                end_text = (row.get("end") or "").strip()
                end = datetime.date.fromisoformat(end_text) if end_text else None
            except ValueError as exc:
                raise RolesFileError(f"{where}: {exc}") from None
            if end is not None and end <= start:
                raise RolesFileError(f"{where}: end {end} is not after start {start}")
            if not row["name"].strip() or not row["role"].strip() or not row["source"].strip():
                raise RolesFileError(f"{where}: name, role and source are required")
            by_name[row["name"].strip()].append(
                RoleRow(
                    row["name"].strip(),
                    row["role"].strip(),
                    start,
                    end,
                    (row.get("written_as") or "").strip(),
                    row["source"].strip(),
                )
            )
    return dict(by_name)


@transaction.atomic
def attach_roles(speakers: Iterable[Speaker], shipped: dict[str, list[RoleRow]] | None = None):
    """Give these speakers their shipped roles (idempotent: a role is updated, never doubled).

    Returns how many roles were written."""
    shipped = read_roles() if shipped is None else shipped
    rows = [
        SpeakerRole(
            speaker=speaker,
            role=role.role,
            start=role.start,
            end=role.end,
            written_as=role.written_as,
            source=role.source,
        )
        for speaker in speakers
        for role in shipped.get(speaker.name, ())
    ]
    if rows:
        SpeakerRole.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["speaker", "role", "start"],
            update_fields=["end", "written_as", "source"],
        )
        transaction.on_commit(bump_data_version)
    return len(rows)


def roles_by_speaker() -> dict[int, list[SpeakerRole]]:
    """Every speaker's roles, oldest first (one query, kept in the process until the data
    changes: :data:`ROLES_KEPT`). Read only: the same dict for every caller."""
    return kept(*ROLES_KEPT)


def _every_role() -> dict[int, list[SpeakerRole]]:
    out: dict[int, list[SpeakerRole]] = defaultdict(list)
    for role in SpeakerRole.objects.order_by("speaker_id", "start"):
        out[role.speaker_id].append(role)
    return dict(out)


#: ``(key, build, scope)`` of the speakers' roles for ``nato_tracker.data_version.kept``
#: (editors add roles: every data version).
ROLES_KEPT = ("speaker-roles", _every_role, None)


def _names(phrase: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I) is not None


@dataclass(frozen=True)
class RoleCheck:
    """The role an article wrote, beside the role the speaker held on the article's date."""

    as_written: str
    day: datetime.date | None
    held: SpeakerRole | None  # the role held on ``day``, as far as the app knows
    named: SpeakerRole | None  # the known role the written words name, if any

    @property
    def mismatch(self) -> bool:
        """True when the article names a role the speaker did not hold on its date."""
        return self.named is not None and self.day is not None and not self.named.held_on(self.day)

    @property
    def message(self) -> str:
        if not self.mismatch:
            return ""
        when = self.day.strftime("%d %B %Y").lstrip("0")
        named = self.named
        ended = (
            f"held {named.period}"
            if named.end is not None
            else f"held only from {named.start.strftime('%d %B %Y').lstrip('0')}"
        )
        now = f"; on that day: {self.held.role} ({self.held.period})" if self.held else ""
        return (
            f"The article calls the speaker “{self.as_written}” on {when}: {named.role}, "
            f"a role {ended}{now}."
        )


def check_role(as_written: str, roles: list[SpeakerRole], day: datetime.date | None) -> RoleCheck:
    """Compare a written role with a speaker's dated roles on ``day`` (the article's date)."""
    held = next((r for r in roles if day is not None and r.held_on(day)), None)
    named = None
    if as_written and not NOT_CURRENT.search(as_written):
        # The longest phrase decides: "NATO Secretary General" before "Secretary General".
        best = 0
        for role in roles:
            for phrase in role.phrases:
                if len(phrase) > best and _names(phrase, as_written):
                    best, named = len(phrase), role
        if (
            named is not None
            and held is not None
            and any(_names(p, as_written) for p in held.phrases)
        ):
            named = held  # the words fit the role held that day too
    return RoleCheck(as_written=as_written, day=day, held=held, named=named)


#: :class:`RoleColumns` of a row whose role cannot be checked (no resolved speaker, no date).
NO_ROLE_COLUMNS = (None, None, None, None, None, "")


class RoleColumns:
    """The role columns of the rows of a list, as the statements API and the bulk download
    show them: the role the speaker held on the article's date (role, start, end, source; the
    dates as ISO text), whether the role as written names one they did not hold that day, and
    that mismatch in words. :data:`NO_ROLE_COLUMNS` without a resolved speaker or a date. The
    speakers' roles are read once (``roles``: :func:`roles_by_speaker` when the caller has
    it) and each (speaker, role as written, day) is checked once: a list of 11,000 statements
    makes a few thousand checks."""

    def __init__(self, roles: dict[int, list[SpeakerRole]] | None = None):
        self.roles = roles_by_speaker() if roles is None else roles
        self.made: dict[tuple, tuple] = {}

    def __call__(self, speaker_id: int | None, as_written: str, day: datetime.date | None):
        if speaker_id is None or day is None:
            return NO_ROLE_COLUMNS
        key = (speaker_id, as_written, day)
        columns = self.made.get(key)
        if columns is None:
            check = check_role(as_written, self.roles.get(speaker_id, []), day)
            held = check.held
            columns = self.made[key] = (
                *(
                    (held.role, held.start.isoformat(), _iso(held.end), held.source)
                    if held is not None
                    else (None, None, None, None)
                ),
                check.mismatch,
                check.message,
            )
        return columns


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def statement_role(
    statement,
    day: datetime.date | None = None,
    *,
    roles: dict[int, list[SpeakerRole]] | None = None,
) -> RoleCheck | None:
    """The role check of a statement (its speaker's roles on its article's date, ``day`` when
    the caller has it), or None without a resolved speaker. ``roles``: :func:`roles_by_speaker`
    when the caller has already read it (a list of statements reads it once)."""
    if statement.speaker_id is None:
        return None
    roles = roles_by_speaker() if roles is None else roles
    return check_role(
        statement.speaker_role,
        roles.get(statement.speaker_id, []),
        day or statement.article.published,
    )
