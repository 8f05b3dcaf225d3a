"""Django serves the built web app: assets with long caching, every client route gets
index.html, and nothing outside the build folder is reachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def built_app(tmp_path: Path, settings: Any) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Agents</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "secret.txt").write_text("not for the web")
    settings.FRONTEND_DIST = dist
    return dist


def test_assets_are_served_with_long_caching(built_app: Path) -> None:
    response = Client().get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.content == b"console.log('app')"
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/admin/members", "/data/3", "/../secret.txt"])
def test_client_routes_and_escapes_get_index_html(built_app: Path, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert b"<title>Agents</title>" in response.content
    assert b"not for the web" not in response.content


def test_without_a_build_the_page_says_how_to_build(settings: Any, tmp_path: Path) -> None:
    settings.FRONTEND_DIST = tmp_path / "missing"
    response = Client().get("/")
    assert b"npm --prefix frontend ci" in response.content
