"""The screenshots of docs/agency.md: the workbench's pages over the fixture ledgers of
tests/files/agency, in Chromium (/usr/bin/chromium through Playwright).

    .venv/bin/python scripts/agency_screenshots.py      # writes docs/img/agency-*.png
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from gongkai.agency.db import Workbench  # noqa: E402
from gongkai.agency.ledger import read_ledger  # noqa: E402
from gongkai.agency.web import web_extension  # noqa: E402
from gongkai.web import WebConfig, accounts, create_app  # noqa: E402

BODY = "某市某区教育局"
FILES = ROOT / "tests" / "files" / "agency"
OUT = ROOT / "docs" / "img"
PASSWORD = "correct horse battery"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    db = f"sqlite:///{tmp / 'web.db'}"
    with Workbench(db) as wb:
        for name in ("依申请公开.csv", "复议诉讼.csv", "文件.csv", "年度数量.csv"):
            wb.import_ledger(BODY, read_ledger(FILES / name), actor="科员", today=dt.date(2025, 1, 20))
    app = create_app(WebConfig.make(db, tmp / "files", background_ingest=False), extensions=[web_extension()])
    app.state.agency_today = dt.date(2025, 1, 20)
    accounts.add_user(app.state.engine, "周红", "approver", PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    b = base + "/agency/b/" + quote(BODY, safe="")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 640})
        page.goto(base + "/login")
        page.fill("input[name=name]", "周红")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        shots = [
            ("agency-home", base + "/agency"),
            ("agency-cases", b + "?show=all"),
            ("agency-case", b + "/case/2024-011"),
            ("agency-report", b + "/report/2024"),
            ("agency-cell", b + "/report/2024/cell/t3.disclosed.total"),
            ("agency-calendar", base + "/agency/calendar?year=2025"),
        ]
        for name, url in shots:
            page.goto(url)
            page.screenshot(path=str(OUT / f"{name}.png"))
            print("wrote", OUT / f"{name}.png")
        browser.close()
    srv.should_exit = True


if __name__ == "__main__":
    main()
