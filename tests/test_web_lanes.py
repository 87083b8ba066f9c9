"""The server's thread lanes (web/lanes.py): with one thread for quick requests, a long one
(an export) runs in the slow lane and never holds up a report."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
import anyio.to_thread
from fastapi.responses import Response

from conftest import write_corpus
from gongkai.web import api
from web_support import client, make_app, report_ids


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("lanes")
    write_corpus(root / "src", 2, range(2022, 2024), seed=5)
    app = make_app(root, [root / "src"], check=False)
    yield app
    app.state.engine.dispose()


def test_the_quick_lane_has_the_configured_threads(app) -> None:  # type: ignore[no-untyped-def]
    assert app.state.config.threads == 1
    seen = []

    @app.get("/_test/tokens")
    async def tokens() -> dict[str, float]:
        seen.append(anyio.to_thread.current_default_thread_limiter().total_tokens)
        return {}

    with client(app, "viewer") as c:
        assert c.get("/_test/tokens").status_code == 200
    assert seen == [1]


def test_a_long_export_does_not_hold_up_a_report(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rid = next(v for k, v in report_ids(app).items() if "/" in k)
    started, release = threading.Event(), threading.Event()

    def long_export(request, fmt, form):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(60)
        return Response("done", media_type="text/csv")

    monkeypatch.setattr(api, "export_response", long_export)
    with client(app, "viewer") as c, ThreadPoolExecutor(1) as pool:
        export = pool.submit(c.get, "/api/export?format=csv")
        try:
            assert started.wait(60)
            for path in (f"/api/reports/{rid}", f"/reports/{rid}", "/reports", "/api/reports"):
                assert c.get(path).status_code == 200, path
            assert not export.done()  # the report pages were answered while the export still ran
        finally:
            release.set()
        assert export.result(60).text == "done"


def test_no_write_waits_in_the_quick_lane(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A write may wait for the database's write lock (another process's ingest): every POST
    route's handler is in the slow lane or async (a handler of its own making), never a plain
    handler of the quick lane."""
    import inspect

    from fastapi.routing import APIRoute

    from gongkai.agency.web import web_extension
    from gongkai.web import WebConfig, create_app

    app = create_app(WebConfig.make(f"sqlite:///{tmp_path / 'w.db'}", tmp_path / "files", background_ingest=False), extensions=[web_extension()])
    def walk(routes):  # type: ignore[no-untyped-def]
        for r in routes:  # FastAPI keeps an included router as one entry (original_router)
            sub = getattr(r, "original_router", None)
            yield from walk(sub.routes) if sub is not None else [r]

    posts = [r for r in walk(app.routes) if isinstance(r, APIRoute) and "POST" in r.methods]
    assert len(posts) >= 12
    plain = [r.path for r in posts if not inspect.iscoroutinefunction(r.endpoint)]
    assert plain == []
    app.state.engine.dispose()


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_passes_threads_to_each_server_process(tmp_path, monkeypatch, workers: int) -> None:  # type: ignore[no-untyped-def]
    """``gongkai serve --threads 3``: the app of one process, or the configuration each of several
    processes builds its app from, has 3 quick-lane threads."""
    import gc
    import json
    import os

    import uvicorn
    from click.testing import CliRunner

    from gongkai.cli import main
    from gongkai.web.app import CONFIG_ENV

    seen = {}

    def run(app, **kw):  # type: ignore[no-untyped-def]
        seen["threads"] = app.state.config.threads if not isinstance(app, str) else json.loads(os.environ[CONFIG_ENV])["threads"]

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    db = f"sqlite:///{tmp_path / 'w.db'}"
    threshold = gc.get_threshold()
    try:  # serve settles the heap of the process it runs in: this test's, here
        r = CliRunner().invoke(main, ["serve", "--db", db, "--threads", "3", "--workers", str(workers)])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert r.exit_code == 0, r.output
    assert seen == {"threads": 3}
    monkeypatch.delenv(CONFIG_ENV, raising=False)


def test_logout_ends_the_session_outside_the_event_loop(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """logout is async (it awaits its form); its database write runs in the slow lane."""
    import asyncio

    from gongkai.web import accounts
    from web_support import csrf_of

    seen = []
    original = accounts.end_session

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            asyncio.get_running_loop()
            seen.append("event loop")
        except RuntimeError:
            seen.append("thread")
        return original(*args, **kwargs)

    monkeypatch.setattr(accounts, "end_session", recording)
    with client(app, "viewer") as c:
        r = c.post("/logout", data={"csrf": csrf_of(c)}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.get("/reports", follow_redirects=False).status_code in (303, 401)
    assert seen == ["thread"]
