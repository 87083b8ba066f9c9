"""Shared set-up of the web app tests: an app over a small ingested corpus, logged-in clients."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery"
ROLES = ("admin", "reviewer", "viewer")
REAL_PDF = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "huaian-city-gov-2024.pdf"
if not REAL_PDF.exists():
    REAL_PDF = Path("/work/shared/corpus/real/huaian-city-gov-2024.pdf")


def make_app(root: Path, inputs: list[Path], check: bool = True) -> Any:
    from gongkai.store import Corpus
    from gongkai.web import WebConfig, accounts, create_app

    db = f"sqlite:///{root / 'web.db'}"
    if inputs:
        corpus = Corpus(db)
        corpus.ingest([str(p) for p in inputs], jobs=1, progress=False)
        if check:
            corpus.check()
        corpus.close()
    app = create_app(WebConfig.make(db, root / "files", background_ingest=False), extensions=[])
    for role in ROLES:
        accounts.add_user(app.state.engine, role, role, PASSWORD)
    return app


def client(app: Any, role: str | None = None, base_url: str = "http://127.0.0.1") -> Any:
    from fastapi.testclient import TestClient

    c = TestClient(app, base_url=base_url)
    if role:
        r = c.post("/login", data={"name": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def csrf_of(c: Any) -> str:
    m = re.search(r'data-csrf="([^"]+)"', c.get("/").text)
    assert m
    return m.group(1)


def report_ids(app: Any) -> dict[str, str]:
    """media type or body -> report id."""
    import sqlalchemy as sa

    from gongkai.store.schema import reports

    with app.state.engine.connect() as conn:
        rows = conn.execute(sa.select(reports.c.id, reports.c.media_type, reports.c.normalized_body, reports.c.year)).all()
    out = {}
    for rid, media, body, year in rows:
        out.setdefault(media, rid)
        out[f"{body}/{year}"] = rid
    return out
