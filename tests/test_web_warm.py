"""``gongkai serve`` computes the dashboards when the server starts (in the slow lane), so the
first person to open them is served from the cache; a failure there is logged, never fatal."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from conftest import write_corpus
from gongkai.store import Corpus
from gongkai.web import WebConfig, accounts, create_app, dashboards
from web_support import PASSWORD


def _app(root: Path, warm: bool):  # type: ignore[no-untyped-def]
    write_corpus(root / "src", 3, range(2021, 2023), seed=5)
    db = f"sqlite:///{root / 'web.db'}"
    corpus = Corpus(db)
    corpus.ingest([str(root / "src")], jobs=1, progress=False)
    corpus.close()
    app = create_app(WebConfig.make(db, root / "files", background_ingest=False, warm_dashboards=warm), extensions=[])
    accounts.add_user(app.state.engine, "viewer", "viewer", PASSWORD)
    return app


def _wait_for_cache(url: str, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if url in dashboards._CACHE:
            return True
        time.sleep(0.05)
    return False


def test_dashboards_are_computed_when_the_server_starts(tmp_path: Path) -> None:
    app = _app(tmp_path, warm=True)
    url = str(app.state.engine.url)
    dashboards._CACHE.pop(url, None)
    with TestClient(app) as c:
        assert _wait_for_cache(url), "the dashboards were not computed at start"
        warmed = dashboards._CACHE[url][1]
        r = c.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303
        html = c.get("/dashboards").text
        assert html.count("<svg") >= 7
        assert dashboards.charts(app.state.engine) is warmed  # the first view used the warm cache
    app.state.engine.dispose()


def test_without_the_setting_nothing_is_computed_at_start(tmp_path: Path) -> None:
    app = _app(tmp_path, warm=False)
    url = str(app.state.engine.url)
    dashboards._CACHE.pop(url, None)
    with TestClient(app):
        time.sleep(0.3)
        assert url not in dashboards._CACHE
    app.state.engine.dispose()


def test_a_failed_warm_up_is_logged_and_the_server_still_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app(tmp_path, warm=True)

    def broken(engine: object) -> list[dashboards.Chart]:
        raise RuntimeError("database gone")

    monkeypatch.setattr(dashboards, "charts", broken)
    with caplog.at_level(logging.ERROR, logger="gongkai.web"), TestClient(app) as c:
        end = time.monotonic() + 30
        while not any("预先计算统计图表失败" in r.getMessage() for r in caplog.records) and time.monotonic() < end:
            time.sleep(0.05)
        assert any("预先计算统计图表失败" in r.getMessage() for r in caplog.records)
        assert c.get("/login").status_code == 200
    app.state.engine.dispose()
