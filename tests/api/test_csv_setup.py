"""A CSV answer's columns and cell function are built once per list and process, not per request
(issue 14 item 7, issue 16 item 1), and the answers stay byte for byte what a fresh build gives."""

from __future__ import annotations

import pytest

from nato_tracker.api import renderers

pytestmark = pytest.mark.django_db

# list → two requests with the same columns and different rows
LISTS = {
    "/api/v1/allies/": ({}, {"q": "pol"}),  # the default list(): row_cells
    "/api/v1/statements/": ({}, {"q": "spending"}),  # read in one pass: flat_cells
    "/api/v1/claims/": ({}, {"year": 2024}),
}


def csv_bytes(client, url: str, params: dict) -> bytes:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    return response.getvalue()


def clear_built() -> None:
    renderers.serializer_class_columns.cache_clear()
    renderers._row_cells.cache_clear()
    renderers._flat_cells.cache_clear()


@pytest.mark.parametrize("url", list(LISTS))
def test_csv_columns_and_cells_are_built_once_per_list(
    client_anon, some_of_everything, monkeypatch, url
):
    first, second = LISTS[url]
    built: list[str] = []
    compiled: list[list[str]] = []
    build, compile_ = renderers.csv_columns, renderers._compiled
    monkeypatch.setattr(
        renderers, "csv_columns", lambda serializer: built.append(url) or build(serializer)
    )
    monkeypatch.setattr(
        renderers, "_compiled", lambda lines: compiled.append(lines) or compile_(lines)
    )
    clear_built()

    csv_bytes(client_anon, url, first)
    assert built and len(compiled) == 1
    once = (len(built), len(compiled))
    answer = csv_bytes(client_anon, url, second)
    assert (len(built), len(compiled)) == once

    clear_built()  # built afresh, the answer is the same bytes
    assert csv_bytes(client_anon, url, second) == answer
    assert len(compiled) == 2
