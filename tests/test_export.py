"""Exports a person opens (CSV, XLSX) are safe and readable; exports a program reads
(Parquet) are typed (issue 11 item 11, issue 12 item 5)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.domain.labels import cell_label
from gongkai.domain.stats import BODY_TYPES
from gongkai.store import Corpus
from gongkai.store.export import format_for, neutralise
from gongkai.store.schema import reports
from helpers import CORPUS

SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("exp")
    src = d / "in"
    src.mkdir()
    for s in SEEDS[:3]:
        (src / s.name).write_bytes(s.read_bytes())
    url = f"sqlite:///{d / 'c.db'}"
    with Corpus(url) as c:
        c.ingest([src], jobs=1, progress=False)
        with c.engine.begin() as conn:  # bodies whose names a spreadsheet would run as formulas
            ids = [r[0] for r in conn.execute(sa.select(reports.c.id).order_by(reports.c.id))]
            for rid, name in zip(ids, HOSTILE, strict=False):
                conn.execute(sa.update(reports).where(reports.c.id == rid).values(issuing_body=name, body_type="department"))
    return url


def test_format_follows_the_suffix_and_a_mismatch_is_an_error(db: str, tmp_path: Path) -> None:
    assert format_for("a.xlsx") == "xlsx" and format_for("a.jsonl") == "json" and format_for("out", "csv") == "csv"
    with pytest.raises(ValueError, match="不符"):
        format_for("out.csv", "xlsx")
    res = CliRunner().invoke(main, ["export", "--db", db, "--format", "xlsx", "-o", str(tmp_path / "out.csv")])
    assert res.exit_code == 2 and "不符" in res.output and not (tmp_path / "out.csv").exists()
    res = CliRunner().invoke(main, ["export", "--db", db, "-o", str(tmp_path / "out.parquet")])
    assert res.exit_code == 0 and (tmp_path / "out.parquet").read_bytes()[:4] == b"PAR1"
    res = CliRunner().invoke(main, ["export", "--db", db, "-o", str(tmp_path / "out.dat")])
    assert res.exit_code == 2 and "--format" in res.output


def test_neutralise() -> None:
    for v in [*HOSTILE, "\tx", "\r=1"]:
        assert neutralise(v) == "'" + v
    for v in ["测试县教育局", "-", "—", "-5", "+3.5", 7, None]:
        assert neutralise(v) == v


def test_csv_keeps_formulas_as_text_and_body_types_in_chinese(db: str, tmp_path: Path) -> None:
    with Corpus(db) as c:
        c.export("csv", tmp_path / "w.csv")
    with open(tmp_path / "w.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bodies = {r["发布机关"] for r in rows}
    assert bodies == {"'" + h for h in HOSTILE[: len(rows)]}
    assert {r["机关类型"] for r in rows} == {BODY_TYPES["department"]}


def test_xlsx_header_filter_widths_text_not_formulas(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with Corpus(db) as c:
        n = c.export("xlsx", tmp_path / "w.xlsx")
    ws = load_workbook(tmp_path / "w.xlsx").worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{n + 1}"
    header = [c.value for c in ws[1]]
    body_col = header.index("发布机关") + 1
    assert ws.column_dimensions[ws.cell(1, body_col).column_letter].width >= 30
    first_cell_col = header.index(cell_label("t3.received.total")) + 1
    assert 8 <= ws.column_dimensions[ws.cell(1, first_cell_col).column_letter].width <= 16
    for r in range(2, n + 2):
        cell = ws.cell(r, body_col)
        assert cell.data_type == "s" and cell.value in HOSTILE  # the text itself, typed as text
    types = {ws.cell(r, header.index("机关类型") + 1).value for r in range(2, n + 2)}
    assert types == {BODY_TYPES["department"]}
    counts = [ws.cell(r, first_cell_col).value for r in range(2, n + 2)]
    assert all(isinstance(v, int) or v is None for v in counts)
    with Corpus(db) as c:  # the long form too
        c.export("xlsx", tmp_path / "l.xlsx", form="long")
    ws = load_workbook(tmp_path / "l.xlsx", read_only=True).worksheets[0]
    bodies = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert bodies <= set(HOSTILE)


def test_parquet_nullable_integers_ascii_names_chinese_labels(db: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with Corpus(db) as c:
        c.export("parquet", tmp_path / "w.parquet")
        c.export("json", tmp_path / "w.json")
    table = pq.read_table(tmp_path / "w.parquet")
    schema = table.schema
    assert all(name.isascii() for name in schema.names)
    assert schema.field("t3.received.total").type == pa.int64()
    assert schema.field("t2.fees.amount").type == pa.float64()  # money keeps its decimals
    assert schema.field("year").type == pa.int64() and schema.field("body_type").type == pa.string()
    assert schema.field("t3.received.total").metadata[b"label"].decode() == cell_label("t3.received.total")
    labels = json.loads(schema.metadata[b"gongkai.labels"])
    assert labels["issuing_body"] == "发布机关" and labels["t3.received.total"] == cell_label("t3.received.total")
    rows = {r["id"]: r for r in table.to_pylist()}
    for line in (tmp_path / "w.json").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        row = rows[obj["id"]]
        for key, value in obj["cells"].items():
            if schema.field(key).type == pa.int64():
                assert row[key] == value, key  # blank (null) stays null, never 0
    assert any(v is None for r in rows.values() for v in r.values())  # nullable: absent and blank cells are null
    assert {r["body_type"] for r in rows.values()} == {"department"}  # programs get the code
