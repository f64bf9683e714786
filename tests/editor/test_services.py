"""The write services in articles/editing.py: permissions, history with the user, revert."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles import editing
from articles.models import ReviewStatus, Speaker, SpeakerAlias, Statement, StatementLink
from spending.models import MemberState, Target
from tests.editor.test_api import token_client

pytestmark = pytest.mark.django_db


def test_mark_reviewed_and_reject_keep_the_statement_and_record_the_editor(hegseth, editor):
    editing.mark_reviewed(statement=hegseth, user=editor)
    hegseth.refresh_from_db()
    assert hegseth.review_status == ReviewStatus.REVIEWED
    editing.reject_statement(statement=hegseth, user=editor)
    assert Statement.objects.filter(pk=hegseth.pk, review_status="rejected").exists()
    assert not Statement.objects.public().filter(pk=hegseth.pk).exists()
    record = hegseth.history.first()
    assert record.history_user == editor and record.review_status == "rejected"


def test_unknown_status_is_refused(hegseth, editor):
    with pytest.raises(ValidationError):
        editing.set_review_status(statement=hegseth, status="deleted", user=editor)


def test_set_about_makes_one_history_record_with_the_new_allies(hegseth, editor):
    before = hegseth.history.count()
    poland = MemberState.objects.get(iso3="POL")
    editing.set_statement_about(
        statement=hegseth,
        members=[poland],
        targets=[Target.objects.get(code="3.5")],
        user=editor,
    )
    assert hegseth.history.count() == before + 1
    record = hegseth.history.first()
    assert record.history_user == editor
    assert [row.memberstate_id for row in record.members.all()] == [poland.pk]
    assert list(hegseth.targets.values_list("code", flat=True)) == ["3.5"]


def test_create_speaker_with_aliases(editor):
    speaker = editing.create_speaker(
        name="  Kaja   Kallas ", role="EU foreign policy chief", aliases=["Kallas"], user=editor
    )
    assert speaker.name == "Kaja Kallas" and speaker.slug == "kaja-kallas"
    assert list(SpeakerAlias.objects.filter(speaker=speaker).values_list("alias", flat=True)) == [
        "Kallas"
    ]
    assert speaker.history.first().history_user == editor
    with pytest.raises(ValidationError):
        editing.create_speaker(name="kaja kallas", user=editor)


def test_confirm_and_override_a_verdict(claim, editor):
    editing.set_claim_verdict(claim=claim, user=editor)
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs" and claim.confirmed_by == editor
    assert claim.confirmed_at is not None
    with pytest.raises(ValidationError):  # an override needs a note
        editing.set_claim_verdict(claim=claim, verdict="matches", user=editor)
    editing.set_claim_verdict(
        claim=claim, verdict="matches", note="The article rounds 3.19 up.", user=editor
    )
    claim.refresh_from_db()
    assert claim.final_verdict == "matches"
    assert claim.history.first().history_user == editor
    assert claim.history.first().editor_note == "The article rounds 3.19 up."


def test_revert_a_statement_to_an_earlier_version(hegseth, editor):
    first = hegseth.history.first()
    other = Speaker.objects.create(name="Mark Rutte")
    editing.set_statement_speaker(statement=hegseth, speaker=other, user=editor)
    editing.set_statement_about(statement=hegseth, members=[], targets=[], user=editor)
    editing.reject_statement(statement=hegseth, user=editor)
    editing.revert_to_version(record=first, user=editor)
    hegseth.refresh_from_db()
    assert hegseth.speaker.name == "Pete Hegseth"
    assert hegseth.review_status == "pending"
    assert list(hegseth.members.values_list("iso3", flat=True)) == ["USA"]
    assert list(hegseth.targets.values_list("code", flat=True)) == ["5"]
    assert hegseth.history.first().history_user == editor


def test_reverting_to_a_version_that_changes_nothing_writes_nothing(
    hegseth, editor, editor_client, usa_2025
):
    """A version that recorded only a link's change holds the current fields, allies and
    targets: its revert is refused (service, API, page) and its row offers none."""
    editing.link_statement(statement=hegseth, figure=usa_2025, note="", user=editor)
    link_only = hegseth.history.first()
    assert link_only.history_change_reason.startswith("link ")
    before = (Statement.objects.get(pk=hegseth.pk).version, Statement.history.count())
    with pytest.raises(ValidationError, match="Nothing to revert"):
        editing.revert_to_version(record=link_only, user=editor, expected_version=2)
    answer = token_client(editor).post(f"/api/v1/history/statement/revert/{link_only.history_id}/")
    assert answer.status_code == 400 and "Nothing to revert" in str(answer.json())
    page = editor_client.post(
        f"/editor/history/statement/revert/{link_only.history_id}/", {"version": "2"}, follow=True
    )
    assert "Nothing to revert" in page.content.decode()
    assert (Statement.objects.get(pk=hegseth.pk).version, Statement.history.count()) == before
    # The history page offers a revert only where it would change something.
    rows = editing.history_records(Statement, hegseth.pk)
    differ = [r.history_id for r in rows if not editing.same_editable(r, rows[0])]
    history = editor_client.get(f"/editor/history/statement/{hegseth.pk}/").content.decode()
    assert history.count("Revert to this version") == len(differ)
    assert f"revert/{hegseth.history.earliest().history_id}/" in history  # members differ
    editing.reject_statement(statement=hegseth, user=editor)
    history = editor_client.get(f"/editor/history/statement/{hegseth.pk}/").content.decode()
    assert f"revert/{link_only.history_id}/" in history  # pending: differs now


def test_revert_a_verdict(claim, editor):
    editing.set_claim_verdict(claim=claim, user=editor)
    confirmed = claim.history.first()
    editing.set_claim_verdict(claim=claim, verdict="matches", note="rounding", user=editor)
    editing.revert_to_version(record=confirmed, user=editor)
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs" and claim.editor_note == ""


def test_removed_link_is_restored_from_its_history(hegseth, editor, usa_2025):
    link = editing.link_statement(
        statement=hegseth, figure=usa_2025, note="the US figure", user=editor
    )
    pk = link.pk
    editing.unlink_statement(link=link, user=editor)
    assert not StatementLink.objects.filter(pk=pk).exists()
    removed = StatementLink.history.filter(id=pk).first()
    assert removed.history_type == "-" and removed.history_user == editor
    restored = editing.revert_to_version(record=removed, user=editor)
    assert restored.pk == pk and restored.figure == usa_2025 and restored.note == "the US figure"
    assert StatementLink.history.filter(id=pk).first().history_type == "+"
    with pytest.raises(ValidationError):
        editing.restore_link(record=removed, user=editor)


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_every_service_refuses_users_without_the_permission(who, hegseth, claim, reader, editor):
    from django.contrib.auth.models import AnonymousUser

    from tests.editor.conftest import snapshot

    user = AnonymousUser() if who == "anonymous" else reader
    link = editing.link_statement(
        statement=hegseth, target=Target.objects.get(code="5"), note="", user=editor
    )
    record = hegseth.history.last()
    before = snapshot()
    calls = [
        lambda: editing.mark_reviewed(statement=hegseth, user=user),
        lambda: editing.reject_statement(statement=hegseth, user=user),
        lambda: editing.set_statement_about(statement=hegseth, members=[], targets=[], user=user),
        lambda: editing.set_statement_speaker(statement=hegseth, speaker=None, user=user),
        lambda: editing.create_speaker(name="Somebody", user=user),
        lambda: editing.set_claim_verdict(claim=claim, user=user),
        lambda: editing.clear_claim_verdict(claim=claim, user=user),
        lambda: editing.unlink_statement(link=link, user=user),
        lambda: editing.revert_to_version(record=record, user=user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before
