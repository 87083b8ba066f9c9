"""The report page and corrections: source and boxes, statuses, findings, corrections that
re-run the checks, survive a re-parse (with conflicts shown) and reach the exports."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
import sqlalchemy as sa

from gongkai.store import corrections as fixes
from gongkai.store.schema import audit_log, corrections, report_cells, reports
from gongkai.web.queries import ReportFilter, list_reports
from web_support import REAL_PDF, client, csrf_of, make_app, report_ids

HTML = Path(__file__).parent / "files" / "html" / "official-2021-gbk.html"
DOCX = Path(__file__).parent / "files" / "docx" / "official-2019.docx"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("web_report")
    src = root / "src"
    src.mkdir()
    inputs = []
    for p in (REAL_PDF, HTML, DOCX):
        if p.exists():
            shutil.copy(p, src / p.name)
            inputs.append(src / p.name)
    app = make_app(root, inputs, check=False)
    yield app
    app.state.engine.dispose()


def ids(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return report_ids(app)


def test_pdf_report_page_shows_page_images_with_cell_boxes(app) -> None:  # type: ignore[no-untyped-def]
    if not REAL_PDF.exists():
        pytest.skip("../shared/corpus/real 不在")
    rid = ids(app)["application/pdf"]
    c = client(app, "viewer")
    html = c.get(f"/reports/{rid}").text
    assert f'src="/reports/{rid}/pages/4.png"' in html
    # each read cell has a box on its page, in PDF points
    box = re.search(r'<rect class="box st-read" data-key="t3.received.total" x="([\d.]+)" y="([\d.]+)"', html)
    assert box and 0 < float(box.group(1)) < 600 and 0 < float(box.group(2)) < 850
    assert 'data-key="t3.received.total"' in html.split('class="tables"')[1]  # and its table cell
    png = c.get(f"/reports/{rid}/pages/4.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert c.get(f"/reports/{rid}/pages/99.png").status_code == 404
    assert c.get("/reports/../../etc/passwd").status_code == 404
    assert c.get("/reports/0123456789abcdeg").status_code in (404, 422)


def test_text_sources_show_spans(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app, "viewer")
    for media in ("text/html", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        rid = ids(app)[media]
        html = c.get(f"/reports/{rid}").text
        source = html.split('class="source"')[1].split('class="tables"')[0]
        assert '<pre class="text">' in source
        spans = re.findall(r'<a class="span" data-key="(t[234]\.[a-z_.]+)"', source)
        assert len(spans) > 50, media


def test_statuses_and_absent_cells(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app, "viewer")
    rid = ids(app)["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    html = c.get(f"/reports/{rid}").text
    assert "cell st-blank" in html  # the 2019 DOCX has blank (—) cells
    data = c.get(f"/api/reports/{rid}").json()
    assert data["format"] == "2019" and data["cell_status"]
    assert all(v in ("blank", "derived", "repaired") for v in data["cell_status"].values())


def test_a_correction_reruns_the_checks_and_is_audited(app) -> None:  # type: ignore[no-untyped-def]
    rid = ids(app)["text/html"]
    rev = client(app, "reviewer")
    before = rev.get(f"/api/reports/{rid}").json()
    assert not any(f["rule"] == "T3_ROW_TOTAL" for f in before["findings"])
    parsed = before["cells"]["t3.received.natural_person"]
    token = csrf_of(rev)
    r = rev.post(
        f"/reports/{rid}/correct",
        data={"csrf": token, "key": "t3.received.natural_person", "value": str(parsed + 100), "reason": "核对原件"},
    )
    assert r.status_code == 200 and "已更正" in r.text
    after = rev.get(f"/api/reports/{rid}").json()
    assert after["cells"]["t3.received.natural_person"] == parsed + 100
    assert after["parsed_cells"]["t3.received.natural_person"] == parsed
    assert after["corrected"] == ["t3.received.natural_person"]
    assert any(f["rule"] == "T3_ROW_TOTAL" for f in after["findings"])  # the identity check ran on the new value
    assert after["n_errors"] > before["n_errors"]
    # the page says so: the cell marked corrected, the finding listed
    html = rev.get(f"/reports/{rid}").text
    assert re.search(r'cell st-read corrected[^"]*" data-key="t3.received.natural_person"', html)
    assert "T3_ROW_TOTAL" in html
    with app.state.engine.connect() as conn:
        row = conn.execute(sa.select(corrections).where(corrections.c.report_id == rid)).first()
        assert row.user_name == "reviewer" and row.reason == "核对原件" and json.loads(row.old_value) == parsed
        assert conn.execute(sa.select(audit_log.c.action).where(audit_log.c.action == "cell.correct")).first()
        # what was read is untouched
        values = json.loads(
            conn.execute(sa.select(sa.cast(report_cells.c.cell_values, sa.Text)).where(report_cells.c.report_id == rid)).scalar()
        )
        assert values["t3.received.natural_person"] == parsed
    # back to the parsed value through the API; blank through the API
    r = rev.post(
        f"/api/reports/{rid}/corrections",
        json={"key": "t3.received.natural_person", "reason": "撤销", "revert": True},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200 and r.json()["cells"]["t3.received.natural_person"] == parsed and r.json()["corrected"] == []
    r = rev.post(
        f"/api/reports/{rid}/corrections",
        json={"key": "t2.fees.amount", "value": None, "reason": "原件为空"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200 and r.json()["cells"]["t2.fees.amount"] is None
    # refused: no reason, no such key, not a number, and without the CSRF header
    for body in (
        {"key": "t3.received.total", "value": 1, "reason": ""},
        {"key": "t9.x", "value": 1, "reason": "x"},
        {"key": "t3.received.total", "value": "abc", "reason": "x"},
    ):
        r = rev.post(f"/api/reports/{rid}/corrections", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 422, body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])
    assert (
        rev.post(f"/api/reports/{rid}/corrections", json={"key": "t3.received.total", "value": 1, "reason": "x"}).status_code
        == 403
    )


def stored_errors(app, rid: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The count the corpus list sorts and filters by (reports.n_errors_reviewed), and the list's own figure."""
    with app.state.engine.connect() as conn:
        stored = conn.execute(sa.select(reports.c.n_errors_reviewed).where(reports.c.id == rid)).scalar_one()
    listed = next(i for i in list_reports(app.state.engine, ReportFilter(), "errors", limit=500)["items"] if i["id"] == rid)
    return stored, listed["n_errors"]


def test_dismissing_a_finding(app) -> None:  # type: ignore[no-untyped-def]
    rid = ids(app)["text/html"]
    rev = client(app, "reviewer")
    token = csrf_of(rev)
    rev.post(
        f"/api/reports/{rid}/corrections",
        json={"key": "t3.received.commercial", "value": 9999, "reason": "试"},
        headers={"X-CSRF-Token": token},
    )
    got = rev.get(f"/api/reports/{rid}")
    data, etag = got.json(), got.headers["etag"]
    assert rev.get(f"/api/reports/{rid}", headers={"If-None-Match": etag}).status_code == 304
    f = next(f for f in data["findings"] if f["severity"] == "error")
    n = data["n_errors"]
    r = rev.post(
        f"/reports/{rid}/dismiss",
        data={"csrf": token, "fingerprint": f["fingerprint"], "reason": "原件如此", "action": "dismiss"},
    )
    assert "已驳回" in r.text
    got = rev.get(f"/api/reports/{rid}", headers={"If-None-Match": etag})
    assert got.status_code == 200 and got.headers["etag"] != etag  # the dismissal changed the body and its ETag
    data = got.json()
    assert data["n_errors"] == n - 1 and next(x for x in data["findings"] if x["fingerprint"] == f["fingerprint"])["dismissed"]
    # the stored count the corpus list sorts and filters by moved in the dismissal's transaction
    assert stored_errors(app, rid) == (n - 1, n - 1)
    r = rev.post(
        f"/api/reports/{rid}/dismissals", json={"fingerprint": f["fingerprint"], "restore": True}, headers={"X-CSRF-Token": token}
    )
    assert r.json()["n_errors"] == n
    assert stored_errors(app, rid) == (n, n)
    rev.post(
        f"/api/reports/{rid}/corrections",
        json={"key": "t3.received.commercial", "reason": "撤销", "revert": True},
        headers={"X-CSRF-Token": token},
    )


def test_corrections_survive_a_reparse_and_conflicts_are_shown(app) -> None:  # type: ignore[no-untyped-def]
    rid = ids(app)["text/html"]
    key = "t3.disclosed.natural_person"
    engine = app.state.engine
    with engine.connect() as conn:
        true_value = fixes.reviewed(conn, rid).parsed.value(key)
    # an older parser read this cell wrongly: a reviewer corrected that reading
    with engine.begin() as conn:
        text = conn.execute(
            sa.select(sa.cast(report_cells.c.cell_values, sa.Text)).where(report_cells.c.report_id == rid)
        ).scalar()
        values = json.loads(text)
        values[key] = true_value + 1
        conn.execute(report_cells.update().where(report_cells.c.report_id == rid).values(cell_values=values))
    fixes.correct(engine, rid, key, true_value + 2, "原件", "reviewer")
    admin = client(app, "admin")
    r = admin.post(f"/api/reports/{rid}/reparse", headers={"X-CSRF-Token": csrf_of(admin)})
    assert r.status_code == 200
    data = r.json()
    assert data["cells"][key] == true_value + 2  # the correction stays
    c = data["corrections"][key]
    assert c["conflict"] and c["parsed_value"] == true_value and c["parsed_value_when_corrected"] == true_value + 1
    html = admin.get(f"/reports/{rid}").text
    assert "解析器现在读作" in html and "cell st-read corrected conflict" in html
    # the exports say which values are corrected and which conflict
    header, *rows = list(csv.reader(io.StringIO(admin.get("/export?format=csv").text.lstrip("\ufeff"))))
    cols = header
    row = next(r for r in rows if r[0] == rid)
    assert key in row[cols.index("已更正的单元格")] and key in row[cols.index("更正与新解析不一致的单元格")]
    lines = [json.loads(x) for x in admin.get("/api/export?format=json").text.splitlines()]
    obj = next(o for o in lines if o["id"] == rid)
    assert obj["cells"][key] == true_value + 2 and key in obj["corrected"] and key in obj["correction_conflicts"]
    long = admin.get("/api/export?format=csv&form=long").text
    assert any(line.startswith(rid) and f",{key}," in line and line.endswith(",conflict") for line in long.splitlines())
    fixes.revert(engine, rid, key, "测试结束", "reviewer")


def test_reviewers_correct_viewers_do_not(app) -> None:  # type: ignore[no-untyped-def]
    rid = ids(app)["text/html"]
    viewer = client(app, "viewer")
    token = csrf_of(viewer)
    r = viewer.post(f"/reports/{rid}/correct", data={"csrf": token, "key": "t3.received.total", "value": "1", "reason": "x"})
    assert r.status_code == 403
    assert (
        viewer.post(
            f"/api/reports/{rid}/corrections",
            json={"key": "t3.received.total", "value": 1, "reason": "x"},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 403
    )
    assert viewer.post(f"/api/reports/{rid}/reparse", headers={"X-CSRF-Token": token}).status_code == 403
    reviewer = client(app, "reviewer")
    assert reviewer.post(f"/api/reports/{rid}/reparse", headers={"X-CSRF-Token": csrf_of(reviewer)}).status_code == 403
    assert 'id="correct"' not in viewer.get(f"/reports/{rid}").text
    assert 'id="correct"' in reviewer.get(f"/reports/{rid}").text


def test_corrections_and_paging_on_every_backend(store_url: str, tmp_path: Path) -> None:
    """SQLite, and PostgreSQL where GONGKAI_TEST_PG_URL is set: a correction, its re-check
    and export; keyset pages over NULL years in both orders (the backends sort NULLs apart)."""
    from gongkai.store import Corpus
    from gongkai.web import WebConfig, create_app
    from gongkai.web.queries import ReportFilter, distinct_values, list_reports

    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"r{i}.html").write_bytes(HTML.read_bytes() + f"<!-- {i} -->".encode())
    shutil.copy(DOCX, src / DOCX.name)
    # a report that states no year anywhere: its year is NULL (a bare non-report would be skipped)
    no_year = re.sub(r"(19|20)\d\d\s*年?", "", HTML.read_bytes().decode("gbk"))
    (src / "no-year.html").write_bytes(no_year.encode("gbk"))
    corpus = Corpus(store_url)
    corpus.ingest([str(src)], jobs=1, progress=False)
    corpus.close()
    app = create_app(WebConfig.make(store_url, tmp_path / "files", background_ingest=False), extensions=[])
    engine = app.state.engine
    for descending in (True, False):
        ids, after, total = [], None, None
        while True:
            page = list_reports(engine, ReportFilter(all_versions=True), "year", descending, after, None, 2)
            total = page["total"] if after is None else total
            ids += [i["id"] for i in page["items"]]
            if not page["next"]:
                break
            after = page["next"]
        assert len(ids) == len(set(ids)) == total == 5, (descending, ids)
    with engine.connect() as conn:
        r = reports.c
        years = sorted({y for y in conn.execute(sa.select(r.year).where(r.is_latest.is_(True))).scalars() if y is not None})
    assert years and distinct_values(engine, "year") == years  # the menus' loose index scan, on each backend
    with engine.connect() as conn:
        rid = conn.execute(sa.select(r.id).where(r.media_type == "text/html", r.is_latest.is_(True))).scalars().first()
        parsed = fixes.reviewed(conn, rid).parsed.value("t3.received.natural_person")
    rv = fixes.correct(engine, rid, "t3.received.natural_person", parsed + 1, "原件", "ann")
    assert any(f.finding.rule == "T3_ROW_TOTAL" for f in rv.findings)
    out = tmp_path / "out.jsonl"
    Corpus(store_url).export("json", out)
    obj = next(o for o in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if o["id"] == rid)
    assert obj["cells"]["t3.received.natural_person"] == parsed + 1 and obj["corrected"] == ["t3.received.natural_person"]
    engine.dispose()
