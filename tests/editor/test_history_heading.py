"""The history's heading names a statement by its first words."""

from __future__ import annotations

from articles.models import Statement


def test_a_long_quote_is_named_by_its_first_words_with_an_ellipsis():
    """Cut at a word, with an ellipsis: the heading read "…never let ou”"."""
    text = "We share a long border with Russia, and we have never let our guard down at all"
    assert str(Statement(text=text)) == (
        "unattributed: “We share a long border with Russia, and we have never let…”"
    )
    assert str(Statement(text="Reaching 3% is a step")) == "unattributed: “Reaching 3% is a step”"
