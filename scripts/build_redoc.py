"""Write the Redoc bundle the API docs page loads, ``static/vendor/redoc/redoc.standalone.js``
(with its licence file), from the installed drf-spectacular-sidecar: its logo from
cdn.redoc.ly replaced by the site's own. Why and how: ``nato_tracker/api/redoc_bundle.py``.
Run after upgrading drf-spectacular-sidecar or changing ``static/favicon.svg``::

    .venv/bin/python scripts/build_redoc.py
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nato_tracker.api.redoc_bundle import (
    LICENCE_NAME,
    SHIPPED,
    SIDECAR_BUNDLES,
    patched_bundle,
)

SHIPPED.parent.mkdir(parents=True, exist_ok=True)
SHIPPED.write_text(patched_bundle(), encoding="utf-8")
shutil.copyfile(SIDECAR_BUNDLES / LICENCE_NAME, SHIPPED.parent / LICENCE_NAME)
data = SHIPPED.read_bytes()
print(f"{SHIPPED}  {len(data):,} B  {len(gzip.compress(data, 9)):,} B gzip")
