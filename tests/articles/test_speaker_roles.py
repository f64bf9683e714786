"""Speakers' roles have dates; the role an article wrote is shown as written, beside the role
held on the article's date, and a mismatch is flagged for editors (issue 12.5)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.ingestion import Ingestor
from articles.inputs import Document, read_inputs
from articles.models import Speaker, SpeakerRole, Statement
from articles.roles import RolesFileError, check_role, read_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.SAMPLE_ARTICLES_DIR)
APRIL_24 = datetime.date(2025, 4, 24)


@pytest.fixture
def seed_004():
    (document,) = [
        d
        for d in read_inputs([str(SAMPLES / "004_da238c75bddf0ef1.txt")])
        if isinstance(d, Document)
    ]
    Ingestor().ingest(document)


def test_every_shipped_role_is_sourced_and_dated():
    roles = read_roles()
    assert {"Mark Rutte", "Jens Stoltenberg", "Pete Hegseth"} <= set(roles)
    for rows in roles.values():
        for row in rows:
            assert row.source.count("http") >= 1
    rutte = {r.role: r for r in roles["Mark Rutte"]}
    assert rutte["Prime Minister of the Netherlands"].end == datetime.date(2024, 7, 2)
    assert rutte["NATO Secretary General"].start == datetime.date(2024, 10, 1)


def test_a_bad_roles_file_is_refused(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text("name,role,start,end,written_as,source\nA,B,2025-01-02,2024-01-01,,x\n")
    with pytest.raises(RolesFileError, match=r"roles\.csv:2: end"):
        read_roles(path)


def test_ingestion_gives_a_new_speaker_their_dated_roles(seed_004):
    rutte = Speaker.objects.get(name="Mark Rutte")
    assert list(rutte.roles.values_list("role", flat=True)) == [
        "Prime Minister of the Netherlands",
        "NATO Secretary General",
    ]


def test_seed_004_calls_rutte_dutch_prime_minister_a_role_he_had_left(seed_004):
    statement = Statement.objects.filter(speaker__name="Mark Rutte").first()
    assert statement.speaker_role == "Dutch Prime Minister"
    roles = list(SpeakerRole.objects.filter(speaker=statement.speaker))
    role = check_role(statement.speaker_role, roles, APRIL_24)
    assert role.held.role == "NATO Secretary General"
    assert role.mismatch
    assert "Prime Minister of the Netherlands" in role.message and "2 July 2024" in role.message
    # on a day he was Prime Minister the same words fit
    assert not check_role("Dutch Prime Minister", roles, datetime.date(2023, 5, 1)).mismatch
    # "former NATO Secretary General" (Stoltenberg in the same article) is not a mismatch
    stoltenberg = list(SpeakerRole.objects.filter(speaker__name="Jens Stoltenberg"))
    assert not check_role("former NATO Secretary General", stoltenberg, APRIL_24).mismatch
    assert not check_role("NATO Secretary General", roles, APRIL_24).mismatch


def test_pages_quote_the_written_role_and_editors_see_the_mismatch(client, seed_004):
    statement = Statement.objects.filter(speaker__name="Mark Rutte").first()
    public = client.get(statement.get_absolute_url()).content.decode()
    assert '<q class="role-as-written"' in public and "Dutch Prime Minister</q>" in public
    assert "NATO Secretary General on that date, since 1 October 2024" in public
    assert "Role mismatch" not in public
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    page = client.get(f"/editor/statements/{statement.pk}/").content.decode()
    assert "Role mismatch" in page and "2 July 2024" in page
    queue = client.get("/editor/").content.decode()
    assert "Role mismatch" in queue


def test_load_speaker_roles_attaches_roles_to_stored_speakers_idempotently(seed_004):
    SpeakerRole.objects.all().delete()
    out = io.StringIO()
    call_command("load_speaker_roles", stdout=out)
    assert "dated roles attached" in out.getvalue()
    count = SpeakerRole.objects.count()
    call_command("load_speaker_roles", stdout=io.StringIO())
    assert SpeakerRole.objects.count() == count >= 3
