"""Known speakers in the gazetteer: one reader of ``speakers.csv``; a name two known speakers
share is ambiguous: the gazetteer names neither, so the statement is left for an editor to
resolve instead of going to whichever speaker was listed first.

Sentences and people written for the test (not from any measured set)."""

from __future__ import annotations

import pytest

from articles.extraction import extract_article
from articles.extraction.gazetteer import Gazetteer, index_speakers, known_speakers_from_csv
from articles.extraction.types import KnownSpeaker

JOHNSONS = (
    KnownSpeaker("Alma Johnson", "Defence Minister of Testland"),
    KnownSpeaker("Bert Johnson", "Finance Minister of Testland", aliases=("B. Johnson",)),
    KnownSpeaker("Carla Vance", "Prime Minister of Testland", aliases=("Vance",)),
)
GAZETTEER = Gazetteer.build([("POL", "Poland")], JOHNSONS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Johnson", None),
        ("Alma Johnson", "Alma Johnson"),
        ("b. johnson", "Bert Johnson"),
        ("Vance", "Carla Vance"),
        ("Nobody", None),
    ],
    ids=lambda value: str(value),
)
def test_a_shared_surname_names_nobody_and_a_full_name_or_alias_still_names_one(name, expected):
    speaker = GAZETTEER.speaker_named(name)
    assert (speaker.name if expected else speaker) == expected


def test_the_order_the_speakers_come_in_does_not_decide():
    assert index_speakers(JOHNSONS) == index_speakers(reversed(JOHNSONS))
    assert index_speakers(JOHNSONS)["johnson"] is None


def test_an_alias_outranks_another_speakers_surname():
    """ "Vance" is Carla Vance's alias; a second Vance's bare surname does not make it shared."""
    index = index_speakers([*JOHNSONS, KnownSpeaker("Dirk Vance")])
    assert index["vance"] == "Carla Vance"
    assert index["dirk vance"] == "Dirk Vance"


def test_a_quote_by_an_ambiguous_surname_is_left_unresolved():
    text = (
        "Testland's cabinet met on Monday to discuss the budget.\n\n"
        "“We will spend far more on defence next year,” Johnson said after the meeting."
    )
    (statement,) = extract_article(text, gazetteer=GAZETTEER).statements
    assert statement.speaker not in {"Alma Johnson", "Bert Johnson"}
    named = (
        "Testland's defence minister Alma Johnson met the press on Monday.\n\n"
        "“We will spend far more on defence next year,” Johnson said after the meeting."
    )
    (statement,) = extract_article(named, gazetteer=GAZETTEER).statements
    assert statement.speaker == "Alma Johnson"  # the article itself says which Johnson


def test_one_reader_of_speakers_csv_with_short_rows(tmp_path):
    path = tmp_path / "speakers.csv"
    path.write_text(
        "name,role,aliases\n"
        "Alma Johnson,Defence Minister, A. Johnson | Alma \n"
        "Bert Johnson\n"
        ",nobody,\n",
        encoding="utf-8",
    )
    assert known_speakers_from_csv(path) == [
        KnownSpeaker("Alma Johnson", "Defence Minister", ("A. Johnson", "Alma")),
        KnownSpeaker("Bert Johnson", "", ()),
    ]
