"""No lost update on any editor write of a statement or a claim: each goes through
``editing.edit`` (version checked and raised, history attributed, one transaction), so two
editors working from the same version never both save; the second is refused, names the
first, and writes nothing (no orphan speaker, no link). Services, editor pages and the API."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client

from articles import editing
from articles.models import ReportedFigure, Speaker, Statement, StatementLink
from spending.models import MemberState, Target
from tests.editor.conftest import snapshot
from tests.editor.test_api import token_client

pytestmark = pytest.mark.django_db


def state() -> dict:
    """:func:`snapshot`, with the versions and the speakers' history."""
    return {
        **snapshot(),
        "versions": list(Statement.objects.order_by("pk").values_list("pk", "version")),
        "claim_versions": list(ReportedFigure.objects.order_by("pk").values_list("version")),
        "speaker_history": Speaker.history.count(),
    }


def second_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --------------------------------------------------------------------------- services

# Each editor write of a statement or claim, made from version 1 (``expected_version=1``).
WRITES = {
    "speaker": lambda s, c, f, user: editing.set_statement_speaker(
        statement=s, speaker=None, user=user, expected_version=1
    ),
    "new speaker": lambda s, c, f, user: editing.create_speaker_for_statement(
        statement=s, name="Peter Hegseth", user=user, expected_version=1
    ),
    "about": lambda s, c, f, user: editing.set_statement_about(
        statement=s,
        members=[MemberState.objects.get(iso3="POL")],
        targets=[],
        user=user,
        expected_version=1,
    ),
    "review": lambda s, c, f, user: editing.set_review_status(
        statement=s, status="rejected", user=user, expected_version=1
    ),
    "link": lambda s, c, f, user: editing.link_statement(
        statement=s, figure=f, note="", user=user, expected_version=1
    ),
    "revert": lambda s, c, f, user: editing.revert_to_version(
        record=s.history.last(), user=user, expected_version=1
    ),
    "unlink": lambda s, c, f, user: editing.unlink_statement(
        link=s.links.get(), user=user, expected_version=1
    ),
    "restore link": lambda s, c, f, user: editing.restore_link(
        record=StatementLink.history.get(statement_id=s.pk, history_type="-"),
        user=user,
        expected_version=1,
    ),
    "verdict": lambda s, c, f, user: editing.set_claim_verdict(
        claim=c, verdict="matches", note="rounded", user=user, expected_version=1
    ),
    "clear verdict": lambda s, c, f, user: editing.clear_claim_verdict(
        claim=c, user=user, expected_version=1
    ),
}


@pytest.fixture
def links(hegseth, usa_2025, editor):
    """For "unlink" and "restore link": a link to the 2% target and a removed one to the US
    figure, made without a version of the statement (the writes start from version 1)."""
    made = {"statement": hegseth, "created_by": editor}
    StatementLink.objects.create(**made, target=Target.objects.get(code="2"))
    StatementLink.objects.create(**made, figure=usa_2025).delete()


def other_edit(statement, claim, user) -> None:
    """The other editor's save, made first: a new version of the statement and of the claim."""
    editing.set_statement_about(
        statement=statement, members=[], targets=[Target.objects.get(code="2")], user=user
    )
    editing.set_claim_verdict(claim=claim, user=user)


@pytest.mark.parametrize("write", list(WRITES))
def test_a_stale_write_is_refused_names_the_other_edit_and_writes_nothing(
    write, hegseth, claim, usa_2025, editor, other_editor, links
):
    other_edit(hegseth, claim, other_editor)
    before = state()
    with pytest.raises(editing.EditConflict, match="second-editor") as caught:
        WRITES[write](hegseth, claim, usa_2025, editor)
    assert state() == before
    assert caught.value.expected == 1 and caught.value.current_version == 2


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_overtaken_inside_its_transaction_writes_nothing(
    write, hegseth, claim, usa_2025, editor, other_editor, links, monkeypatch
):
    """Another save that commits between the check and the claim of the next version (where
    ``select_for_update`` does not lock, SQLite) is caught by ``UPDATE ... WHERE version = n``:
    the whole edit rolls back, the speaker or link it made first included."""
    current = editing._current

    def overtaken(model, pk, expected_version):
        obj = current(model, pk, expected_version)
        model.objects.filter(pk=pk).update(version=F("version") + 1)  # the other save
        return obj

    monkeypatch.setattr(editing, "_current", overtaken)
    before = state()
    with pytest.raises(editing.EditConflict):
        WRITES[write](hegseth, claim, usa_2025, editor)
    assert state() == before


def test_unlink_and_restore_are_versions_of_the_statement(hegseth, usa_2025, editor, other_editor):
    link = editing.link_statement(statement=hegseth, figure=usa_2025, note="", user=editor)
    hegseth.refresh_from_db()
    assert hegseth.version == 2
    newest = hegseth.history.first()
    assert newest.history_user == editor and newest.version == 2
    assert newest.history_change_reason.startswith(f"link {link.pk} added: USA 2025")
    editing.set_review_status(statement=hegseth, status="reviewed", user=other_editor)
    with pytest.raises(editing.EditConflict, match="review_status"):
        editing.unlink_statement(link=link, user=editor, expected_version=2)
    assert StatementLink.objects.filter(pk=link.pk).exists()
    link_id = link.pk
    editing.unlink_statement(link=link, user=editor, expected_version=3)
    removed = StatementLink.history.filter(id=link_id).first()
    editing.set_review_status(statement=hegseth, status="pending", user=other_editor)
    with pytest.raises(editing.EditConflict, match=r"link \d+ removed"):
        editing.restore_link(record=removed, user=other_editor, expected_version=3)
    assert not StatementLink.objects.filter(pk=link_id).exists()
    editing.revert_to_version(record=removed, user=editor, expected_version=5)
    assert StatementLink.objects.filter(pk=link_id).exists()
    assert Statement.objects.get(pk=hegseth.pk).version == 6
    assert hegseth.history.first().history_change_reason.startswith(f"link {link_id} restored")


def test_a_link_removed_twice_at_once_is_removed_once(hegseth, usa_2025, editor, other_editor):
    """Two removals of the same link, each read before either wrote (as two requests would):
    the second finds it gone under the statement's lock and writes nothing (no second
    "removed" record, no version)."""
    made = editing.link_statement(statement=hegseth, figure=usa_2025, note="", user=editor)
    first, second = (StatementLink.objects.get(pk=made.pk) for _ in range(2))
    editing.unlink_statement(link=first, user=editor)
    before = {**state(), "link_history": StatementLink.history.count()}
    with pytest.raises(ValidationError, match="already removed"):
        editing.unlink_statement(link=second, user=other_editor)
    assert {**state(), "link_history": StatementLink.history.count()} == before
    assert Statement.objects.get(pk=hegseth.pk).version == 3
    assert StatementLink.history.filter(id=made.pk, history_type="-").count() == 1


# --------------------------------------------------------------------------- editor pages


def test_stale_revert_form_shows_the_other_edit_and_saves_nothing(
    editor_client, hegseth, other_editor
):
    editing.set_review_status(statement=hegseth, status="reviewed", user=other_editor)
    page = editor_client.get(f"/editor/history/statement/{hegseth.pk}/").content.decode()
    assert 'name="version" value="2"' in page  # the revert buttons carry the version read
    first = hegseth.history.last()
    # Meanwhile the other editor changes the allies.
    editing.set_statement_about(statement=hegseth, members=[], targets=[], user=other_editor)
    before = state()
    response = editor_client.post(
        f"/editor/history/statement/revert/{first.history_id}/", {"version": "2"}, follow=True
    )
    assert state() == before  # the other editor's allies are not reverted
    text = page_messages(response)
    assert "Not saved" in text and "second-editor" in text and "members" in text
    editor_client.post(f"/editor/history/statement/revert/{first.history_id}/", {"version": "3"})
    assert Statement.objects.get(pk=hegseth.pk).version == 4


def test_stale_link_forms_show_the_other_edit_and_save_nothing(
    editor_client, hegseth, usa_2025, other_editor
):
    page = editor_client.get(f"/editor/statements/{hegseth.pk}/").content.decode()
    links = page[page.index('id="links"') :]
    assert links.count('name="version" value="1"') >= 2  # suggestions and "another figure"
    second_client(other_editor).post(
        f"/editor/statements/{hegseth.pk}/speaker/", {"speaker": "", "version": "1"}
    )
    before = state()
    response = editor_client.post(
        f"/editor/statements/{hegseth.pk}/link/",
        {"figure": usa_2025.pk, "note": "", "version": "1"},
        follow=True,
    )
    assert state() == before
    text = page_messages(response)
    assert "Not saved" in text and "second-editor" in text and "speaker" in text
    link = editing.link_statement(statement=hegseth, figure=usa_2025, note="", user=other_editor)
    before = state()
    response = editor_client.post(f"/editor/links/{link.pk}/remove/", {"version": "2"}, follow=True)
    assert state() == before
    assert f"link {link.pk} added" in page_messages(response)


# --------------------------------------------------------------------------- API


def test_api_new_speaker_is_one_write_under_if_match(editor, other_editor, hegseth):
    first, second = token_client(editor), token_client(other_editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    tag = first.get(url)["ETag"]
    second.put(f"{url}speaker/", {"speaker": None}, format="json", HTTP_IF_MATCH=tag)
    before = state()
    stale = first.post(
        f"{url}new-speaker/",
        {"name": "Peter Hegseth", "aliases": ["Hegseth"]},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert stale.status_code == 412
    assert state() == before  # no orphan speaker
    assert stale.json()["edits"][0]["user"] == "second-editor"
    fresh = first.post(
        f"{url}new-speaker/",
        {"name": "Peter Hegseth", "aliases": ["Hegseth"]},
        format="json",
        HTTP_IF_MATCH=stale.json()["current_etag"],
    )
    assert fresh.status_code == 200 and fresh["ETag"].startswith('"v3.')
    speaker = Speaker.objects.get(name="Peter Hegseth")
    assert Statement.objects.get(pk=hegseth.pk).speaker == speaker
    assert fresh.json()["speaker"]["slug"] == speaker.slug


def test_api_revert_takes_if_match(editor, other_editor, hegseth, claim):
    client = token_client(editor)
    url = f"/api/v1/statements/{hegseth.pk}/"
    tag = client.get(url)["ETag"]
    first = hegseth.history.last()
    poland = MemberState.objects.get(iso3="POL")
    editing.set_statement_about(statement=hegseth, members=[poland], targets=[], user=other_editor)
    before = state()
    revert = f"/api/v1/history/statement/revert/{first.history_id}/"
    stale = client.post(revert, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and state() == before
    assert stale.json()["edits"][0]["user"] == "second-editor"
    done = client.post(revert, HTTP_IF_MATCH=stale.json()["current_etag"])
    assert done.status_code == 200 and done["ETag"] == client.get(url)["ETag"]
    # A claim's revert takes its verdict's ETag.
    verdict = f"/api/v1/claims/reported_figure/{claim.pk}/verdict/"
    claim_tag = client.get(verdict)["ETag"]
    editing.set_claim_verdict(claim=claim, user=other_editor)
    record = ReportedFigure.history.filter(id=claim.pk).last()
    stale = client.post(
        f"/api/v1/history/reported_figure/revert/{record.history_id}/", HTTP_IF_MATCH=claim_tag
    )
    assert stale.status_code == 412
    assert ReportedFigure.objects.get(pk=claim.pk).confirmed_by == other_editor


def test_api_links_take_the_statements_if_match(editor, other_editor, hegseth, usa_2025):
    client = token_client(editor)
    tag = client.get(f"/api/v1/statements/{hegseth.pk}/")["ETag"]
    editing.set_review_status(statement=hegseth, status="reviewed", user=other_editor)
    before = state()
    body = {"statement": hegseth.pk, "figure": usa_2025.pk, "note": ""}
    stale = client.post("/api/v1/statement-links/", body, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and state() == before
    current = stale.json()["current_etag"]
    made = client.post("/api/v1/statement-links/", body, format="json", HTTP_IF_MATCH=current)
    assert made.status_code == 201
    link = f"/api/v1/statement-links/{made.json()['id']}/"
    assert client.delete(link, HTTP_IF_MATCH=current).status_code == 412
    assert StatementLink.objects.count() == 1
    tag = client.get(f"/api/v1/statements/{hegseth.pk}/")["ETag"]
    assert client.delete(link, HTTP_IF_MATCH=tag).status_code == 204
