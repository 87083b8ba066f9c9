"""The corpus store on SQLite and (with GONGKAI_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from gongkai.store import Corpus
from gongkai.store.schema import cells, findings, narrative_bands, narrative_minhash, reports, sections


def assert_whole(corpus: Corpus) -> None:
    """No half-written report: every report has all its cells, nothing hangs without a report."""
    with corpus.engine.connect() as conn:
        bad = conn.execute(
            sa.select(reports.c.id, reports.c.n_cells, sa.func.count(cells.c.key))
            .select_from(reports.outerjoin(cells, cells.c.report_id == reports.c.id))
            .group_by(reports.c.id, reports.c.n_cells)
            .having(reports.c.n_cells != sa.func.count(cells.c.key))
        ).all()
        assert bad == []
        for t in (cells, sections, narrative_bands, narrative_minhash):
            orphans = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(~t.c.report_id.in_(sa.select(reports.c.id)))
            ).scalar()
            assert orphans == 0, t.name
        orphans = conn.execute(
            sa.select(sa.func.count())
            .select_from(findings)
            .where(findings.c.report_id.is_not(None), ~findings.c.report_id.in_(sa.select(reports.c.id)))
        ).scalar()
        assert orphans == 0


@pytest.fixture
def small(tmp_path: Path, store_report_text) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    for i, (body, year) in enumerate([("南京市玄武区教育局", 2021), ("南京市玄武区教育局", 2022), ("苏州市财政局", 2022)]):
        (root / ("sub" if i else "") / f"r{i}.txt").write_text(store_report_text(body, year, seed=i), encoding="utf-8")
    return root


def test_ingest_is_idempotent(store_url: str, small: Path) -> None:
    with Corpus(store_url) as c:
        s = c.ingest([small], jobs=1, progress=False)
        assert (s.total, s.parsed, s.failed, s.duplicates) == (3, 3, 0, 0)
        before = c.counts()
        again = c.ingest([small], jobs=1, progress=False)
        assert (again.parsed, again.unchanged) == (0, 3)
        assert c.counts() == before
        assert before["reports"] == 3 and before["cells"] == 600
        assert_whole(c)


def test_same_bytes_elsewhere_is_a_duplicate(store_url: str, small: Path, tmp_path: Path) -> None:
    with Corpus(store_url) as c:
        c.ingest([small], jobs=1, progress=False)
        other = tmp_path / "mirror"
        other.mkdir()
        shutil.copy(small / "r0.txt", other / "copy.txt")
        s = c.ingest([other], jobs=1, progress=False)
        assert (s.parsed, s.duplicates) == (0, 1)
        assert c.counts()["reports"] == 3 and c.counts()["source_paths"] == 4
        c.check()
        with c.engine.connect() as conn:
            rules = [r for (r,) in conn.execute(sa.select(findings.c.rule).where(findings.c.source == "corpus"))]
        assert rules == ["REPOSTED"]


def test_changed_document_becomes_a_new_version(store_url: str, small: Path, store_report_text, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Corpus(store_url) as c:
        c.ingest([small], jobs=1, progress=False)
        # the same path with changed bytes
        (small / "r0.txt").write_text(store_report_text("南京市玄武区教育局", 2021, seed=99), encoding="utf-8")
        s = c.ingest([small], jobs=1, progress=False)
        assert (s.parsed, s.versions, s.unchanged) == (1, 1, 2)
        # the same body and year at another path
        (tmp_path / "x.txt").write_text(store_report_text("苏州市财政局", 2022, seed=5), encoding="utf-8")
        assert c.ingest([tmp_path / "x.txt"], jobs=1, progress=False).versions == 1
        with c.engine.connect() as conn:
            rows = conn.execute(
                sa.select(reports.c.lineage, reports.c.version, reports.c.is_latest).order_by(
                    reports.c.lineage, reports.c.version
                )
            ).all()
        by_lineage: dict[str, list[tuple[int, bool]]] = {}
        for lineage, version, latest in rows:
            by_lineage.setdefault(lineage, []).append((version, bool(latest)))
        assert sorted(by_lineage.values()) == [[(1, False), (2, True)], [(1, False), (2, True)], [(1, True)]]
        assert len(c.stats(by=("year",))) == 3  # all + 2021 + 2022, latest versions only
        assert c.stats(by=())[0]["reports"] == 3
        assert_whole(c)


def test_failures_are_recorded_and_never_stop_the_batch(store_url: str, small: Path) -> None:
    (small / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (small / "empty.txt").write_bytes(b"")
    with Corpus(store_url) as c:
        s = c.ingest([small, small / "missing.txt"], jobs=1, progress=False)
        assert s.parsed == 3 and s.failed >= 2
        with c.engine.connect() as conn:
            fails = {
                Path(p).name: (code, msg, n)
                for p, code, msg, n in conn.execute(sa.text("SELECT path, code, message, attempts FROM failures"))
            }
        assert "missing.txt" in fails and fails["missing.txt"][1] == "文件不存在"
        assert "broken.pdf" in fails
        again = c.ingest([small / "missing.txt"], jobs=1, progress=False)
        assert again.failed == 1
        with c.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT attempts FROM failures WHERE path LIKE '%missing.txt'")).scalar() == 2
        assert_whole(c)


def test_a_report_that_cannot_be_written_costs_only_itself(store_url: str, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.store import write

    real = write._bulk

    def flaky(conn, table, rows):  # type: ignore[no-untyped-def]
        real(conn, table, rows)  # sources and reports rows are in: the rollback must take them back
        if table.name == "sections" and any(r[0] == bad for r in rows):
            raise RuntimeError("磁盘已满（测试）")

    from gongkai.store.ingest import _sha256

    bad = _sha256(str(small / "sub" / "r1.txt"))[:16]
    monkeypatch.setattr(write, "_bulk", flaky)
    with Corpus(store_url) as c:
        s = c.ingest([small], jobs=1, progress=False)
        assert (s.parsed, s.failed) == (2, 1)
        with c.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT code FROM failures")).scalar() == "store_error"
        assert c.counts()["reports"] == 2 and c.counts()["sources"] == 2
        assert_whole(c)
        monkeypatch.setattr(write, "_bulk", real)
        assert c.ingest([small], jobs=1, progress=False).parsed == 1  # the retry completes it
        assert c.counts()["failures"] == 0
        assert_whole(c)


def test_stats(store_url: str, tmp_path: Path, store_report_text) -> None:  # type: ignore[no-untyped-def]
    import random

    from conftest import clean_cells

    root = tmp_path / "in"
    root.mkdir()
    expect = {"disclosed": 0, "total_handled": 0, "review_corrected": 0, "review_decided": 0}
    for i, year in enumerate((2021, 2023)):  # 2022 is missing
        cells = clean_cells(random.Random(i))
        expect["disclosed"] += cells["t3.disclosed.total"]
        expect["total_handled"] += cells["t3.total_handled.total"]
        expect["review_corrected"] += cells["t4.review.corrected"]
        expect["review_decided"] += sum(cells[f"t4.review.{k}"] for k in ("upheld", "corrected", "other"))
        text = store_report_text("南京市玄武区教育局", year, seed=i, cells=cells)
        (root / f"{year}.txt").write_text(text, encoding="utf-8")
    with Corpus(store_url) as c:
        c.ingest([root], jobs=1, progress=False)
        rows = c.stats()
    overall = rows[0]
    assert overall["dimension"] == "all" and overall["reports"] == 2
    assert overall["disclosed"] == expect["disclosed"]
    assert overall["disclosed_rate"] == round(expect["disclosed"] / expect["total_handled"], 4)
    assert overall["review_correction_rate"] == (
        round(expect["review_corrected"] / expect["review_decided"], 4) if expect["review_decided"] else None
    )
    assert overall["missing"] == 1
    years = {r["value"]: r for r in rows if r["dimension"] == "year"}
    assert years[2022]["missing"] == 1 and years[2022]["reports"] == 0
    assert {r["dimension"] for r in rows} == {"all", "year", "region", "body_type"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "json"])
def test_export_round_trip(store_url: str, small: Path, tmp_path: Path, fmt: str) -> None:
    from gongkai.domain.labels import cell_label

    with Corpus(store_url) as c:
        c.ingest([small], jobs=1, progress=False)
        with c.engine.connect() as conn:
            truth = {(rid, k): v for rid, k, v in conn.execute(sa.select(cells.c.report_id, cells.c.key, cells.c.value))}
        n_wide = c.export(fmt, tmp_path / f"w.{fmt}", form="wide")
        n_long = c.export(fmt, tmp_path / f"l.{fmt}", form="long")
    assert (n_wide, n_long) == (3, 600)
    wide, long = _read(fmt, tmp_path / f"w.{fmt}"), _read(fmt, tmp_path / f"l.{fmt}")
    assert len(wide) == 3 and len(long) == 600
    label = cell_label("t3.received.total")
    for (rid, key), value in truth.items():
        if key == "t3.received.total":
            row = next(r for r in wide if r["报告编号"] == rid)
            got = row["cells"][key] if fmt == "json" else row[label]
            assert _same(got, value)
    for r in long:
        rid, key = (r["report_id"], r["key"]) if fmt == "json" else (r["报告编号"], r["单元格"])
        assert _same(r["value"] if fmt == "json" else r["数值"], truth[(rid, key)])
    assert not list(tmp_path.glob("*.partial"))


def _same(got: object, want: object) -> bool:
    if want is None:
        return got in (None, "")
    return Decimal(str(got)) == Decimal(str(want))


def _read(fmt: str, path: Path) -> list[dict]:
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        return [dict(zip_longest(rows[0], r)) for r in rows[1:]]  # read-only mode trims trailing empty cells
    if fmt == "parquet":  # ASCII names, each field's Chinese label in its metadata
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        labels = {f.name: f.metadata[b"label"].decode() for f in table.schema}
        return [{labels[k]: v for k, v in r.items()} for r in table.to_pylist()]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        r.setdefault("报告编号", r.get("id"))
    return rows


def test_url_list_and_cli(store_url: str, small: Path, tmp_path: Path) -> None:
    from gongkai.cli import main

    listing = tmp_path / "list.txt"
    listing.write_text("# 清单\n" + "\n".join(str(p) for p in sorted(small.rglob("*.txt"))) + "\n\n", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["ingest", f"@{listing}", "--db", store_url, "--jobs", "1", "--no-progress", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["ingest"]["parsed"] == 3 and "check" in out
    r = runner.invoke(main, ["stats", "--db", store_url, "--json", "--by", "year"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["reports"] == 3
    r = runner.invoke(main, ["stats", "--db", store_url])
    assert r.exit_code == 0 and "予以公开率" in r.output and "不予公开理由" in r.output
    r = runner.invoke(main, ["stats", "--db", store_url, "--by", "colour"])
    assert r.exit_code != 0 and "未知的统计维度" in r.output
    r = runner.invoke(main, ["export", "--db", store_url, "--format", "csv", "--form", "long", "-o", str(tmp_path / "x.csv")])
    assert r.exit_code == 0 and (tmp_path / "x.csv").exists()
    r = runner.invoke(main, ["check-corpus", "--db", store_url])
    assert r.exit_code == 0 and "跨报告检查" in r.output


def test_dask_engine(store_url: str, small: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from gongkai.store.parquet_out import ingest_to_parquet

    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        with Corpus(store_url) as c:
            s = c.ingest([small], engine="dask", address=cluster.scheduler_address, progress=False)
            assert (s.parsed, s.failed) == (3, 0)
            assert c.counts()["cells"] == 600
            assert_whole(c)
        out = tmp_path / "pq"
        s = ingest_to_parquet([small], out, engine="dask", address=cluster.scheduler_address, progress=False)
        assert s.parsed == 3
    import pyarrow.dataset as ds

    assert ds.dataset(out / "cells").count_rows() == 600
    assert ds.dataset(out / "reports").count_rows() == 3


def test_parquet_output_local(small: Path, tmp_path: Path) -> None:
    from gongkai.store.parquet_out import ingest_to_parquet

    for _ in range(2):  # a re-run rewrites the same parts
        s = ingest_to_parquet([small], tmp_path / "pq", jobs=1, progress=False)
        assert s.parsed == 3
    import pyarrow.dataset as ds

    assert ds.dataset(tmp_path / "pq" / "cells").count_rows() == 600


def test_migrations_match_schema(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from gongkai.store.db import pending
    from gongkai.store.schema import metadata

    with Corpus(store_url) as c:
        assert pending(c.engine) == []
        with c.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"version_table": "gongkai_migrations"}), metadata)
        # SQLite reflects NUMERIC(20,4) and the Num decorator alike; ignore pure type noise
        diff = [d for d in diff if not (isinstance(d, list) and d and d[0][0] == "modify_type")]
        assert diff == []
        with c.engine.connect() as conn:
            views = set(sa.inspect(conn).get_view_names())
        assert {"report_summary", "finding_counts", "corpus_findings"} <= views


def test_migration_0004_carries_rows_over_and_back(store_url: str) -> None:
    """A database at 0003 (cells one row each, band keys clustered) upgraded to 0004 and
    back: the cells view, report_summary and every row survive both ways."""
    from alembic import command

    from gongkai.store.db import _alembic_config, open_engine

    engine = open_engine(store_url, migrate_schema=False)
    cfg = _alembic_config()

    def run(step: str, target: str) -> None:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, step)(cfg, target)

    run("upgrade", "0003_source_paths_by_source")
    cells_v1 = [
        ("r1", "t3.received.total", 12, "read", "12", None, '{"start": 1, "end": 3, "line": 2}'),
        ("r1", "t3.total_handled.total", 10, "read", "10", None, None),
        ("r1", "t3.disclosed.total", 5, "read", "5", None, None),
        ("r1", "t2.fees.amount", Decimal("12.35"), "read", "12.35", "万元", '{"page": 2, "bbox": [1.0, 2.0, 3.0, 4.0]}'),
        ("r1", "t4.review.total", None, "blank", "/", None, '{"table": 3, "row": 2, "col": 5, "note": "x"}'),
        ("r2", "t3.received.total", 0, "derived", None, None, '{"note": "由勾稽关系推出"}'),
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO sources (id, path, content_hash) VALUES ('r1', 'a', 'h1'), ('r2', 'b', 'h2')")
        for rid in ("r1", "r2"):
            conn.exec_driver_sql(
                "INSERT INTO reports (id, source_id, lineage, version, is_latest, n_cells, n_errors, n_extraction, "
                f"parser_version, ingested_at) VALUES ('{rid}', '{rid}', '{rid}', 1, true, 3, 0, 0, 'x', '2025-01-01 00:00:00')"
            )
        names = ("report_id", "key", "value", "status", "raw", "unit", "provenance")
        rows = [dict(zip(names, (*r[:6], r[6] and json.loads(r[6])), strict=True)) for r in cells_v1]
        conn.execute(cells.insert(), rows)  # cells was a table then, with the view's columns
        conn.exec_driver_sql("INSERT INTO sections VALUES ('r1', 'overview', '总体情况')")
        conn.exec_driver_sql("INSERT INTO narrative_bands VALUES ('b00:1', 'overview', 'r1'), ('b01:2', 'overview', 'r1')")

    def snapshot() -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
        with engine.connect() as conn:
            got = conn.execute(sa.select(cells).order_by(cells.c.report_id, cells.c.key)).all()
            summary = conn.execute(
                sa.text("SELECT id, received_total, total_handled, disclosed, disclosed_rate FROM report_summary ORDER BY id")
            ).all()
            bands = conn.execute(sa.select(narrative_bands).order_by(narrative_bands.c.band_key)).all()
            secs = conn.execute(sa.select(sections)).all()
        return [tuple(r) for r in got], [tuple(r) for r in summary], [tuple(r) for r in bands], [tuple(r) for r in secs]

    before = snapshot()
    run("upgrade", "0004_report_rows")
    after = snapshot()
    run("downgrade", "0003_source_paths_by_source")
    again = snapshot()
    engine.dispose()
    expected = sorted(
        (rid, key, value, status, raw, unit, json.loads(prov) if prov else None)
        for rid, key, value, status, raw, unit, prov in cells_v1
    )
    for cells_now, summary, bands, secs in (before, after, again):
        assert sorted(cells_now) == expected
        assert [(r[0], *(None if v is None else Decimal(str(v)) for v in r[1:])) for r in summary] == [
            ("r1", 12, 10, 5, Decimal("0.5")),
            ("r2", 0, None, None, None),
        ]
        assert bands == before[2] and secs == before[3]


def test_cells_travel_as_json_and_come_back_whole() -> None:
    """A report's cells become report_cells' two JSON texts in the worker and the same
    long-form rows come back (the ``cells`` view and the long export read them so)."""
    from gongkai.model import Cell, Origin, Report
    from gongkai.store.work import cell_rows, to_rows

    def cell(key: str, value: object, status: str, origin: Origin | None, **kw: object) -> tuple[str, Cell]:
        return key, Cell(key=key, value=value, status=status, origin=origin, **kw)  # type: ignore[arg-type]

    cells = dict(
        [
            cell("t3.received.total", 3119, "read", Origin(start=10, end=15, line=4), raw="3,119"),
            cell(
                "t2.fees.amount", Decimal("12.35"), "read", Origin(page=2, bbox=(1.04, 2.0, 3.0, 4.0)), raw="12.35", unit="万元"
            ),
            cell("t4.review.total", None, "blank", Origin(table=3, row=2, col=5), raw="/"),
            cell("t3.disclosed.total", 7, "derived", None, note="由勾稽关系推出"),
            cell("t3.quoted.total", 0, "read", Origin(start=1, end=2, line=1), raw='"零"\\'),
        ]
    )
    report = Report("x.txt", issuing_body="南京市玄武区教育局", report_year=2022, format="2021", cells=cells)
    o = to_rows(report, "x.txt", "ab" * 32, 10, datetime(2025, 1, 1))
    json.loads(o.cell_values), json.loads(o.cell_details)  # valid JSON
    got = {row[1]: row for row in cell_rows(o.id, o.cell_values, o.cell_details)}
    assert set(got) == set(cells)
    for key, c in cells.items():
        rid, _, value, status, raw, unit, prov = got[key]
        assert rid == o.id and value == c.value and (status, raw, unit) == (c.status, c.raw, c.unit)
        want = dict(c.origin.to_json()) if c.origin else {}
        if c.note:
            want["note"] = c.note
        assert (json.loads(prov) if prov else {}) == want, key
