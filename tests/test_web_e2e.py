"""End to end in a real Chromium (the system's, driven by Playwright; nothing downloaded):
log in, upload a real PDF, wait for it, open its report page, click a cell and see its box
highlighted in the page image, correct the cell, see the finding update, export and see
the corrected value, log out. Screenshots of the main pages go to tests/artifacts/.

Skipped only when Chromium or Playwright is absent (scripts/system-deps.sh installs
chromium from Debian; CI runs it).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write_corpus
from web_support import PASSWORD, REAL_PDF

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="没有 Chromium（scripts/system-deps.sh 从 Debian 安装 chromium）"),
    pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/corpus/real 不在"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="没有 playwright（pip install 'gongkai[dev]'）")
pytest.importorskip("fastapi")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from gongkai.store import Corpus
    from gongkai.store.db import open_engine
    from gongkai.web import accounts

    root = tmp_path_factory.mktemp("e2e")
    db = f"sqlite:///{root / 'e2e.db'}"
    planted = write_corpus(root / "corpus", 5, range(2021, 2024), seed=5, breaks=1, copies=1)
    hostile = root / "corpus" / "hostile.txt"
    lines = planted.files[0].read_text(encoding="utf-8").split("\n")
    lines[0] = '<script>alert(1)</script>"><img src=x onerror=alert(2)>示例县教育局2023年政府信息公开工作年度报告'
    lines.insert(3, '<a href="javascript:alert(3)">链接</a> javascript:alert(4)')
    hostile.write_text("\n".join(lines), encoding="utf-8")
    corpus = Corpus(db)
    corpus.ingest([str(root / "corpus")], jobs=1, progress=False)
    corpus.check()
    corpus.close()
    engine = open_engine(db)
    accounts.add_user(engine, "ann", "admin", PASSWORD)
    engine.dispose()
    port = _free_port()
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--db", db, "--port", str(port), "--data-dir", str(root / "files")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "serve exited") from None
            time.sleep(0.3)
    yield base, root, planted
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_review_a_real_pdf_end_to_end(server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, _root, _planted = server
    page = browser.new_page(viewport={"width": 1360, "height": 860})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # log in
    page.goto(base + "/")
    page.wait_for_selector('input[name="password"]')
    shot(page, "login")
    page.fill('input[name="name"]', "ann")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_selector("nav >> text=报告")

    # upload a real PDF (under a hostile name) and wait for it
    pdf = tmp_path / "淮安市 2024 年度报告<script>.pdf"
    shutil.copy(REAL_PDF, pdf)
    page.goto(base + "/uploads")
    page.set_input_files('input[name="files"]', str(pdf))
    page.click("#upload-submit")
    page.wait_for_selector("#batch")
    shot(page, "upload-progress")
    page.wait_for_selector("#finished", timeout=240_000)
    assert page.locator(".up-done").count() == 1, page.content()
    shot(page, "upload-done")
    page.click("a.report-link")

    # the report page: click a cell, see its box in the page image
    page.wait_for_selector('td[data-key="t3.received.total"]')
    key = "t3.received.total"
    page.wait_for_selector(f'rect.box[data-key="{key}"]', state="attached")
    page.click(f'td[data-key="{key}"]')
    page.wait_for_function(f"document.querySelector('rect.box[data-key=\"{key}\"]').classList.contains('hl')")
    img = page.locator(f'rect.box[data-key="{key}"]').locator("xpath=ancestor::div[contains(@class,'pagebox')]//img")
    img.wait_for()
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "i => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=30_000
    )  # the page image, rendered by pdfium
    box = page.locator(f'rect.box[data-key="{key}"]').bounding_box()
    assert box and box["width"] > 3 and box["height"] > 3
    shot(page, "report-pdf-cell")
    value_text = page.locator(f'td[data-key="{key}"]').inner_text().replace(",", "")
    old = int(value_text)
    errors_before = int(page.inner_text("#n-errors"))
    assert page.locator(f'.findings li[data-cells~="{key}"]').count() == 0

    # the keyboard flow: e focuses the correction value
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "correct-value"
    # correct it: the checks run again on the new value
    assert page.input_value("#correct-key") == key
    page.fill("#correct-value", str(old + 7))
    page.fill("#correct-reason", "与原件核对")
    page.click("#correct-save")
    page.wait_for_selector("#message")
    assert "已更正" in page.inner_text("#message")
    assert page.locator(f'td.corrected[data-key="{key}"]').inner_text().replace(",", "") == str(old + 7)
    assert int(page.inner_text("#n-errors")) > errors_before
    finding = page.locator(f'.findings li[data-cells~="{key}"]').first
    assert "T3" in finding.inner_text()
    page.keyboard.press("j")
    assert page.locator(".findings li.current").count() == 1
    shot(page, "report-corrected")

    # export: the corrected value, flagged
    rid = page.url.split("/reports/")[1].split("?")[0].split("#")[0]
    resp = page.request.get(base + "/api/export?format=json")
    assert resp.ok
    obj = next(json.loads(x) for x in resp.text().splitlines() if json.loads(x)["id"] == rid)
    assert obj["cells"][key] == old + 7 and key in obj["corrected"]
    csv = page.request.get(base + "/export?format=csv").text()
    assert "已更正的单元格" in csv.splitlines()[0]

    # the other main pages, for the screenshots (and that they render without script errors)
    for path, name in (
        ("/reports", "reports"),
        ("/dashboards", "dashboards"),
        ("/copies", "copies"),
        ("/unpublished?year=2024&province=江苏省&city=淮安市", "unpublished"),
        ("/api/docs", "api-docs"),
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        shot(page, name)
    page.goto(base + "/copies")
    href = page.locator('.cluster a[href^="/compare?"]').first.get_attribute("href")
    page.goto(base + href)
    page.wait_for_selector("mark.copied")
    shot(page, "compare")

    # log out
    page.goto(base + "/")
    page.click("form.logout button")
    page.wait_for_selector('input[name="password"]')
    page.goto(base + f"/reports/{rid}")
    assert page.locator('input[name="password"]').count() == 1  # the session is gone
    assert not dialogs, dialogs
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_hostile_text_runs_no_script(server, browser) -> None:  # type: ignore[no-untyped-def]
    base, _root, _planted = server
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/login")
    page.fill('input[name="name"]', "ann")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.goto(base + "/reports?q=示例县教育局")
    page.goto(base + "/reports?" + "q=" + "%3Cscript%3Ealert(9)%3C%2Fscript%3E")
    reports = page.request.get(base + "/api/reports?limit=500").json()["items"]
    for r in reports:
        page.goto(base + f"/reports/{r['id']}")
        for a in page.locator("a").all():
            href = a.get_attribute("href") or ""
            assert not href.strip().lower().startswith("javascript:"), href
        spans = page.locator("pre.text a.span")
        if spans.count():
            spans.first.click()
    assert not dialogs, dialogs
    assert page.evaluate("typeof window.alertCalled") == "undefined"
