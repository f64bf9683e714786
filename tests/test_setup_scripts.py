"""scripts/run.sh and scripts/test.sh install only when the dependencies changed (issue 16
item 11), and the package metadata is in the form current setuptools expects."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

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
