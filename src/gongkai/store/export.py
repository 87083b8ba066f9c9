"""Export the corpus as csv, xlsx, parquet or JSON lines, wide or long, streaming.

Wide: one row per report, metadata columns then one column per cell key (Chinese headers
from ``cell_label``). Long: one row per cell. Rows come from server-side cursors and go out
in fixed-size chunks, so memory does not grow with the corpus.

The spreadsheet formats are for people: Chinese headers and body types, and a text that a
spreadsheet would run as a formula (a leading ``=``, ``+``, ``-``, ``@``) stays text (typed
as a string in XLSX, quoted with a leading ``'`` in CSV). XLSX has a frozen header row, an
autofilter and column widths. Parquet and JSON are for programs: the ASCII names (cell keys,
body-type codes), counts as nullable 64-bit integers, the Chinese labels in the Parquet
schema's metadata.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..domain.labels import all_keys, cell_label, is_count
from ..domain.stats import BODY_TYPES
from ..model import json_number
from .corrections import corrected_values
from .schema import load_values, report_cells, reports

FORMATS = ("csv", "xlsx", "parquet", "json")
# File suffixes of each format (an output named otherwise needs --format).
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json", ".ndjson": "json"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$|^-+$")  # "-5", "-": no formula, left alone
ABSENT = object()  # a key the report does not show (blank cells are None): only JSON tells them apart
CHUNK = 5000  # rows per Parquet row group / fetch
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet; a longer export continues on a new sheet

# (column, Chinese header, kind) of the report metadata in both forms.
META: tuple[tuple[str, str, str], ...] = (
    ("id", "报告编号", "str"),
    ("issuing_body", "发布机关", "str"),
    ("normalized_body", "机关（规范名）", "str"),
    ("province", "省", "str"),
    ("city", "市", "str"),
    ("county", "县", "str"),
    ("division_code", "区划代码", "str"),
    ("body_type", "机关类型", "str"),
    ("year", "年度", "int"),
    ("format", "格式", "str"),
    ("publication_date", "发布日期", "str"),
    ("version", "版本", "int"),
    ("n_errors", "错误数", "int"),
    ("path", "来源", "str"),
)
# After META in the wide form: which cells people corrected (their values are in the cell
# columns), and which of those the parser now reads differently (store/corrections.py).
REVIEW: tuple[tuple[str, str, str], ...] = (
    ("corrected", "已更正的单元格", "str"),
    ("correction_conflicts", "更正与新解析不一致的单元格", "str"),
)
LONG: tuple[tuple[str, str, str], ...] = (
    ("report_id", "报告编号", "str"),
    ("issuing_body", "发布机关", "str"),
    ("year", "年度", "int"),
    ("key", "单元格", "str"),
    ("label", "名称", "str"),
    ("value", "数值", "num"),
    ("status", "状态", "str"),
    ("raw", "原文", "str"),
    ("unit", "单位", "str"),
    ("provenance", "位置", "str"),
    ("corrected", "更正", "str"),  # "" | "corrected" | "conflict": the value is a person's correction
)


def cell_keys() -> list[str]:
    """Every canonical key, 2021 layout first, each once."""
    return list(dict.fromkeys(all_keys("2021") + all_keys("2019") + all_keys("2021", single_other=True)))


def wide_columns() -> list[tuple[str, str, str]]:
    return list(META) + list(REVIEW) + [(k, cell_label(k), "int" if is_count(k) else "num") for k in cell_keys()]


def format_for(dest: str | Path, fmt: str | None = None) -> str:
    """The export format for an output file: ``fmt`` when given, else the file's suffix. A
    format that contradicts a known suffix (``--format xlsx -o out.csv``) is an error."""
    suffix = Path(dest).suffix.lower()
    by_suffix = SUFFIXES.get(suffix)
    if fmt is None:
        if by_suffix is None:
            raise ValueError(f"无法从文件名 {Path(dest).name} 判断导出格式：请用 --format 指定（{'、'.join(FORMATS)}）")
        return by_suffix
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt}（可选 {'、'.join(FORMATS)}）")
    if by_suffix is not None and by_suffix != fmt:
        raise ValueError(f"导出格式 {fmt} 与输出文件的后缀 {suffix} 不符：请把文件名改为 .{fmt} 结尾，或改用 --format {by_suffix}")
    return fmt


def neutralise(v: Any) -> Any:
    """A text a spreadsheet would take for a formula, made plain text (CSV: a leading ')."""
    if isinstance(v, str) and v.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(v):
        return "'" + v
    return v


def _human(columns: list[tuple[str, str, str]]) -> list[int]:
    """Indexes of the columns the spreadsheet formats show in Chinese (the body type)."""
    return [i for i, (name, _, _) in enumerate(columns) if name == "body_type"]


def _latest(latest_only: bool) -> Any:
    return reports.c.is_latest.is_(True) if latest_only else sa.true()


def wide_rows(engine: Engine, latest_only: bool = True) -> Iterator[list[Any]]:
    """One row per report: its metadata, then its ``cell_values`` spread over the key columns."""
    keys = cell_keys()
    index = {k: i for i, k in enumerate(keys)}
    rc = report_cells.c
    meta_cols = [reports.c[name] for name, _, _ in META]
    q = (
        sa.select(*meta_cols, sa.cast(rc.cell_values, sa.Text))
        .select_from(reports.outerjoin(report_cells, rc.report_id == reports.c.id))
        .where(_latest(latest_only))
        .order_by(reports.c.id)
    )
    with engine.connect() as conn:
        fixes = corrected_values(conn)
        for *meta, text in conn.execution_options(stream_results=True, yield_per=CHUNK).execute(q):
            values: list[Any] = [ABSENT] * len(keys)
            for key, value in (load_values(text) if text else {}).items():
                i = index.get(key)
                if i is not None:
                    values[i] = value
            fixed = fixes.get(meta[0], {})
            for key, (value, _conflict) in fixed.items():
                i = index.get(key)
                if i is not None:
                    values[i] = value
            review = [",".join(sorted(fixed)) or None, ",".join(sorted(k for k, (_, c) in fixed.items() if c)) or None]
            yield [*meta, *review, *values]


def long_rows(engine: Engine, latest_only: bool = True) -> Iterator[list[Any]]:
    """One row per cell, by report id and key."""
    rc, r = report_cells.c, reports.c
    q = (
        sa.select(r.id, r.issuing_body, r.year, sa.cast(rc.cell_values, sa.Text), sa.cast(rc.cell_details, sa.Text))
        .select_from(report_cells.join(reports, r.id == rc.report_id))
        .where(_latest(latest_only))
        .order_by(r.id)
    )
    labels: dict[str, str] = {}
    with engine.connect() as conn:
        fixes = corrected_values(conn)
        for rid, body, year, values_text, details_text in conn.execution_options(
            stream_results=True, yield_per=CHUNK // 50
        ).execute(q):
            values, details = load_values(values_text), json.loads(details_text)
            fixed = fixes.get(rid, {})
            for key, (value, _conflict) in fixed.items():
                values[key] = value
            for key in sorted(values):
                label = labels.get(key)
                if label is None:
                    label = labels[key] = cell_label(key)
                d = details.get(key, {})
                prov = d.get("provenance")
                yield [
                    rid,
                    body,
                    year,
                    key,
                    label,
                    values[key],
                    d.get("status"),
                    d.get("raw"),
                    d.get("unit"),
                    json.dumps(prov, ensure_ascii=False) if prov else None,
                    ("conflict" if fixed[key][1] else "corrected") if key in fixed else None,
                ]


def export(engine: Engine, fmt: str, dest: Path, form: str = "wide", latest_only: bool = True) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt}（可选 {'、'.join(FORMATS)}）")
    if form not in ("wide", "long"):
        raise ValueError(f"不支持的表形式：{form}（可选 wide、long）")
    columns = wide_columns() if form == "wide" else list(LONG)
    rows = wide_rows(engine, latest_only) if form == "wide" else long_rows(engine, latest_only)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name and rename at the end: an interrupted export never leaves
    # a truncated file that looks complete.
    tmp = dest.with_name(dest.name + ".partial")
    n = {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet, "json": _json}[fmt](rows, columns, tmp, form)
    tmp.replace(dest)
    return n


def _plain(v: Any) -> Any:
    if v is ABSENT:
        return None
    return json_number(v) if isinstance(v, Decimal) else v


def _csv(rows: Iterator[list[Any]], columns: list[tuple[str, str, str]], dest: Path, form: str) -> int:
    n = 0
    human = _human(columns)
    # UTF-8 with BOM: Excel opens it as UTF-8 instead of the system code page.
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([label for _, label, _ in columns])
        for row in rows:
            for i in human:
                row[i] = BODY_TYPES.get(row[i], row[i])
            w.writerow(["" if v is None or v is ABSENT else neutralise(_plain(v)) for v in row])
            n += 1
    return n


# Column widths of the XLSX sheets, in characters: metadata by kind, cells narrow (their
# long Chinese headers wrap in a taller header row).
XLSX_WIDTHS = {"issuing_body": 32, "normalized_body": 32, "path": 48, "provenance": 40, "raw": 12, "label": 40, "key": 30}
XLSX_NUMBER_WIDTH = 12
XLSX_TEXT_WIDTH = 14


def _xlsx_width(name: str, label: str, kind: str) -> float:
    if name in XLSX_WIDTHS:
        return XLSX_WIDTHS[name]
    if name in {n for n, _, _ in META} or kind == "str":
        return max(XLSX_TEXT_WIDTH, min(2 * len(label) + 2, 24))
    return XLSX_NUMBER_WIDTH


def _xlsx(rows: Iterator[list[Any]], columns: list[tuple[str, str, str]], dest: Path, form: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)  # rows go straight to the zip stream: flat memory
    title = "报告" if form == "wide" else "单元格"
    human = _human(columns)
    last_col = get_column_letter(len(columns))
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def new_sheet(name: str):  # type: ignore[no-untyped-def]
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"  # the header stays in view
        for i, (col, label, kind) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _xlsx_width(col, label, kind)
        header = []
        for _, label, _ in columns:
            c = WriteOnlyCell(ws, value=label)
            c.font, c.alignment = bold, wrapped
            header.append(c)
        ws.append(header)
        return ws

    def close(ws, in_sheet: int) -> None:  # type: ignore[no-untyped-def]
        ws.auto_filter.ref = f"A1:{last_col}{max(in_sheet, 1)}"

    ws, in_sheet, sheets, n = new_sheet(title), 1, 1, 0
    for row in rows:
        if in_sheet >= XLSX_MAX_ROWS:
            close(ws, in_sheet)
            sheets += 1
            ws, in_sheet = new_sheet(f"{title}{sheets}"), 1
        for i in human:
            row[i] = BODY_TYPES.get(row[i], row[i])
        ws.append([_xlsx_value(ws, v, WriteOnlyCell) for v in row])
        in_sheet += 1
        n += 1
    close(ws, in_sheet)
    wb.save(dest)
    return n


def _xlsx_value(ws: Any, v: Any, cell: Any) -> Any:
    if v is ABSENT:
        return None
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, str) and v.startswith(FORMULA_START):
        c = cell(ws, value=v)
        c.data_type = "s"  # the text itself, never a formula
        return c
    return v


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "int": pa.int64(), "num": pa.float64()}[kind]


def parquet_schema(columns: list[tuple[str, str, str]]) -> Any:
    """ASCII column names (metadata names, cell keys), each field's Chinese label in its
    metadata (``label``), and all the labels as JSON in the schema's ``gongkai.labels``."""
    import pyarrow as pa

    fields = [pa.field(name, _arrow_type(kind), metadata={"label": label}) for name, label, kind in columns]
    labels = json.dumps({name: label for name, label, _ in columns}, ensure_ascii=False)
    return pa.schema(fields, metadata={"gongkai.labels": labels})


def _int(v: Any) -> int | None:
    if v is None or v is ABSENT:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    d = Decimal(str(v))
    if d != d.to_integral_value():  # a count with decimals: not a count (kept exact in JSON/CSV)
        return None
    return int(d)


def _parquet(rows: Iterator[list[Any]], columns: list[tuple[str, str, str]], dest: Path, form: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Counts are nullable int64 (blank and absent are null), money float64.
    schema = parquet_schema(columns)
    n = 0
    with pq.ParquetWriter(dest, schema, compression="zstd") as writer:
        while True:
            chunk = [next(rows, None) for _ in range(CHUNK)]
            chunk = [r for r in chunk if r is not None]
            if not chunk:
                break
            arrays = []
            for i, (_, _, kind) in enumerate(columns):
                col = [r[i] for r in chunk]
                if kind == "num":
                    col = [None if v is None or v is ABSENT else float(v) for v in col]
                elif kind == "int":
                    col = [_int(v) for v in col]
                arrays.append(pa.array(col, type=_arrow_type(kind)))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(chunk)
    return n


def _json(rows: Iterator[list[Any]], columns: list[tuple[str, str, str]], dest: Path, form: str) -> int:
    n = 0
    names = [name for name, _, _ in columns]
    meta = len(META) + len(REVIEW)
    with open(dest, "w", encoding="utf-8") as fh:
        for row in rows:
            if form == "wide":
                # The interchange shape of cells.md: metadata plus a "cells" object of the
                # keys the report has (absent keys stay absent, blanks are null).
                obj: dict[str, Any] = {name: _plain(v) for name, v in zip(names[:meta], row[:meta], strict=True)}
                for name in ("corrected", "correction_conflicts"):
                    obj[name] = obj[name].split(",") if obj[name] else []
                obj["report_year"] = obj.get("year")
                obj["cells"] = {k: _plain(v) for k, v in zip(names[meta:], row[meta:], strict=True) if v is not ABSENT}
            else:
                obj = {name: _plain(v) for name, v in zip(names, row, strict=True)}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n
