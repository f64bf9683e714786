"""docs/api.md's pandas and generated-client examples run as written against a live server.

The client is generated offline by openapi-python-client (pinned in the dev dependencies) from
the schema the server serves, into a temporary folder, and imported unmodified.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from articles.models import AggregateClaim
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
USERNAME, PASSWORD = "doc-editor", "doc-editor-password-123"


def python_blocks(heading: str) -> list[str]:
    """The ```python blocks under ``### heading`` of docs/api.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


@pytest.fixture
def server(reference_data, live_server):
    return live_server.url


def test_the_pandas_example_runs(server, capsys):
    (block,) = python_blocks("pandas")
    exec(compile(block, "docs/api.md (pandas)", "exec"), {"BASE_URL": server})
    printed = capsys.readouterr().out
    assert "meets" in printed and "no_data" in printed


def generate_client(server: str, folder: Path) -> None:
    schema = folder / "schema.json"
    schema.write_bytes(urlopen(f"{server}/api/schema/?format=json").read())
    tool = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [
            str(tool),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(folder / "nato_tracker_client"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_the_generated_client_example_runs(server, tmp_path, monkeypatch, capsys):
    user = UserFactory(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="add_speaker"))
    generate_client(server, tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("nato_tracker_client")]:
        monkeypatch.delitem(sys.modules, name)
    (block,) = python_blocks("A generated client")
    namespace = {"BASE_URL": server, "USERNAME": USERNAME, "PASSWORD": PASSWORD}
    exec(compile(block, "docs/api.md (client)", "exec"), namespace)
    assert capsys.readouterr().out.splitlines()[:2] == [
        "no_data None",
        f"kaja-kallas {namespace['token'].expires}",
    ]
    from rest_framework.authtoken.models import Token

    assert not Token.objects.filter(user=user).exists()  # revoked by the example


def test_the_generated_client_reads_errors_and_every_list(server, tmp_path, monkeypatch):
    generate_client(server, tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith("nato_tracker_client")]:
        monkeypatch.delitem(sys.modules, name)
    from nato_tracker_client import Client
    from nato_tracker_client.api.allies import allies_list, allies_retrieve
    from nato_tracker_client.api.figures import figures_list
    from nato_tracker_client.api.sources import sources_list
    from nato_tracker_client.api.targets import targets_list
    from nato_tracker_client.models import Error

    client = Client(base_url=server, raise_on_unexpected_status=True)
    assert allies_list.sync(client=client, member_in=2024).count == 32
    assert [t.code for t in targets_list.sync(client=client).results][:2] == ["2", "3"]
    assert sources_list.sync(client=client, is_nato_edition=True).count > 5
    polish = figures_list.sync(client=client, ally=["POL"], year=2024)
    assert {f.ally.iso3 for f in polish.results} == {"POL"}
    assert_claims_checks_are_lists(client)
    missing = allies_retrieve.sync_detailed(client=client, iso3="ZZZ")
    assert missing.status_code == 404 and isinstance(missing.parsed, Error)
    bad = allies_list.sync_detailed(client=client, member_in=1900)
    assert bad.status_code == 400 and isinstance(bad.parsed, Error)


def assert_claims_checks_are_lists(client) -> None:
    """A check's editions are lists in the generated client's models, as its alternative's."""
    from nato_tracker_client.api.claims import claims_list

    check = {
        "verdict": "differs",
        "source_code": "NATO_2024REPORT_KNEWS; NATO_DE2024_GRAPHICNEWS",
        "source_title": "NATO report on 2024 (April 2025); June 2024 edition",
        "alternative": {
            "year": 2024,
            "source_code": ["NATO_DE2024_GRAPHICNEWS"],
            "source_title": ["June 2024 edition"],
            "official_value": 22.0,
        },
    }
    AggregateClaim.objects.create(
        article=ArticleFactory(), kind="count_meeting", count=22, check_latest=check
    )
    (claim,) = claims_list.sync(client=client).results
    assert claim.check_latest.source_code == ["NATO_2024REPORT_KNEWS", "NATO_DE2024_GRAPHICNEWS"]
    assert claim.check_latest.source_title[1] == "June 2024 edition"
    assert claim.check_latest.alternative.source_code == ["NATO_DE2024_GRAPHICNEWS"]
