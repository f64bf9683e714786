"""The history page reads every version with a fixed number of queries (it read each
version's allies and targets, and the speaker or article it changed to, one query at a time:
21 queries for a statement with two versions and a link)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import editing
from articles.models import Speaker
from spending.models import MemberState, Target

pytestmark = pytest.mark.django_db


def _edit(statement, editor, rounds: range) -> None:
    """One edit of each kind per round: speaker, allies and targets, review status."""
    allies = list(MemberState.objects.order_by("name")[: rounds.stop + 1])
    targets = list(Target.objects.order_by("code"))
    for i in rounds:
        speaker = Speaker.objects.create(name=f"Minister {i}")
        editing.set_statement_speaker(statement=statement, speaker=speaker, user=editor)
        editing.set_statement_about(
            statement=statement,
            members=allies[: i + 2],
            targets=targets[i % len(targets) : i % len(targets) + 1],
            user=editor,
        )
        status = "reviewed" if i % 2 == 0 else "pending"
        editing.set_review_status(statement=statement, status=status, user=editor)


def _page(client, statement) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/editor/history/statement/{statement.pk}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_history_page_reads_any_number_of_versions_with_the_same_queries(
    editor_client, hegseth, editor
):
    _edit(hegseth, editor, range(1))
    short, _ = _page(editor_client, hegseth)
    _edit(hegseth, editor, range(1, 4))
    long_, html = _page(editor_client, hegseth)
    assert hegseth.history.count() >= 10
    assert long_ == short, f"{short} queries, then {long_} for {hegseth.history.count()} versions"
    # What each version shows is still there: who changed it, the speaker and the allies.
    assert html.count("editor</td>") >= 9
    assert "Pete Hegseth → Minister 0" in html
    assert "Minister 2 → Minister 3" in html
    assert "Albania, Belgium" in html


def test_a_speaker_set_on_an_unattributed_statement_reads_from_nobody(
    editor_client, hegseth, editor
):
    """Taking the speaker away and giving one back read "Deleted speaker (pk=None)", as if a
    speaker had been deleted: an empty speaker is "—", as every empty field."""
    editing.set_statement_speaker(statement=hegseth, speaker=None, user=editor)
    hegseth.refresh_from_db()
    editing.set_statement_speaker(
        statement=hegseth, speaker=Speaker.objects.create(name="Petteri Orpo"), user=editor
    )
    _, html = _page(editor_client, hegseth)
    assert "pk=None" not in html and "Deleted speaker" not in html
    assert "Pete Hegseth → —" in html and "— → Petteri Orpo" in html
