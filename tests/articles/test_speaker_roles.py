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


def _api_statements(client, **params) -> list[dict]:
    response = client.get("/api/v1/statements/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_statements_api_gives_the_role_held_on_the_date_and_the_mismatch(client, seed_004):
    """Seed 004 (24 April 2025) writes "Dutch Prime Minister" for Mark Rutte: the API gives it
    as written, beside the role he held that day (NATO Secretary General since 1 October 2024,
    from speaker_roles.csv), and flags the mismatch (he left that office on 2 July 2024)."""
    rutte = _api_statements(client, speaker="mark-rutte")
    assert rutte, "seed 004 quotes Mark Rutte"
    written = [s for s in rutte if s["speaker_role"] == "Dutch Prime Minister"]
    assert written
    for statement in written:
        assert statement["article"]["published"] == "2025-04-24"
        assert statement["role_on_date"]["role"] == "NATO Secretary General"
        assert statement["role_on_date"]["start"] == "2024-10-01"
        assert statement["role_on_date"]["end"] is None
        assert statement["role_on_date"]["source"].count("http") >= 1
        assert statement["role_mismatch"] is True
        detail = statement["role_mismatch_detail"]
        assert "Prime Minister of the Netherlands" in detail and "2 July 2024" in detail
        assert "NATO Secretary General (since 1 October 2024)" in detail
    # A statement whose article wrote no role has the role held that day and no mismatch.
    for statement in rutte:
        if statement["speaker_role"] == "":
            assert statement["role_on_date"]["role"] == "NATO Secretary General"
            assert statement["role_mismatch"] is False
            assert statement["role_mismatch_detail"] == ""
    # The detail endpoint says the same.
    one = client.get(f"/api/v1/statements/{written[0]['id']}/").json()
    assert one["role_mismatch"] is True
    assert one["role_on_date"] == written[0]["role_on_date"]


def test_a_statement_without_a_date_or_a_speaker_has_no_role_check(client, seed_004):
    statement = Statement.objects.filter(speaker__name="Mark Rutte").first()
    article = statement.article
    article.published = None
    article.save()
    (row,) = [s for s in _api_statements(client, article=article.pk) if s["id"] == statement.pk]
    assert row["role_on_date"] is None and row["role_mismatch"] is None
    assert row["role_mismatch_detail"] == ""
    statement.speaker = None
    statement.save()
    detail = client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert detail["role_on_date"] is None and detail["role_mismatch"] is None


def test_statements_csv_has_the_role_columns(client, seed_004):
    import csv
    import io

    response = client.get("/api/v1/statements/", {"speaker": "mark-rutte", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    row = next(r for r in rows if r["speaker_role_as_written"] == "Dutch Prime Minister")
    assert row["role_on_date_role"] == "NATO Secretary General"
    assert row["role_on_date_start"] == "2024-10-01" and row["role_on_date_end"] == ""
    assert row["role_mismatch"] == "true"
    assert "2 July 2024" in row["role_mismatch_detail"]


def test_openapi_types_the_role_fields(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["Statement"]["properties"]
    assert fields["role_mismatch"]["type"] == ["boolean", "null"]
    assert fields["role_mismatch_detail"]["type"] == "string"
    assert fields["role_on_date"]["oneOf"] == [
        {"$ref": "#/components/schemas/RoleOnDate"},
        {"type": "null"},
    ]
    on_date = schema["components"]["schemas"]["RoleOnDate"]["properties"]
    assert on_date["start"] == {**on_date["start"], "type": "string", "format": "date"}
    assert on_date["end"]["type"] == ["string", "null"]
    assert "as the article wrote it" in fields["speaker_role"]["description"]


def test_bulk_download_statements_carry_the_role_columns_of_the_api(client, seed_004, tmp_path):
    """The bulk download's statements.csv says what the statements API's CSV says about roles
    (as written, held on the date, mismatch), typed in datapackage.json; the dated roles
    themselves are a table of their own."""
    import csv
    import io
    import json
    import zipfile

    from frictionless import Package

    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/download/").content))
    bulk = {
        int(row["id"]): row
        for row in csv.DictReader(io.StringIO(archive.read("statements.csv").decode()))
    }
    api = csv.DictReader(
        io.StringIO(client.get("/api/v1/statements/", {"format": "csv"}).getvalue().decode())
    )
    role_columns = [
        "speaker_role_as_written",
        "role_on_date_role",
        "role_on_date_start",
        "role_on_date_end",
        "role_on_date_source",
        "role_mismatch",
        "role_mismatch_detail",
    ]
    compared = 0
    for row in api:
        assert {c: bulk[int(row["id"])][c] for c in role_columns} == {
            c: row[c] for c in role_columns
        }
        compared += 1
    assert compared == len(bulk) > 0
    dutch = [r for r in bulk.values() if r["speaker_role_as_written"] == "Dutch Prime Minister"]
    assert dutch and all(r["role_mismatch"] == "true" for r in dutch)
    assert all(r["role_on_date_role"] == "NATO Secretary General" for r in dutch)
    assert all("2 July 2024" in r["role_mismatch_detail"] for r in dutch)
    roles = list(csv.DictReader(io.StringIO(archive.read("speaker_roles.csv").decode())))
    rutte = {r["role"]: r for r in roles if r["speaker"] == "mark-rutte"}
    assert rutte["Prime Minister of the Netherlands"]["end"] == "2024-07-02"
    assert rutte["NATO Secretary General"]["start"] == "2024-10-01"

    descriptor = json.loads(archive.read("datapackage.json"))
    types = {
        resource["name"]: {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    assert types["statements"]["role_mismatch"] == "boolean"
    assert types["statements"]["role_on_date_start"] == "date"
    assert types["statements"]["role_on_date_end"] == "date"
    assert types["speaker_roles"]["end"] == "date"
    archive.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
