"""Cached values are keyed by the code that wrote them (nato_tracker.code_version)."""

from django.conf import settings

from nato_tracker.code_version import PACKAGES, code_version


def write(root, name, text):
    path = root / "app" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_fingerprint_changes_with_the_code_and_only_with_it(tmp_path):
    write(tmp_path, "views.py", "A = 1\n")
    write(tmp_path, "data/notes.txt", "not code")
    first = code_version(tmp_path, ["app"])
    assert first == code_version(tmp_path, ["app"])  # the same code, the same keys everywhere
    write(tmp_path, "data/notes.txt", "still not code")
    assert code_version(tmp_path, ["app"]) == first
    write(tmp_path, "views.py", "A = 2\n")
    assert code_version(tmp_path, ["app"]) != first
    write(tmp_path, "views.py", "A = 1\n")
    write(tmp_path, "new.py", "")
    assert code_version(tmp_path, ["app"]) != first  # an added module counts too


def test_every_cache_key_carries_the_running_code_fingerprint():
    fingerprint = code_version(settings.BASE_DIR)
    assert settings.CACHES["default"]["KEY_PREFIX"].endswith(":" + fingerprint)


def test_every_first_party_package_and_the_templates_are_fingerprinted():
    """``pages`` (added after the fingerprint) was left out: its cached page data and HTML
    outlived a change of its code or of a template."""
    root = settings.BASE_DIR
    packages = {
        path.parent.name
        for path in root.glob("*/__init__.py")
        if path.parent.name not in {"tests"} and not path.parent.name.startswith(".")
    }
    assert packages <= set(PACKAGES) and "pages" in packages
    assert "templates" in PACKAGES


def test_a_template_change_changes_the_fingerprint(tmp_path):
    write(tmp_path, "page.html", "<p>Met?</p>")
    first = code_version(tmp_path, ["app"])
    write(tmp_path, "page.html", "<p>Did not yet apply</p>")
    assert code_version(tmp_path, ["app"]) != first


def test_a_static_file_change_changes_the_fingerprint(tmp_path):
    """Cached pages name the static files by their hashed names: a deploy changing only a
    script must start with an empty cache, or its pages name files the new image lacks."""
    write(tmp_path, "js/charts.js", "draw(1);")
    first = code_version(tmp_path, ["app"])
    write(tmp_path, "js/charts.js", "draw(2);")
    assert code_version(tmp_path, ["app"]) != first
    assert "static" in PACKAGES
