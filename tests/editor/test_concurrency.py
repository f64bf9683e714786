"""Optimistic concurrency: two editors saving the same statement or verdict from the same
version, in the services, the editor pages and the API (ETag / If-Match)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from articles import editing
from articles.models import ReportedFigure, Speaker, Statement
from spending.models import MemberState, Target
from tests.editor.test_api import token_client

pytestmark = pytest.mark.django_db


def allies(statement) -> list[str]:
    return sorted(statement.members.values_list("iso3", flat=True))


# --------------------------------------------------------------------------- services


def test_every_change_raises_the_version(hegseth, claim, editor):
    assert hegseth.version == 1 and claim.version == 1
    poland = MemberState.objects.get(iso3="POL")
    statement = editing.set_statement_about(
        statement=hegseth, members=[poland], targets=[], user=editor, expected_version=1
    )
    assert statement.version == 2
    statement = editing.set_review_status(
        statement=hegseth, status="reviewed", user=editor, expected_version=2
    )
    assert statement.version == 3
    statement = editing.set_statement_speaker(
        statement=hegseth, speaker=None, user=editor, expected_version=3
    )
    assert Statement.objects.get(pk=hegseth.pk).version == statement.version == 4
    claim = editing.set_claim_verdict(claim=claim, user=editor, expected_version=1)
    claim = editing.clear_claim_verdict(claim=claim, user=editor, expected_version=2)
    assert ReportedFigure.objects.get(pk=claim.pk).version == 3


def test_a_save_that_changes_nothing_keeps_the_version(hegseth, editor):
    members = list(hegseth.members.all())
    targets = list(hegseth.targets.all())
    editing.set_statement_about(statement=hegseth, members=members, targets=targets, user=editor)
    assert Statement.objects.get(pk=hegseth.pk).version == 1


def test_second_save_from_the_same_version_is_refused_and_names_the_first(
    hegseth, editor, other_editor
):
    poland = MemberState.objects.get(iso3="POL")
    germany = MemberState.objects.get(iso3="DEU")
    seen = Statement.objects.get(pk=hegseth.pk).version  # both editors open the form
    editing.set_statement_about(
        statement=hegseth, members=[poland], targets=[], user=editor, expected_version=seen
    )
    with pytest.raises(editing.EditConflict) as caught:
        editing.set_statement_about(
            statement=hegseth,
            members=[germany],
            targets=[],
            user=other_editor,
            expected_version=seen,
        )
    assert allies(hegseth) == ["POL"]  # the first edit survives
    conflict = caught.value
    assert conflict.current_version == seen + 1
    (edit,) = conflict.edits
    assert edit["user"] == "editor"
    assert any(c["field"] == "members" and "Poland" in c["new"] for c in edit["changes"])
    message = conflict.describe()
    assert "editor at" in message and "members" in message and "Poland" in message


def test_stale_verdict_is_refused(claim, editor, other_editor):
    editing.set_claim_verdict(claim=claim, user=editor, expected_version=1)
    with pytest.raises(editing.EditConflict, match="editor_verdict"):
        editing.set_claim_verdict(
            claim=claim, verdict="matches", note="rounded", user=other_editor, expected_version=1
        )
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs" and claim.confirmed_by.username == "editor"


def test_conditional_update_refuses_a_write_that_overtook_the_read(hegseth, editor):
    """The ``UPDATE ... WHERE version = n`` guard itself (what protects SQLite, where
    select_for_update does not lock): a row read at version 1 cannot be saved once another
    transaction has made version 2."""
    stale = Statement.objects.get(pk=hegseth.pk)
    Statement.objects.filter(pk=hegseth.pk).update(version=2)
    with pytest.raises(editing.EditConflict):
        editing._claim_next_version(stale)
    assert Statement.objects.get(pk=hegseth.pk).version == 2


def test_history_does_not_list_the_version_as_a_change(hegseth, editor):
    editing.set_review_status(statement=hegseth, status="reviewed", user=editor)
    rows = editing.history_rows(editing.history_records(Statement, hegseth.pk))
    assert [c["field"] for c in rows[0]["changes"]] == ["review_status"]


def test_revert_checks_the_version_and_records_one_attributed_version(
    hegseth, editor, other_editor
):
    first = hegseth.history.first()  # the fixture's last version: about the USA
    editing.set_statement_about(statement=hegseth, members=[], targets=[], user=other_editor)
    with pytest.raises(editing.EditConflict, match="second-editor"):
        editing.revert_to_version(record=first, user=editor, expected_version=1)
    assert allies(hegseth) == []
    records = hegseth.history.count()
    reverted = editing.revert_to_version(record=first, user=editor, expected_version=2)
    assert Statement.objects.get(pk=hegseth.pk).version == reverted.version == 3
    assert allies(hegseth) == ["USA"]
    assert hegseth.history.count() == records + 1
    newest = hegseth.history.first()
    assert newest.history_user == editor and newest.version == 3
    assert [row.memberstate.iso3 for row in newest.members.all()] == ["USA"]


def test_revert_a_speaker_which_has_no_version(editor):
    speaker = editing.create_speaker(name="Mark Rute", user=editor)
    first = speaker.history.first()
    Speaker.objects.filter(pk=speaker.pk).update(name="Mark Rutte", slug="mark-rutte")
    editing.revert_to_version(record=first, user=editor)
    speaker.refresh_from_db()
    assert speaker.name == "Mark Rute" and speaker.history.first().history_user == editor


def test_new_speaker_from_a_stale_version_is_refused_and_creates_nothing(
    hegseth, editor, other_editor
):
    editing.set_statement_speaker(statement=hegseth, speaker=None, user=other_editor)
    with pytest.raises(editing.EditConflict, match="second-editor"):
        editing.create_speaker_for_statement(
            statement=hegseth, name="Peter Hegseth", user=editor, expected_version=1
        )
    assert not Speaker.objects.filter(name="Peter Hegseth").exists()
    created = editing.create_speaker_for_statement(
        statement=hegseth, name="Peter Hegseth", user=editor, expected_version=2
    )
    hegseth.refresh_from_db()
    assert hegseth.speaker == created and hegseth.version == 3
    assert hegseth.history.first().history_user == editor


# --------------------------------------------------------------------------- editor pages


def test_stale_editor_form_shows_the_other_edit_and_saves_nothing(
    editor_client, hegseth, other_editor
):
    page = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    assert 'name="version" value="1"' in page  # the hidden field in each statement form
    poland = MemberState.objects.get(iso3="POL")
    germany = MemberState.objects.get(iso3="DEU")
    second = Client()
    second.force_login(other_editor)
    url = f"/editor/statements/{hegseth.pk}/about/"
    second.post(url, {"members": [germany.pk], "targets": ["2"], "version": "1"})
    assert allies(hegseth) == ["DEU"]
    response = editor_client.post(
        url, {"members": [poland.pk], "targets": [], "version": "1"}, follow=True
    )
    assert allies(hegseth) == ["DEU"]  # the other editor's save is not lost
    errors = [str(m) for m in get_messages(response.wsgi_request)] or [response.content.decode()]
    text = " ".join(errors)
    assert "second-editor" in text and "Germany" in text and "Not saved" in text
    # After reading again (version 2) the editor's save goes through.
    editor_client.post(url, {"members": [poland.pk], "targets": [], "version": "2"})
    assert allies(hegseth) == ["POL"]


def test_stale_new_speaker_form_shows_the_other_edit_and_saves_nothing(
    editor_client, hegseth, other_editor
):
    page = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    new_speaker_form = page[page.index("/new-speaker/") :]
    assert 'name="version" value="1"' in new_speaker_form[: new_speaker_form.index("</form>")]
    second = Client()
    second.force_login(other_editor)
    second.post(f"/editor/statements/{hegseth.pk}/speaker/", {"speaker": "", "version": "1"})
    response = editor_client.post(
        f"/editor/statements/{hegseth.pk}/new-speaker/",
        {"name": "Peter Hegseth", "role": "", "aliases": "", "version": "1"},
        follow=True,
    )
    hegseth.refresh_from_db()
    assert hegseth.speaker is None  # the other editor's save is not lost
    assert not Speaker.objects.filter(name="Peter Hegseth").exists()
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Not saved" in text and "second-editor" in text and "speaker" in text


def test_stale_verdict_form_is_refused(editor_client, claim, other_editor):
    page = editor_client.get(f"/editor/statements/{claim.article.statements.get().pk}/")
    prefix = f"reported_figure-{claim.pk}"
    assert f'name="{prefix}-version" value="1"' in page.content.decode()
    url = f"/editor/claims/reported_figure/{claim.pk}/verdict/"
    second = Client()
    second.force_login(other_editor)
    second.post(url, {f"{prefix}-verdict": "", f"{prefix}-version": "1"})
    response = editor_client.post(
        url,
        {f"{prefix}-verdict": "matches", f"{prefix}-note": "x", f"{prefix}-version": "1"},
        follow=True,
    )
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs" and claim.confirmed_by == other_editor
    assert "second-editor" in response.content.decode()


# --------------------------------------------------------------------------- API


def test_api_etag_and_if_match(editor, other_editor, hegseth):
    first, second = token_client(editor), token_client(other_editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    read = first.get(url)
    tag = read["ETag"]
    assert tag.startswith('"v1.') and tag == second.get(url)["ETag"]
    answer = second.put(
        f"{url}about/", {"allies": ["DEU"], "targets": []}, format="json", HTTP_IF_MATCH=tag
    )
    assert answer.status_code == 200 and answer["ETag"].startswith('"v2.')
    assert answer["ETag"] == first.get(url)["ETag"]
    stale = first.put(
        f"{url}about/", {"allies": ["POL"], "targets": []}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_version"] == 2 and body["current_etag"] == answer["ETag"]
    assert body["edits"][0]["user"] == "second-editor"
    assert "members" in [c["field"] for c in body["edits"][0]["changes"]]
    assert allies(hegseth) == ["DEU"]
    fresh = first.put(
        f"{url}about/",
        {"allies": ["POL"], "targets": []},
        format="json",
        HTTP_IF_MATCH=body["current_etag"],
    )
    assert fresh.status_code == 200 and allies(hegseth) == ["POL"]
    # Review and speaker take If-Match too; a write without it is made (last write wins).
    assert first.post(f"{url}review/", {"status": "reviewed"}, HTTP_IF_MATCH=tag).status_code == 412
    assert first.post(f"{url}review/", {"status": "reviewed"}).status_code == 200
    assert (
        first.put(f"{url}speaker/", {"speaker": None}, format="json", HTTP_IF_MATCH=tag).status_code
        == 412
    )
    assert (
        first.put(f"{url}speaker/", {"speaker": None}, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )


def test_api_verdict_etag_and_if_match(editor, other_editor, claim):
    first, second = token_client(editor), token_client(other_editor)
    url = f"/api/v1/claims/reported_figure/{claim.pk}/verdict/"
    read = first.get(url)
    assert read.status_code == 200 and read.json()["version"] == 1
    tag = read["ETag"]
    done = second.post(url, {}, format="json", HTTP_IF_MATCH=tag)
    assert done.status_code == 200 and done.json()["version"] == 2
    stale = first.post(
        url, {"verdict": "matches", "note": "rounded"}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 412
    assert stale.json()["edits"][0]["user"] == "second-editor"
    claim.refresh_from_db()
    assert claim.editor_verdict == "differs" and claim.confirmed_by == other_editor
    assert Client().get(url).status_code in (401, 403)  # the verdict's detail is for editors


def test_api_if_match_after_a_link_names_the_link(editor, other_editor, hegseth, usa_2025):
    """A link added is a version of its statement: a write from before it is refused and
    the answer names the link."""
    client = token_client(editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    tag = client.get(url)["ETag"]
    link = editing.link_statement(statement=hegseth, figure=usa_2025, note="", user=other_editor)
    assert client.get(url)["ETag"].startswith('"v2.')
    stale = client.post(f"{url}review/", {"status": "reviewed"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    (edit,) = stale.json()["edits"]
    added = f"link {link.pk} added"
    assert edit["user"] == "second-editor" and edit["reason"].startswith(f"{added}: USA 2025")
    assert "second-editor" in stale.json()["detail"] and added in stale.json()["detail"]
    assert Statement.objects.get(pk=hegseth.pk).review_status != "reviewed"


def test_api_if_match_with_a_changed_answer_but_the_same_version(editor, hegseth):
    client = token_client(editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    tag = client.get(url)["ETag"]
    Speaker.objects.filter(pk=hegseth.speaker_id).update(name="Peter Hegseth")
    assert client.get(url)["ETag"] != tag  # what the client read has changed
    stale = client.post(f"{url}review/", {"status": "reviewed"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and "read it again" in stale.json()["detail"]


def test_targets_are_checked_too(editor, other_editor, hegseth):
    first = token_client(editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    tag = first.get(url)["ETag"]
    editing.set_statement_about(
        statement=hegseth,
        members=list(hegseth.members.all()),
        targets=[Target.objects.get(code="2")],
        user=other_editor,
    )
    stale = first.put(
        f"{url}about/", {"allies": ["USA"], "targets": ["5"]}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 412
    assert list(hegseth.targets.values_list("code", flat=True)) == ["2"]
