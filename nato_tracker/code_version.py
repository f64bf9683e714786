"""A fingerprint of the running code, so cached values never outlive the code that wrote them.

Cached page data and API answers are Python structures whose shape changes with the code. A
cache that survives a deploy (Redis, or the production file cache) would otherwise hand the new
code values of the old shape (a 500 until they expire) or HTML of the old templates. The
fingerprint is a hash of the application's Python sources, templates and static files (cached
pages name the static files by their content-hashed names: a deploy that changes only a
stylesheet or a script must not serve pages naming files it no longer has), the same on every
host that runs the same code, and is part of every cache key
(``settings.CACHES[...]["KEY_PREFIX"]``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

#: Every first-party package (a test holds the list complete), the templates (the pages cache
#: HTML they render, ``pages/fragments.py``) and the static sources (cached HTML names them by
#: their hashed names, ``CompressedManifestStaticFilesStorage``).
PACKAGES = ("nato_tracker", "spending", "articles", "pages", "templates", "static")
SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".json")


def code_version(root: Path, packages: Iterable[str] = PACKAGES) -> str:
    """Twelve hex digits of a SHA-256 over every file of ``packages`` below ``root`` whose
    suffix is in ``SUFFIXES``."""
    digest = hashlib.sha256()
    for package in packages:
        files = (p for p in (root / package).rglob("*") if p.suffix in SUFFIXES and p.is_file())
        for path in sorted(files):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]
