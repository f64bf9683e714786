"""The layers (docs/architecture.md), enforced by reading every import of every module.

``spending`` (the official data and its rules) imports neither ``articles`` nor ``pages``;
``articles`` (the press's statements) may use ``spending`` but not ``pages``; ``pages`` sits
above both and only the project's URL configuration imports it. Imports inside functions count:
a function-level import is how a forbidden dependency used to hide.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: package → top-level packages of ours it must never import
FORBIDDEN = {
    "spending": {"articles", "pages"},
    "articles": {"pages"},
    "pages": set(),
    "nato_tracker": set(),
}
#: The only modules outside ``pages`` that may import it.
MAY_IMPORT_PAGES = {"nato_tracker/urls.py"}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name ``path`` imports, at any depth (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def test_the_rule_reads_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    """The scanner itself: a hidden import in a function and a relative one are both seen."""
    module = ROOT / "spending" / "_layer_probe.py"
    text = "from . import models\n\ndef f():\n    from articles.selectors import x\n"
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: text)
    assert {"spending.models", "articles.selectors", "articles.selectors.x"} <= imported_modules(
        module
    )


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package):
    offences = []
    for path in modules_of(package):
        rel = path.relative_to(ROOT).as_posix()
        for name in sorted(imported_modules(path)):
            top = name.split(".")[0]
            if top in FORBIDDEN[package] or (
                top == "pages" and package != "pages" and rel not in MAY_IMPORT_PAGES
            ):
                offences.append(f"{rel} imports {name}")
    assert offences == []


def test_spending_imports_nothing_from_articles():
    """The issue's wording, on its own, so that a failure says exactly this."""
    spending = {n for p in modules_of("spending") for n in imported_modules(p)}
    assert not {n for n in spending if n.split(".")[0] == "articles"}
