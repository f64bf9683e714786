"""A hung PostgreSQL (every process paused with SIGSTOP) gives 503s in seconds, not requests
waiting until gunicorn kills the worker, and the app answers again once it resumes (issue 16
item 5).

Starts its own PostgreSQL cluster (initdb into a temporary directory, as the ``postgres`` OS user
when run as root) and gunicorn, each on a free 127.0.0.1 port: never the server on 5432. Skipped
only when PostgreSQL's server programs are not installed and CI is not "true". Figures:
``scripts/hung_database_test.py`` (same scenario, production settings), docs/scaling.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from hung_database_test import postgres_bin, run
from ops_common import free_ports


def test_a_paused_database_gives_503_in_seconds_and_recovers():
    if postgres_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL's server programs are required in CI")
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    # Free ports, not fixed ones: another run's server (or a leftover one) on a fixed port made
    # PostgreSQL or gunicorn fail to start.
    port, pg_port = free_ports(2)
    passed, lines = run(port=port, pg_port=pg_port, limit=15.0, production=False)
    print("\n".join(lines))
    assert passed, "\n".join(lines)
    assert any(line.startswith("paused, reused connections: /healthz -> 503") for line in lines)
