"""Where the tests find ``../shared`` (reference articles, gold and scorers beside the checkout).

The quality tests need it: when it is missing they fail with a message saying so, never skip,
so that a CI run without the data cannot pass silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared(*parts: str) -> Path:
    """The path ``../shared/<parts>``; fails the test loudly when it does not exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the quality tests need the shared data beside the checkout "
            "(../shared relative to the repository root)",
            pytrace=False,
        )
    return path
