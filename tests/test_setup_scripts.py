"""scripts/run.sh and scripts/test.sh install only when the dependencies changed (issue 16
item 11), and the package metadata is in the form current setuptools expects; run.sh does what
the README says (migrate, load the reference data, ingest the samples, serve)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for .venv/bin/python that records the pip commands it is given.
FAKE_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-VV" ]; then echo "Python 3.11.7 (fake)"; exit 0; fi
echo "$*" >> "$(dirname "$0")/../../pip.log"
"""


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "ensure_venv.sh", root / "scripts")
    shutil.copy(ROOT / "pyproject.toml", root)
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return root


def ensure(root: Path, extra: str = "") -> list[str]:
    """Run ensure_venv as the scripts do (no terminal); the pip commands it ran."""
    log = root / "pip.log"
    log.unlink(missing_ok=True)
    subprocess.run(
        ["bash", "-c", f'set -euo pipefail; . scripts/ensure_venv.sh; ensure_venv "{extra}"'],
        cwd=root,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    return log.read_text().splitlines() if log.exists() else []


def test_pip_runs_only_when_the_dependencies_changed(tmp_path):
    root = project(tmp_path)
    first = ensure(root, "dev")
    assert first == [
        "-m pip install --quiet --upgrade pip",
        "-m pip install --quiet -e .[dev]",
    ]
    assert ensure(root, "dev") == []  # unchanged: no pip at all
    assert ensure(root) == []  # the dev install includes the base one
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n# a changed dependency\n")
    assert ensure(root) == [
        "-m pip install --quiet --upgrade pip",
        "-m pip install --quiet -e .",
    ]
    assert ensure(root) == []
    assert ensure(root, "dev")  # the dev extra was installed for the old file


def test_a_failed_install_is_tried_again(tmp_path):
    root = project(tmp_path)
    python = root / ".venv" / "bin" / "python"
    python.write_text(FAKE_PYTHON + 'case "$*" in *"-e ."*) exit 1;; esac\n')
    log = root / "pip.log"
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail; . scripts/ensure_venv.sh; ensure_venv"],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    assert result.returncode != 0
    assert not (root / ".venv" / ".installed-base").exists()
    python.write_text(FAKE_PYTHON)
    log.unlink()
    assert ensure(root) == [
        "-m pip install --quiet --upgrade pip",
        "-m pip install --quiet -e .",
    ]


def test_both_scripts_use_the_stamped_install():
    for script in ("run.sh", "test.sh"):
        text = (ROOT / "scripts" / script).read_text()
        assert ". scripts/ensure_venv.sh" in text
        assert "pip install" not in text


def test_package_metadata_uses_the_spdx_licence_and_a_pinned_setuptools():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in pyproject["project"]["license-files"])
    (setuptools,) = pyproject["build-system"]["requires"]
    assert setuptools.startswith("setuptools>=77.0.3,<")


# A stand-in for .venv/bin/python that runs the Python running the tests (its installed
# packages) and refuses pip, so that run.sh must reuse the install its stamp vouches for.
REUSED_PYTHON = """#!/usr/bin/env bash
case "$*" in *"-m pip"*) echo "$*" >> "$(dirname "$0")/../../pip.log"; exit 1;; esac
exec {python} "$@"
"""
#: First start on a loaded 2-core machine: migrate, reference data, 3 samples, recheck, serve.
RUN_SH_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def get_json(url: str):
    return json.loads(get(url))


def installed_copy(tmp_path: Path) -> Path:
    """The repository's files (linked) with scripts/ copied and a stamped .venv whose python is
    the one running the tests: run.sh runs as from a checkout where ``bash scripts/run.sh`` had
    installed the project before."""
    root = tmp_path / "checkout"
    root.mkdir()
    skip = {".git", ".venv", "scripts", "db.sqlite3", "pip.log"}
    for entry in ROOT.iterdir():
        if entry.name not in skip and not entry.name.startswith("db.sqlite3"):
            (root / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "scripts", root / "scripts")
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(REUSED_PYTHON.format(python=sys.executable))
    python.chmod(0o755)
    subprocess.run(
        ["bash", "-c", ". scripts/ensure_venv.sh; venv_hash > .venv/.installed-base"],
        cwd=root,
        check=True,
    )
    return root


def test_run_sh_migrates_loads_ingests_and_serves_without_reinstalling(tmp_path):
    """The README's first command, as a person runs it, on SQLite in a fresh folder: every step
    runs (the data and the sample articles are there), pip does not (the stamp is current), and
    the app answers /livez and the API. Stopped once it serves."""
    if connection.vendor != "sqlite":
        pytest.skip("run.sh sets up SQLite: run in the suite's SQLite pass")
    root = installed_copy(tmp_path)
    port = free_port()
    database = tmp_path / "run.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV"}
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", HOST="127.0.0.1", PORT=str(port))
    log = tmp_path / "run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the runserver and its reloader child stop together
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + RUN_SH_TIMEOUT
        while True:
            assert process.poll() is None, f"run.sh stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"not serving:\n{log.read_text()[-3000:]}"
            try:
                assert get(f"{base}/livez") == b"ok\n"
                break
            except OSError:
                time.sleep(0.5)
        samples = [
            path
            for path in (ROOT / "articles" / "data" / "sample_articles").iterdir()
            if path.suffix in {".txt", ".md", ".html"}
        ]
        assert samples
        assert get_json(f"{base}/api/v1/allies/?page_size=1")["count"] == 32
        assert get_json(f"{base}/api/v1/articles/")["count"] == len(samples)
        assert get_json(f"{base}/api/v1/claims/?page_size=1")["count"] > 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert not (root / "pip.log").exists()  # the stamped install was reused
    assert database.exists() and not (root / "db.sqlite3").exists()


def test_the_readme_set_up_is_the_two_scripts():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/run.sh" in readme and "bash scripts/test.sh" in readme


def test_the_readme_names_every_variable_run_sh_reads():
    """A new user runs ``bash scripts/run.sh`` beside another server: the README says how to
    pick the port (``PORT``/``HOST`` were only in the script)."""
    import re

    script = (ROOT / "scripts" / "run.sh").read_text()
    readme = (ROOT / "README.md").read_text()
    variables = set(re.findall(r"\$\{([A-Z_]+):-", script))
    assert {"PORT", "HOST"} <= variables
    assert not [v for v in sorted(variables) if f"`{v}`" not in readme]
