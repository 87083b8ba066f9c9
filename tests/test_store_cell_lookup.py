"""Cells looked up inside ``report_cells.cell_values`` by the database: several keys in one
lookup (``cell_values_at``, what statistics and dashboards read) give what Python reads
from the same JSON (``load_values``), on SQLite and PostgreSQL; the dashboards' outcome mix is the
sum of the stored cells, people's corrections applied, blank never counted as 0."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import clean_cells
from gongkai.domain.stats import OUTCOMES
from gongkai.store import Corpus
from gongkai.store import corrections as fixes
from gongkai.store.schema import cell_values_at, load_numbers, load_values, report_cells, reports

KEYS = ["t3.received.total", "t3.disclosed.total", "t4.review.corrected", "t1.no.such.key", "t3.other.total"]


@pytest.fixture
def corpus(store_url: str, tmp_path: Path, store_report_text):  # type: ignore[no-untyped-def]
    root = tmp_path / "in"
    root.mkdir()
    for i, year in enumerate((2021, 2022, 2023)):
        cells = clean_cells(random.Random(i))
        (root / f"{year}.txt").write_text(store_report_text("南京市玄武区教育局", year, seed=i, cells=cells), encoding="utf-8")
    with Corpus(store_url) as c:
        c.ingest([root], jobs=1, progress=False)
        yield c


def test_several_keys_at_once_give_what_the_stored_json_holds(corpus) -> None:  # type: ignore[no-untyped-def]
    rc = report_cells.c
    with corpus.engine.connect() as conn:
        rows = conn.execute(sa.select(rc.report_id, cell_values_at(rc.cell_values, KEYS), sa.cast(rc.cell_values, sa.Text))).all()
        single = conn.execute(sa.select(cell_values_at(rc.cell_values, KEYS[:1]))).scalars().all()
    assert len(rows) == 3
    for rid, text, stored in rows:
        values = load_values(stored)
        got = load_numbers(text, len(KEYS))
        assert got == [values.get(k) for k in KEYS], rid
        assert got[0] is not None and got[3] is None  # a key the report does not have
    assert sorted(load_numbers(t, 1)[0] for t in single) == sorted(load_values(r[2])[KEYS[0]] for r in rows)
    assert load_numbers(None, 2) == [None, None]


def test_keys_are_checked() -> None:
    with pytest.raises(ValueError):
        cell_values_at(report_cells.c.cell_values, ["t3.x'; drop table reports; --"])
    with pytest.raises(ValueError):
        cell_values_at(report_cells.c.cell_values, [])


def test_outcome_mix_adds_up_the_stored_cells_with_corrections(corpus) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("fastapi")
    from gongkai.web.dashboards import outcome_mix

    engine = corpus.engine
    with engine.connect() as conn:
        ids = conn.execute(sa.select(reports.c.id).order_by(reports.c.year)).scalars().all()
        stored = {rid: fixes.load_report(conn, rid)[1].values() for rid in ids}
    fixes.correct(engine, ids[0], "t3.disclosed.total", 1000, "原表抄错", "tester")
    fixes.correct(engine, ids[1], "t3.disclosed.total", None, "原表此格为空", "tester")
    stored[ids[0]]["t3.disclosed.total"] = 1000
    stored[ids[1]]["t3.disclosed.total"] = None
    want = []
    for _name, label, rows in OUTCOMES:
        known = [v[f"t3.{row}.total"] for v in stored.values() for row in rows if v.get(f"t3.{row}.total") is not None]
        want.append([label, int(sum(known)) if known else None])
    assert outcome_mix(engine) == want
    assert want[0][1] == 1000 + stored[ids[2]]["t3.disclosed.total"]  # 2022's blank is not a 0
