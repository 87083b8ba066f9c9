"""Fixtures of the corpus store tests (tests/test_store*.py).

``store_url`` runs a test on SQLite and, when GONGKAI_TEST_PG_URL is set (CI sets it from
``scripts/postgres.sh``), on PostgreSQL too, each time on an empty database of its own that
is dropped after the test (the database named in the URL is never touched).
``store_corpus`` writes generated report texts to a folder.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

PG_URL = os.environ.get("GONGKAI_TEST_PG_URL")
STORE_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="GONGKAI_TEST_PG_URL 未设置"))]


TEST_DB_PREFIX = "gongkai_test_"


def _admin(url: str):  # type: ignore[no-untyped-def]
    """An engine on the server of ``url`` in autocommit (CREATE/DROP DATABASE run outside a
    transaction). It connects to the database named in the URL but never changes it."""
    import sqlalchemy as sa

    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def fresh_pg_database(url: str) -> Iterator[str]:
    """A database of its own for one test on the server of ``url``, dropped afterwards.

    Only a database this fixture created (a random name under ``TEST_DB_PREFIX``) is ever
    dropped: the database named in ``url`` (a user's, or the server's ``gongkai``) is left
    exactly as it was."""
    import uuid

    import sqlalchemy as sa

    name = f"{TEST_DB_PREFIX}{uuid.uuid4().hex[:12]}"
    admin = _admin(url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            # WITH (FORCE): a connection a test left open (a killed worker's) must not keep it
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    assert PG_URL
    yield from fresh_pg_database(PG_URL)


# ---------------------------------------------------------------- generated reports
_CHARS = (
    "政务公开工作制度建设平台信息发布审核机制规范管理服务群众企业办理申请答复渠道网站公众号解读"
    "政策文件标准目录指南培训考核监督检查整改落实推进深化优化完善加强提升创新便民高效透明依法"
    "数据统计分析报送归档保密审查风险防范舆情回应互动交流留言咨询热线窗口受理流程时限质量效能"
)


def prose(rng: random.Random, n: int = 160) -> str:
    """Random Chinese prose: two such texts share almost no 5-character shingles."""
    words = ["".join(rng.choice(_CHARS) for _ in range(rng.randint(2, 4))) for _ in range(n // 3)]
    out, line = [], []
    for w in words:
        line.append(w)
        if rng.random() < 0.15:
            out.append("".join(line) + "。")
            line = []
    out.append("".join(line) + "。")
    return "".join(out)


def clean_cells(rng: random.Random) -> dict[str, Any]:
    """A valid 2021 cell set with nothing carried between years (so histories chain)."""
    from gongkai.domain.labels import T3_COLUMNS
    from helpers import valid_cells

    cells: dict[str, Any] = valid_cells(rng, "2021")
    for col in T3_COLUMNS:
        c = col.key
        cells[f"t3.received.{c}"] = cells[f"t3.total_handled.{c}"]
        cells[f"t3.carried_over.{c}"] = 0
        cells[f"t3.carried_forward.{c}"] = 0
    # table 2 in force: constant from year to year
    for row in ("regulations", "normative_docs"):
        cells[f"t2.{row}.issued"] = 0
        cells[f"t2.{row}.repealed"] = 0
        cells[f"t2.{row}.in_force"] = 7
    return cells


def carry(cells: dict[str, Any], n: int) -> None:
    """Claim ``n`` natural-person applications carried over from last year (which carried
    none forward), handled and disclosed this year: every identity of the report holds."""
    for c in ("natural_person", "total"):
        for row in ("carried_over", "disclosed", "total_handled"):
            cells[f"t3.{row}.{c}"] += n


def render(body: str, year: int, cells: dict[str, Any], overview: str, problems: str, date: str | None = None) -> str:
    """A 2021-format report as tab-separated text: ``gongkai.render`` when present, else
    the template of tests/files/text."""
    try:
        from gongkai.render.spec import ReportSpec
        from gongkai.render.text import render_text
    except ImportError:
        return _render_template(body, year, cells, overview, problems, date)
    sections = {"overview": overview, "proactive": "", "applications": "", "remedies": "", "problems": problems, "other": "无。"}
    spec = ReportSpec(body, year, "2021", dict(cells), sections, publication_date=date or f"{year + 1}-01-20")
    return render_text(spec, "tsv")


def _render_template(body: str, year: int, cells: dict[str, Any], overview: str, problems: str, date: str | None = None) -> str:
    from helpers import fill_template

    text = fill_template("template_2021.tsv.txt", cells)
    lines = text.split("\n")
    lines[0] = f"{body}{year}年政府信息公开工作年度报告"
    text = "\n".join(lines)
    text = text.replace(lines[4], overview, 1) if lines[4].startswith("本年度") else text
    text = text.replace("一是公开内容还不够丰富。二是平台建设有待加强。", problems)
    head, _, _ = text.rpartition("测试县教育局")
    return head + f"{body}\n{date or f'{year + 1}年1月20日'}\n"


@dataclass
class Planted:
    root: Path
    files: list[Path] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    carry_breaks: set[tuple[str, int]] = field(default_factory=set)  # (body, year of the report that broke it)
    copies: set[tuple[str, int]] = field(default_factory=set)  # (copier body, year)
    duplicates: set[tuple[str, int]] = field(default_factory=set)


def bodies(rng: random.Random, n: int) -> list[str]:
    """``n`` bodies that are different bodies (沅陵县人民政府办公室 and 怀化市沅陵县人民政府办公室 are one)."""
    from gongkai.corpus.bodies import resolve_body
    from gongkai.testing.fixtures import random_body

    out: dict[str, str] = {}
    while len(out) < n:
        name = random_body(rng)
        out.setdefault(resolve_body(name).normalized, name)
    return list(out.values())


def write_corpus(
    root: Path, n_bodies: int, years: range, seed: int = 7, breaks: int = 0, copies: int = 0, duplicates: int = 0
) -> Planted:
    """Reports of ``n_bodies`` bodies over ``years``; plant the given number of each problem."""
    rng = random.Random(seed)
    out = Planted(root)
    out.bodies = bodies(rng, n_bodies)
    root.mkdir(parents=True, exist_ok=True)
    texts: dict[tuple[str, int], tuple[dict[str, Any], str, str]] = {}
    for i, body in enumerate(out.bodies):
        for year in years:
            cells = clean_cells(rng)
            texts[(body, year)] = (cells, prose(rng), prose(rng))
        folder = root / f"body{i:04d}"
        folder.mkdir()
    victims = rng.sample(out.bodies, breaks + copies + duplicates)
    for body in victims[:breaks]:
        year = rng.choice(list(years)[1:])
        carry(texts[(body, year)][0], 3)  # last year carried nothing forward
        out.carry_breaks.add((body, year))
    for body in victims[breaks : breaks + copies]:
        year = rng.choice(list(years))
        source = rng.choice([b for b in out.bodies if b != body])
        cells, overview, _ = texts[(body, year)]
        texts[(body, year)] = (cells, overview, texts[(source, year)][2])  # copies another body's 五、
        out.copies.add((body, year))
    for i, body in enumerate(out.bodies):
        for year in years:
            cells, overview, problems = texts[(body, year)]
            path = root / f"body{i:04d}" / f"{year}.txt"
            path.write_text(render(body, year, cells, overview, problems), encoding="utf-8")
            out.files.append(path)
    for body in victims[breaks + copies :]:
        year = rng.choice(list(years))
        i = out.bodies.index(body)
        cells, overview, problems = texts[(body, year)]
        changed = dict(cells)
        for c in ("natural_person", "total"):  # a second document with other numbers
            for row in ("received", "disclosed", "total_handled"):
                changed[f"t3.{row}.{c}"] += 5
        path = root / "reposts" / f"body{i:04d}-{year}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(body, year, changed, overview, problems), encoding="utf-8")
        out.files.append(path)
        out.duplicates.add((body, year))
    return out


@pytest.fixture
def store_corpus() -> Callable[..., Planted]:
    return write_corpus


@pytest.fixture
def store_report_text() -> Callable[..., str]:
    """(body, year, seed) -> a valid report's text."""

    def make(body: str = "南京市玄武区教育局", year: int = 2022, seed: int = 1, **kw: Any) -> str:
        rng = random.Random(seed)
        cells = clean_cells(rng)
        cells.update(kw.pop("cells", {}))
        return render(body, year, cells, prose(rng), prose(rng), **kw)

    return make


__all__ = ["Decimal"]
