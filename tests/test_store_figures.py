"""``report_figures``: the cells the statistics and dashboards add up, kept by the writer in a
small row per report. What the writer, a re-parse and migration 0011 put there is exactly
``report_cells.cell_values`` restricted to ``FIGURE_KEYS`` (null kept as blank, a key the
report lacks left out), on SQLite and PostgreSQL, and the statistics read it."""

from __future__ import annotations

import importlib
import json
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import clean_cells
from gongkai.domain.stats import FIGURE_KEYS
from gongkai.store import Corpus
from gongkai.store.db import _alembic_config
from gongkai.store.reparse import reparse
from gongkai.store.schema import load_values, report_cells, report_figures, reports
from gongkai.store.stats import stats


def _stored(engine: sa.Engine) -> tuple[dict[str, dict], dict[str, dict]]:
    with engine.connect() as conn:
        cells = {rid: load_values(v) for rid, v in conn.execute(sa.select(report_cells.c.report_id, sa.cast(report_cells.c.cell_values, sa.Text)))}
        figures = {rid: load_values(v) for rid, v in conn.execute(sa.select(report_figures.c.report_id, sa.cast(report_figures.c.figures, sa.Text)))}
    return cells, figures


def _want(cells: dict[str, dict]) -> dict[str, dict]:
    return {rid: {k: v[k] for k in FIGURE_KEYS if k in v} for rid, v in cells.items()}


@pytest.fixture
def corpus_dir(tmp_path: Path, store_report_text) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "in"
    root.mkdir()
    for i, year in enumerate((2020, 2021, 2022)):
        cells = clean_cells(random.Random(i))
        if year == 2022:  # a blank row: its figure stays blank (not absent, not 0)
            cells.update({k: None for k in cells if k.startswith("t3.disclosed.")})
        (root / f"{year}.txt").write_text(store_report_text("南京市玄武区教育局", year, seed=i, cells=cells), encoding="utf-8")
    return root


def test_the_writer_keeps_the_figures_of_each_report(store_url: str, corpus_dir: Path) -> None:
    with Corpus(store_url) as c:
        c.ingest([corpus_dir], jobs=1, progress=False)
        cells, figures = _stored(c.engine)
        assert len(figures) == 3
        assert figures == _want(cells)
        blank = [v for v in figures.values() if "t3.disclosed.total" in v and v["t3.disclosed.total"] is None]
        assert len(blank) == 1  # blank, not absent and not 0
        assert any(k not in v for v in figures.values() for k in FIGURE_KEYS)  # a 2020 report has no 2021-only rows
        with c.engine.connect() as conn:
            year_of = dict(conn.execute(sa.select(reports.c.id, reports.c.year)).all())
        by_year = {r["value"]: r for r in stats(c.engine, ("year",)) if r["dimension"] == "year"}
        for rid, v in cells.items():  # the statistics read the figures
            assert by_year[year_of[rid]]["received"] == v["t3.received.total"]


def test_a_reparse_writes_the_figures_again(store_url: str, corpus_dir: Path) -> None:
    with Corpus(store_url) as c:
        c.ingest([corpus_dir], jobs=1, progress=False)
        rid = sorted(_stored(c.engine)[1])[0]
        with c.engine.begin() as conn:  # as if an older parser had read other figures
            conn.execute(report_figures.update().where(report_figures.c.report_id == rid).values(figures={"t3.received.total": -1}))
        assert reparse(c.engine, rid)
        cells, figures = _stored(c.engine)
        assert figures == _want(cells)


def test_migration_0011_fills_the_figures_from_the_stored_cells(store_url: str, corpus_dir: Path) -> None:
    from alembic import command

    with Corpus(store_url) as c:
        c.ingest([corpus_dir], jobs=1, progress=False)
        written = _stored(c.engine)[1]
        cfg = _alembic_config()
        for step, target in (("downgrade", "0010_web_list_indexes"), ("upgrade", "0011_report_figures")):
            with c.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                getattr(command, step)(cfg, target)
        cells, figures = _stored(c.engine)
        assert figures == written == _want(cells)
        with c.engine.connect() as conn:  # the same JSON text shape as the writer's: keys as stored
            text = conn.execute(sa.select(sa.cast(report_figures.c.figures, sa.Text))).scalars().first()
        assert set(json.loads(text)) <= set(FIGURE_KEYS)


def test_changing_the_figure_keys_needs_a_migration_that_fills_them_again() -> None:
    """FIGURE_KEYS is what the writer copies; the newest migration that filled report_figures
    must have filled the same set, or stored reports would lack the new cells."""
    latest = importlib.import_module("gongkai.store.migrations.versions.0011_report_figures")
    assert tuple(sorted(latest.KEYS)) == FIGURE_KEYS, "FIGURE_KEYS changed: add a migration that fills report_figures again"
