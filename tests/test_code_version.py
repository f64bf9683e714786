"""Cached values are keyed by the code that wrote them (nato_tracker.code_version)."""

from django.conf import settings

from nato_tracker.code_version import code_version


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
