"""Every route of the web app for every role: 401 without a login, 403 without the
permission, 200 with it; the corpus views over a generated corpus with planted problems;
hostile report text never becomes markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
import sqlalchemy as sa

from conftest import write_corpus
from gongkai.domain.roles import ROLES as ROLE_TABLE
from gongkai.store.schema import report_cells, reports
from gongkai.web import queries
from gongkai.web.queries import SORTS, ReportFilter, distinct_values, list_reports, query_plan
from web_support import ROLES, client, csrf_of, make_app


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("web_api")
    planted = write_corpus(root / "src", 6, range(2021, 2024), seed=11, breaks=1, copies=1)
    hostile = root / "src" / "hostile.txt"
    text = planted.files[0].read_text(encoding="utf-8").split("\n")
    text[0] = '<script>alert("t")</script>"><img src=x onerror=alert(1)>示例县教育局2023年政府信息公开工作年度报告'
    text.insert(3, '详见 javascript:alert(2) 与 <a href="javascript:alert(3)">链接</a>')
    hostile.write_text("\n".join(text), encoding="utf-8")
    app = make_app(root, [root / "src"], check=True)
    yield app, planted
    app.state.engine.dispose()


def a_report(app, **where) -> str:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        q = sa.select(reports.c.id).where(reports.c.is_latest.is_(True)).order_by(reports.c.id)
        for k, v in where.items():
            q = q.where(reports.c[k] == v)
        return conn.execute(q).scalars().first()


def routes(app, rid: str, other: str):  # type: ignore[no-untyped-def]
    """(method, path, permission, json body or None); every route the app has, by hand."""
    return [
        ("GET", "/", "read", None),
        ("GET", "/reports", "read", None),
        ("GET", f"/reports/{rid}", "read", None),
        ("GET", "/unpublished?year=2023&province=江苏省", "read", None),
        ("GET", f"/compare?a={rid}&b={other}", "read", None),
        ("GET", "/copies", "read", None),
        ("GET", "/dashboards", "read", None),
        ("GET", "/dashboards/outcome-mix.csv", "read", None),
        ("GET", "/export?format=csv", "read", None),
        ("GET", "/api/docs", "read", None),
        ("GET", "/openapi.json", "read", None),
        ("GET", "/api/reports", "read", None),
        ("GET", f"/api/reports/{rid}", "read", None),
        ("GET", "/api/stats", "read", None),
        ("GET", "/api/charts", "read", None),
        ("GET", "/api/copies", "read", None),
        ("GET", f"/api/compare?a={rid}&b={other}", "read", None),
        ("GET", "/api/unpublished?year=2023&province=江苏省", "read", None),
        ("GET", "/api/export?format=json", "read", None),
        ("POST", f"/api/reports/{rid}/corrections", "correct", {"key": "t3.received.total", "value": 5, "reason": "测试"}),
        ("POST", f"/api/reports/{rid}/dismissals", "dismiss", {"fingerprint": "NOPE|", "reason": "测试"}),
        ("POST", f"/api/reports/{rid}/reparse", "reparse", None),
        ("GET", "/uploads", "upload", None),
        ("GET", "/users", "manage_users", None),
        ("GET", "/audit", "audit", None),
        ("GET", "/audit.csv", "audit", None),
        ("GET", "/api/audit", "audit", None),
    ]


def test_every_route_for_every_role(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    rid, other = a_report(app, year=2022), a_report(app, year=2023)
    table = routes(app, rid, other)
    anon = client(app)
    for method, path, _perm, body in table:
        r = anon.request(method, path, json=body)
        assert r.status_code == 401, (method, path)
    for role in ROLES:
        c = client(app, role)
        token = csrf_of(c)
        for method, path, perm, body in table:
            r = c.request(method, path, json=body, headers={"X-CSRF-Token": token})
            allowed = ROLE_TABLE[role].can(perm)
            if not allowed:
                assert r.status_code == 403, (role, method, path, r.status_code)
                assert "无权" in r.text
            else:
                # a dismissal of a finding the report does not have is a clear 422, not a success
                want = 422 if path.endswith("/dismissals") else 200
                assert r.status_code == want, (role, method, path, r.status_code, r.text[:300])
    # the same through a bearer token
    from gongkai.web import accounts

    for role in ROLES:
        token = accounts.make_token(app.state.engine, role)
        c = client(app)
        for method, path, perm, _body in table:
            if method != "GET":
                continue
            r = c.request(method, path, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == (200 if ROLE_TABLE[role].can(perm) else 403), (role, path)


def test_openapi_documents_the_api(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    spec = client(app, "viewer").get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/reports", "/api/reports/{rid}", "/api/reports/{rid}/corrections", "/api/uploads", "/api/stats"):
        assert p in paths, p
    assert "CorrectionIn" in spec["components"]["schemas"]
    html = client(app, "viewer").get("/api/docs").text
    assert "/api/reports/{rid}/corrections" in html and "CorrectionIn" in html


def test_report_json_is_the_interchange_object(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    rid = a_report(app, year=2021)  # not the one the role test corrected
    data = client(app, "viewer").get(f"/api/reports/{rid}").json()
    for k in (
        "issuing_body",
        "report_year",
        "format",
        "cells",
        "findings",
        "publication_date",
        "cell_status",
        "provenance",
        "corrections",
    ):
        assert k in data, k
    assert data["cells"]["t3.received.total"] == data["provenance"]["t3.received.total"]["value"]


def test_corpus_list_filters_sorts_and_pages_by_keyset(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    c = client(app, "viewer")
    seen: list[str] = []
    url = "/api/reports?limit=4&sort=body&order=asc"
    pages = 0
    total = None
    while url:
        data = c.get(url).json()
        total = data["total"] if total is None else total  # counted on the first page
        seen += [i["id"] for i in data["items"]]
        pages += 1
        url = f"/api/reports?limit=4&sort=body&order=asc&after={data['next']}" if data["next"] else None
    assert len(seen) == len(set(seen)) == total and pages > 3 and data["total"] is None
    # backwards from the last page gives the same rows
    first = c.get("/api/reports?limit=4&sort=year").json()
    second = c.get(f"/api/reports?limit=4&sort=year&after={first['next']}").json()
    back = c.get(f"/api/reports?limit=4&sort=year&before={second['prev']}").json()
    assert [i["id"] for i in back["items"]] == [i["id"] for i in first["items"]]
    years = [i["year"] for i in first["items"] + second["items"]]
    assert years == sorted(years, reverse=True)
    assert all(i["year"] == 2022 for i in c.get("/api/reports?year=2022").json()["items"])
    assert c.get("/api/reports?findings=errors").json()["total"] >= 0
    assert c.get("/api/reports?after=garbage").status_code == 400
    assert c.get("/api/reports?format=1999").status_code == 422
    html = c.get("/reports?sort=errors").text
    assert 'rel="next"' in html or "共" in html
    # NULL years (the hostile report may have one) page through on both orders
    for order in ("asc", "desc"):
        ids, after, total = [], None, None
        while True:
            page = list_reports(app.state.engine, ReportFilter(), "year", order == "desc", after, None, 3)
            total = page["total"] if after is None else total
            ids += [i["id"] for i in page["items"]]
            if not page["next"]:
                break
            after = page["next"]
        assert len(ids) == len(set(ids)) == total


def test_a_large_total_is_counted_up_to_the_limit(corpus, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    c = client(app, "viewer")
    exact = c.get("/api/reports").json()
    assert exact["total"] > 3 and exact["total_over"] is None
    monkeypatch.setattr(queries, "COUNT_LIMIT", 3)
    capped = c.get("/api/reports").json()
    assert capped["total"] is None and capped["total_over"] == 3
    assert [i["id"] for i in capped["items"]] == [i["id"] for i in exact["items"]]
    assert '超过 <strong id="total">3</strong> 份' in c.get("/reports").text
    assert c.get("/api/reports?year=2099").json()["total"] == 0


def test_menus_list_each_value_once_in_order(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    r = reports.c
    with app.state.engine.connect() as conn:
        rows = conn.execute(sa.select(r.province, r.city, r.year).where(r.is_latest.is_(True))).all()
    provinces = sorted({p for p, _, _ in rows if p})
    assert provinces and distinct_values(app.state.engine, "province") == provinces
    assert distinct_values(app.state.engine, "year") == sorted({y for _, _, y in rows if y is not None})
    assert distinct_values(app.state.engine, "province", limit=1) == provinces[:1]
    for p in provinces:
        cities = sorted({c for q, c, _ in rows if q == p and c})
        assert distinct_values(app.state.engine, "city", {"province": p}) == cities
    assert distinct_values(app.state.engine, "city", {"province": "没有这个省"}) == []


def test_the_corpus_list_uses_indexes(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    # the list sorted by a column, whole or within an equal filter: the index gives the order
    for sort, f in (
        ("year", ReportFilter()),
        ("body", ReportFilter()),
        ("region", ReportFilter()),
        ("region", ReportFilter(province="江苏省")),
        ("year", ReportFilter(year=2022)),
        ("body", ReportFilter(body="淮安市人民政府")),
    ):
        plan = " ".join(query_plan(app.state.engine, f, sort))
        assert "INDEX ix_reports_latest" in plan, (sort, f, plan)
        assert "TEMP B-TREE" not in plan, (sort, f, plan)
    # errors after review (stored on reports, 0008): the sort and the "with errors" filter
    # read the index, not the review table for every report
    for sort, f in (
        ("errors", ReportFilter()),
        ("errors", ReportFilter(findings="errors")),
        ("errors", ReportFilter(findings="clean")),
    ):
        for desc in (True, False):
            plan = " ".join(query_plan(app.state.engine, f, sort, desc))
            assert "INDEX ix_reports_latest_errors" in plan, (sort, f, plan)
            assert "TEMP B-TREE" not in plan and "SCAN report_review" not in plan, (sort, f, plan)
    plan = " ".join(query_plan(app.state.engine, ReportFilter(findings="errors"), "year"))
    assert "INDEX ix_reports_latest" in plan and "SCAN reports" not in plan and "SCAN report_review" not in plan, plan
    # the page's menus of a province's cities and a city's counties (0009): index-only
    r = reports.c
    for col, where in ((r.city, [r.province == "江苏省"]), (r.county, [r.province == "江苏省", r.city == "淮安市"])):
        q = sa.select(col).where(r.is_latest.is_(True), col.is_not(None), *where).group_by(col).order_by(col)
        sql = str(q.compile(app.state.engine, compile_kwargs={"literal_binds": True}))
        with app.state.engine.connect() as conn:
            plan = " ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
        assert "COVERING INDEX ix_reports_latest_region_menu" in plan, plan
    # a filter on another column: still through an index, never a scan of the table
    plan = " ".join(query_plan(app.state.engine, ReportFilter(city="淮安市"), "year"))
    assert "INDEX ix_reports_latest" in plan and "SCAN reports" not in plan, plan
    # every sort with every filter of the page but the search and the review table's two:
    # index-only (0010: each sort's index holds the filter columns), so no report's table row
    # is read to test a filter, and the sort by ingest time has its own index
    filters = [
        ReportFilter(),
        ReportFilter(format="2021"),
        ReportFilter(body_type="government"),
        ReportFilter(findings="extraction"),
        ReportFilter(findings="errors"),
        ReportFilter(findings="clean"),
        ReportFilter(year=2022),
        ReportFilter(province="江苏省"),
        ReportFilter(province="江苏省", city="淮安市"),
        ReportFilter(year=2022, format="2021", body_type="department", findings="clean"),
    ]
    for sort in SORTS:
        for f in filters:
            for desc in (True, False):
                plan = " ".join(query_plan(app.state.engine, f, sort, desc))
                assert "COVERING INDEX ix_reports_latest" in plan and "SCAN reports" not in plan, (sort, f, desc, plan)


def test_copies_compare_and_carry_over(corpus) -> None:  # type: ignore[no-untyped-def]
    app, planted = corpus
    c = client(app, "viewer")
    clusters = c.get("/api/copies").json()
    bodies = {r["normalized_body"] or r["issuing_body"] for cl in clusters for r in cl["reports"]}
    from gongkai.corpus.bodies import resolve_body

    for body, _year in planted.copies:
        assert resolve_body(body).normalized in bodies
    pair = clusters[0]["pairs"][0]
    cmp = c.get(f"/api/compare?a={pair['a']}&b={pair['b']}").json()
    assert any(s["copied_chars"] > 50 for s in cmp["sections"])
    html = c.get(f"/compare?a={pair['a']}&b={pair['b']}").text
    assert '<mark class="copied">' in html
    # the planted carry-over break: last year's 结转下年度 against this year's 上年结转
    ((body, year),) = planted.carry_breaks
    norm = resolve_body(body).normalized
    a, b = a_report(app, normalized_body=norm, year=year - 1), a_report(app, normalized_body=norm, year=year)
    cmp = c.get(f"/api/compare?a={a}&b={b}").json()
    assert any(x["ok"] is False for x in cmp["carry_over"])
    assert any(d["key"].startswith("t3.carried_over") for d in cmp["cells"])


def test_unpublished_lists_gazetteer_governments_and_earlier_publishers(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    c = client(app, "viewer")
    with app.state.engine.connect() as conn:
        prov, city = conn.execute(sa.select(reports.c.province, reports.c.city).where(reports.c.city.is_not(None))).first()
    data = c.get("/api/unpublished", params={"year": 2030, "province": prov, "city": city}).json()
    assert data["present"] == 0
    whys = {m["why"] for m in data["missing"]}
    assert "gazetteer" in whys and "earlier" in whys  # bodies of 2021–2023 are expected in 2030
    assert any(m["name"].endswith("人民政府") and m["code"] for m in data["missing"])
    html = c.get("/unpublished", params={"year": 2030, "province": prov, "city": city}).text
    assert "往年发布过" in html


def test_dashboards_draw_svg_with_tables_and_csv(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    c = client(app, "viewer")
    html = c.get("/dashboards").text
    assert html.count("<svg") >= 7 and html.count("下载 CSV") >= 7
    charts = c.get("/api/charts").json()
    by_year = next(x for x in charts if x["id"] == "applications-by-year")
    stats = {r["value"]: r for r in c.get("/api/stats?by=year").json() if r["dimension"] == "year"}
    for year, received, _handled in by_year["rows"]:
        assert stats[int(year)]["received"] == received
    csv = c.get("/dashboards/applications-by-year.csv").text
    assert csv.startswith("\ufeff年度,新收申请") and str(by_year["rows"][0][1]) in csv
    assert c.get("/dashboards/nope.csv").status_code == 404


def test_hostile_report_text_never_becomes_markup(corpus) -> None:  # type: ignore[no-untyped-def]
    app, _ = corpus
    with app.state.engine.connect() as conn:
        rid = conn.execute(sa.select(reports.c.id).where(reports.c.path.like("%hostile.txt"))).scalar()
    assert rid, "the hostile report was ingested"
    evil = '<script>alert("b")</script>"><img src=x onerror=alert(4)><a href="javascript:alert(5)">x</a>'
    with app.state.engine.begin() as conn:  # whatever the parser would clean, the store may hold
        conn.execute(
            reports.update().where(reports.c.id == rid).values(issuing_body=evil, normalized_body=evil, title=evil, province=evil)
        )
        details = json.loads(
            conn.execute(sa.select(sa.cast(report_cells.c.cell_details, sa.Text)).where(report_cells.c.report_id == rid)).scalar()
        )
        details["t3.received.total"]["raw"] = evil
        conn.execute(report_cells.update().where(report_cells.c.report_id == rid).values(cell_details=details))
    c = client(app, "reviewer")
    c.post(
        f"/api/reports/{rid}/corrections",
        json={"key": "t3.received.total", "value": 1, "reason": evil},
        headers={"X-CSRF-Token": csrf_of(c)},
    )
    pages = [
        f"/reports/{rid}",
        "/reports",
        f"/reports?q={evil}",
        "/dashboards",
        "/copies",
        f"/compare?a={rid}&b={a_report(app, year=2022)}",
        "/",
    ]
    for path in pages:
        html = c.get(path).text
        assert not re.search(r"<script(?![^>]*src=\"/static/app\.js\")", html), path
        assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(4)&gt;", "").replace(
            "onerror=alert(1)&gt;", ""
        )
        assert not re.search(r"href=\"\s*javascript:", html, re.I), path
        if path.startswith(("/reports/", "/reports?q", "/compare")):
            assert "&lt;script&gt;" in html, path  # shown, as text


def test_uploads_by_hash_with_progress_and_failures(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    app, planted = corpus
    admin = client(app, "admin")
    token = csrf_of(admin)
    z = tmp_path / "folder.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(planted.files[1], "../../../etc/x.txt")  # a stored copy: a duplicate
        zf.writestr("new/report.txt", planted.files[2].read_text(encoding="utf-8") + "\n附：经网页上传。\n")
        zf.writestr(".hidden", "x")
    files = [
        ("files", ("../../evil name.txt", b"\xff\xfe\x00garbage", "text/plain")),
        ("files", ("folder.zip", z.read_bytes(), "application/zip")),
    ]
    r = admin.post("/api/uploads", files=files, data={"urls": "ftp://nope\n"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    batch = r.json()["batch"]
    assert r.json()["total"] == 4
    app.state.uploads.run_pending()
    status = admin.get(f"/api/uploads/{batch}").json()
    assert status["finished"]
    by_name = {i["name"]: i for i in status["items"]}
    assert by_name["../../../etc/x.txt"]["status"] == "duplicate" and by_name["../../../etc/x.txt"]["report_id"]
    assert by_name["new/report.txt"]["status"] == "done"
    assert by_name["ftp://nope"]["status"] == "failed" and "网址" in by_name["ftp://nope"]["message"]
    # stored under content hashes only: no name a person gave is a path
    objects = app.state.config.data_dir / "objects"
    names = [p.name for p in objects.rglob("*") if p.is_file()]
    assert names and all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names)
    assert not (app.state.config.data_dir / "etc").exists()
    page = admin.get(f"/uploads/{batch}").text
    assert "已在库中" in page and "全部处理完毕" in page
    # the report page of an uploaded file shows its source (read from the object store)
    rid = by_name["new/report.txt"]["report_id"]
    assert '<pre class="text">' in admin.get(f"/reports/{rid}").text
    # reviewers may not upload; uploads need a CSRF token from a browser session
    rev = client(app, "reviewer")
    assert rev.post("/api/uploads", data={"urls": "https://x"}, headers={"X-CSRF-Token": csrf_of(rev)}).status_code == 403
    assert admin.post("/api/uploads", data={"urls": "https://x"}).status_code == 403


def test_a_hanging_parse_is_stopped_and_reported(corpus, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from gongkai.web import uploads

    app, _ = corpus
    admin = client(app, "admin")
    r = admin.post(
        "/api/uploads", files=[("files", ("slow.txt", b"slow" * 100, "text/plain"))], headers={"X-CSRF-Token": csrf_of(admin)}
    )
    batch = r.json()["batch"]
    real_run = uploads.subprocess.run

    def slow(cmd, **kw):  # type: ignore[no-untyped-def]
        return real_run([sys.executable, "-c", "import time; time.sleep(30)"], **kw)

    monkeypatch.setattr(uploads.subprocess, "run", slow)
    worker = uploads.Worker(app.state.engine, _quick(app.state.config))
    worker.run_pending()
    item = admin.get(f"/api/uploads/{batch}").json()["items"][0]
    assert item["status"] == "failed" and "解析超时" in item["message"]


def _quick(cfg):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(cfg, parse_timeout_s=1.0)
