"""The workbench's pages in the web app: roles and personal data, the case workflow, the
report page's cell links, the narrative editor, downloads (TestClient), and a real browser
(Playwright driving /usr/bin/chromium) through a clerk's path."""

from __future__ import annotations

import datetime as dt
import html
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from web_support import PASSWORD
from web_support import client as _client

pytest.importorskip("fastapi")

from gongkai.agency.db import Workbench
from gongkai.agency.ledger import read_ledger
from gongkai.api import parse_bytes

FILES = Path(__file__).parent / "files" / "agency"
BODY = "某市某区教育局"
ROLES = ("admin", "registrar", "handler", "approver", "reviewer", "viewer")
TODAY = dt.date(2025, 2, 10)
CHROMIUM = Path("/usr/bin/chromium")


def _app(root: Path) -> Any:
    from gongkai.agency.web import web_extension
    from gongkai.web import WebConfig, accounts, create_app

    db = f"sqlite:///{root / 'web.db'}"
    with Workbench(db) as wb:
        for name in ("依申请公开.csv", "复议诉讼.csv", "文件.csv", "年度数量.csv"):
            wb.import_ledger(BODY, read_ledger(FILES / name), actor="导入", today=TODAY)
    app = create_app(WebConfig.make(db, root / "files", background_ingest=False), extensions=[web_extension()])
    app.state.agency_today = TODAY
    for role in ROLES:
        accounts.add_user(app.state.engine, role, role, PASSWORD)
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _app(tmp_path_factory.mktemp("agencyweb"))


def _csrf(c: Any) -> str:
    m = re.search(r'data-csrf="([^"]+)"', c.get("/agency").text)
    assert m
    return m.group(1)


B = "/agency/b/" + quote(BODY, safe="")


def test_pages_need_a_login_and_the_agency_permission(app: Any) -> None:
    anon = _client(app, None)
    assert anon.get("/agency", follow_redirects=False).status_code in (303, 401)
    assert _client(app, "viewer").get("/agency").status_code == 403
    for role in ("registrar", "handler", "approver", "reviewer", "admin"):
        r = _client(app, role).get("/agency")
        assert r.status_code == 200 and BODY in r.text and "工作台" in r.text


def test_case_list_filters_and_due_dates(app: Any) -> None:
    c = _client(app, "handler")
    page = c.get(B, params={"show": "all"}).text
    assert "2024-03-05" in page and "2025-01-26" in page
    overdue = c.get(B, params={"show": "overdue"}).text
    assert "2023-032" in overdue and "2024-011" in overdue and "2024-001" not in overdue
    mine = c.get(B, params={"show": "all", "handler": "周红"}).text
    assert "2024-002" in mine and "2024-001" not in mine


def test_personal_data_only_for_roles_that_need_it(app: Any) -> None:
    url = f"{B}/case/2024-001"
    assert "王某" in _client(app, "handler").get(url).text
    page = _client(app, "reviewer").get(url).text
    assert "王某" not in page and "13900000002" not in page and "当前角色不可见" in page


def test_workflow_on_the_case_page(app: Any) -> None:
    reg = _client(app, "registrar")
    token = _csrf(reg)
    r = reg.post(f"{B}/register", data={"csrf": token, "number": "2025-001", "received": "2025-02-03", "applicant_type": "自然人",
                                        "applicant": "新申请人", "content": "预算"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    url = f"{B}/case/2025-001"
    page = reg.get(url).text
    assert "已登记" in page and 'data-action="start"' not in page  # a registrar cannot start handling
    h = _client(app, "handler")
    token = _csrf(h)
    page = h.get(url).text
    assert 'data-action="start"' in page and 'data-action="extend"' not in page
    r = h.post(f"{url}/act", data={"csrf": token, "action": "start", "day": "2025-02-04", "handler": "handler"}, follow_redirects=True)
    assert "已办理：开始办理" in r.text and "办理中" in r.text
    r = h.post(f"{url}/act", data={"csrf": token, "action": "extend", "days": "10", "day": "2025-02-05"}, follow_redirects=True)
    assert "审批人" in r.text  # refused with the reason
    r = h.post(f"{url}/act", data={"csrf": token, "action": "end_consultation", "day": "2025-02-05"}, follow_redirects=True)
    assert "不能「征求意见结束」" in r.text
    ap = _client(app, "approver")
    r = ap.post(f"{url}/act", data={"csrf": _csrf(ap), "action": "extend", "days": "10", "day": "2025-02-05"}, follow_redirects=True)
    assert "已办理：延期答复" in r.text and "延期工作日" in r.text
    r = h.post(f"{url}/act", data={"csrf": token, "action": "answer", "outcome": "予以公开", "day": "2025-02-07"}, follow_redirects=True)
    assert "已答复" in r.text and "下载答复书" in r.text
    assert [x in r.text for x in ("开始办理", "延期答复", "作出答复")] == [True, True, True]  # the timeline
    letter = h.get(f"{url}/letter.docx")
    assert letter.status_code == 200 and letter.content[:2] == b"PK"
    # without the CSRF token nothing happens
    assert h.post(f"{url}/act", data={"action": "withdraw"}).status_code == 403


def test_report_page_links_cells_to_records_and_downloads_parse_back(app: Any) -> None:
    c = _client(app, "handler")
    page = c.get(f"{B}/report/2024").text
    assert "表三" in page and "CARRY_OVER" not in page
    link = f"{B}/report/2024/cell/t3.disclosed.natural_person"
    assert link in page
    cell = c.get(link).text
    assert "2023-031" in cell and "2024-005" not in cell
    total = c.get(f"{B}/report/2024/cell/t3.disclosed.total").text
    assert all(n in total for n in ("2023-031", "2024-005", "2024-008"))
    docx = c.get(f"{B}/report/2024.docx")
    assert docx.status_code == 200
    parsed = parse_bytes(docx.content, "r.docx")
    assert parsed.value("t3.received.total") == 11 and parsed.value("t3.carried_forward.total") == 3
    # the narrative editor: placeholders filled from the records, a bad one refused
    token = _csrf(c)
    r = c.post(f"{B}/report/2024/narrative", data={"csrf": token, "section": "problems", "text": "全年新收申请{t3.received.total}件，仍需改进。"},
               follow_redirects=True)  # fmt: skip
    assert "全年新收申请11件，仍需改进。" in r.text
    r = c.post(f"{B}/report/2024/narrative", data={"csrf": token, "section": "problems", "text": "{t9.x}"}, follow_redirects=True)
    assert "不存在的单元格" in r.text
    assert _client(app, "reviewer").post(f"{B}/report/2024/narrative", data={"csrf": token, "section": "problems", "text": "x"}).status_code == 403


def test_calendar_editor_and_registers(app: Any) -> None:
    admin = _client(app, "admin")
    page = admin.get("/agency/calendar", params={"year": 2024}).text
    assert "2024-02-04" in page and "班（调休）" in page and "春节" in page
    assert "尚未录入" in admin.get("/agency/calendar", params={"year": 2031}).text
    assert "保存并重算" not in _client(app, "handler").get("/agency/calendar").text
    r = admin.post("/agency/calendar", data={"csrf": _csrf(admin), "day": "2031-05-06", "kind": "holiday", "name": "测试"},
                   follow_redirects=True)  # fmt: skip
    assert "已修改 2031-05-06" in r.text
    h = _client(app, "handler")
    regs = h.get(f"{B}/registers").text
    assert "复2024-01" in regs and "某政发〔2024〕1号" in regs and "356" in regs
    h.post(f"{B}/disclosures", data={"csrf": _csrf(h), "step": "draft", "title": "2025年预算公开"})
    rev = _client(app, "reviewer")
    regs = rev.get(f"{B}/registers").text
    assert "2025年预算公开" in regs and "审查通过" in regs


# ------------------------------------------------------------------ a real browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    uvicorn = pytest.importorskip("uvicorn")
    app = _app(tmp_path_factory.mktemp("agencye2e"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_in_a_real_browser(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(server + "/login")
        page.fill("input[name=name]", "handler")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("text=工作台")
        page.click(f"#bodies >> text={BODY}")
        # the case list, filtered to overdue
        page.select_option("select[name=show]", "overdue")
        page.click("form.filters button")
        rows = page.locator("#cases tbody tr")
        assert rows.count() == 2
        assert "2025-01-26" in page.inner_text("#cases")
        # a case: its timeline and the next allowed actions; answer it
        page.click("#cases >> text=2024-011")
        assert "已超期" in page.inner_text("#deadline")
        page.locator('form[data-action="answer"] select[name=outcome]').select_option("部分公开")
        page.locator('form[data-action="answer"] button').click()
        assert "已答复" in page.inner_text("h1")
        assert "作出答复" in page.inner_text("#timeline")
        # the report: click 予以公开 / 自然人 and see those applications
        page.click("text=2024年度报告")
        page.click('#t3 td[data-key="t3.disclosed.natural_person"] a')
        assert "2023-031" in page.inner_text("#members")
        page.go_back()
        with page.expect_download() as dl:
            page.click("text=Word（DOCX）")
        path = dl.value.path()
        assert path is not None
        got = parse_bytes(Path(path).read_bytes(), "r.docx")
        assert got.value("t3.received.total") == 11
        browser.close()


def _in_event_loop() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_ledger_import_from_the_page_reads_and_writes_outside_the_event_loop(tmp_path: Path, monkeypatch: Any) -> None:
    """The import form awaits its upload in the event loop, then reads the ledger and writes
    the records in the slow lane: a large ledger never stalls the process's other requests."""
    app = _app(tmp_path)
    seen = []
    results = []
    original = Workbench.import_ledger

    def recording(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(_in_event_loop())
        results.append(original(self, *args, **kwargs))
        return results[-1]

    monkeypatch.setattr(Workbench, "import_ledger", recording)
    c = _client(app, "registrar")
    data = (FILES / "依申请公开.csv").read_bytes()
    r = c.post("/agency/import", data={"csrf": _csrf(c), "body": "某县某局"}, files={"file": ("依申请公开.csv", data, "text/csv")},
               follow_redirects=True)  # fmt: skip
    assert r.status_code == 200 and "某县某局" in r.text
    assert seen == [False]
    # the page the form lands on tells what the import did: every record of the file is new
    (res,) = results
    assert sum(res.inserted.values()) > 0 and not res.updated
    assert html.escape(res.summary(), quote=False) in r.text
    app.state.engine.dispose()
