"""Reading and writing the ledgers of ``../shared/spec/ledger.md``.

``read_ledger`` turns a CSV (UTF-8 with or without BOM, or GB18030) or an XLSX workbook
into records, all or nothing: a file with any bad row raises ``LedgerError`` naming every
bad row (row number, column, value, what is wrong) in Chinese. ``template_xlsx`` writes the
blank workbook with the allowed values as drop-downs, ``export_xlsx`` the records back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..domain.labels import T3_COLUMNS, T3_OUTCOME_ROWS_2021, T3_ROW_BY_KEY
from ..domain.ledger import (
    APPLICANT_TYPES,
    COUNT_ITEM_LABEL,
    COUNT_ITEMS,
    DOCUMENT_KIND_LABEL,
    DOCUMENT_KINDS,
    LEDGER_BY_KIND,
    LEDGERS,
    MAX_EXTENSION,
    OUTCOME_GROUPS,
    OUTCOME_SHORT,
    PERSONAL_FIELDS,
    REMEDY_KIND_LABEL,
    REMEDY_KINDS,
    REMEDY_RESULT_LABEL,
    REMEDY_RESULTS,
    WITHDRAWN_WORDS,
    Column,
    Ledger,
    outcome_label,
)
from ..errors import GongkaiError, MissingDependency
from .records import Application, Count, Document, Remedy

Date = dt.date
MAX_PROBLEMS_SHOWN = 200


class LedgerError(GongkaiError):
    """A ledger file that cannot be imported; ``problems`` names every bad row."""

    code = "ledger"

    def __init__(self, message: str, path: str | None = None, problems: Sequence[Problem] = ()) -> None:
        self.problems = list(problems)
        if self.problems:
            shown = "\n".join(p.text() for p in self.problems[:MAX_PROBLEMS_SHOWN])
            more = f"\n…另有 {len(self.problems) - MAX_PROBLEMS_SHOWN} 处" if len(self.problems) > MAX_PROBLEMS_SHOWN else ""
            message = f"{message}\n{shown}{more}"
        super().__init__(message, path)


@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str
    row: int  # the row number as the spreadsheet shows it (header = its own row)
    column: str
    value: str
    what: str

    def text(self) -> str:
        where = f"「{self.sheet}」第 {self.row} 行" + (f"「{self.column}」列" if self.column else "")
        val = f"（值：{self.value}）" if self.value else ""
        return f"{where}{val}：{self.what}"


@dataclass(slots=True)
class LedgerFile:
    path: str
    records: dict[str, list[Any]] = field(default_factory=dict)  # kind -> records in file order

    def count(self) -> int:
        return sum(len(v) for v in self.records.values())


# ---------------------------------------------------------------- headers
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", str(s))
    return re.sub(r"\s+", "", s).replace("(", "（").replace(")", "）")


def _header_map(ledger: Ledger) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for c in ledger.columns:
        for name in (c.label, *c.aliases):
            out[_norm(name)] = c
    return out


_HEADERS = {x.kind: _header_map(x) for x in LEDGERS}
_SHEETS = {_norm(x.sheet): x.kind for x in LEDGERS} | {_norm(x.title): x.kind for x in LEDGERS}


def recognise(header: Sequence[str], sheet: str | None = None) -> str | None:
    """The ledger kind of a sheet, by its name or, failing that, by its header row."""
    if sheet is not None and _norm(sheet) in _SHEETS:
        return _SHEETS[_norm(sheet)]
    names = {_norm(h) for h in header if h is not None and str(h).strip()}
    best, score = None, 0
    for x in LEDGERS:
        required = [c for c in x.columns if c.required]
        hits = sum(1 for c in required if any(_norm(n) in names for n in (c.label, *c.aliases)))
        if hits == len(required) and hits > score:
            best, score = x.kind, hits
    return best


# ---------------------------------------------------------------- values
_DATE = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)


def parse_date(v: Any) -> Date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, Date):
        return v
    s = _norm(v)
    s = re.sub(r"(?<=\d)(T|\s)?00:00(:00)?$", "", s)
    for p in _DATE:
        m = p.fullmatch(s)
        if m:
            return Date(int(m[1]), int(m[2]), int(m[3]))  # ValueError on 2023-02-30
    raise ValueError(s)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, Date):
        return v.isoformat()
    return str(v).strip()


def outcome_key(text: str) -> str | None:
    """A table-3 outcome row for a register's 办理结果 (official label, group/label or short form)."""
    s = _norm(text).lstrip("0123456789.、")
    if not s:
        return None
    if s in OUTCOME_SHORT:
        return OUTCOME_SHORT[s]
    written = {_norm(outcome_label(k)): k for k in T3_OUTCOME_ROWS_2021}
    if s in written:
        return written[s]
    # "不予公开/1.属于国家秘密", "（三）不予公开-属于国家秘密", the bare official label
    parts = [p for p in re.split(r"[/／\-—]", s) if p]
    tail = re.sub(r"^[（(]?[一二三四五六七八九]+[)）]|^\d+[.、]", "", parts[-1])
    group = re.sub(r"^[（(]?[一二三四五六七八九]+[)）]", "", parts[0]) if len(parts) > 1 else None
    for k in T3_OUTCOME_ROWS_2021:
        label = _norm(T3_ROW_BY_KEY[k].label)
        label = re.sub(r"^[（(]?[一二三四五六七八九]+[)）]|^\d+[.、]", "", label)
        if group and "." in k and OUTCOME_GROUPS[k.split(".")[0]] != group:
            continue
        if tail == label or (len(tail) >= 4 and label.startswith(tail)):
            return k
    return None


# ---------------------------------------------------------------- rows -> records
def _cell(row: dict[str, Any], col: Column) -> Any:
    v = row.get(col.key)
    if isinstance(v, str):
        v = v.strip()
    return None if v in (None, "") else v


@dataclass(slots=True)
class _RowProblems:
    """The problems of one ledger row, added to the import's list as they are found."""

    sheet: str
    n: int
    out: list[Problem]
    found: bool = False

    def add(self, col: Column | None, value: Any, what: str) -> None:
        self.found = True
        self.out.append(Problem(self.sheet, self.n, col.label if col else "", _text(value), what))


_NOT_A = {"date": "不是有效日期（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日）", "int": "不是整数", "number": "不是数字"}


def _convert(kind: str, row: dict[str, Any], extra: dict[str, str], sheet: str, n: int, problems: list[Problem]) -> Any:
    """One ledger row -> its record, or None with its problems added to ``problems``: each
    column's value by its kind, then the checks and the record of the ledger's kind."""
    ledger = LEDGER_BY_KIND[kind]
    found = _RowProblems(sheet, n, problems)
    vals = _column_values(ledger, row, found)
    cols = {c.key: c for c in ledger.columns}
    return _RECORD_OF_KIND[kind](vals, cols, extra, found)


def _column_values(ledger: Ledger, row: dict[str, Any], found: _RowProblems) -> dict[str, Any]:
    """Each column's cell as its kind's value (a date, an integer, a number, text); None for
    an empty cell or one that is not of its kind (a problem, as is an empty required cell)."""
    vals: dict[str, Any] = {}
    for col in ledger.columns:
        v = _cell(row, col)
        if v is None:
            if col.required:
                found.add(col, "", "必填项为空")
            vals[col.key] = None
            continue
        try:
            vals[col.key] = _column_value(col, v)
        except (ValueError, InvalidOperation, ArithmeticError):
            found.add(col, v, _NOT_A.get(col.kind, "无法识别"))
            vals[col.key] = None
    return vals


def _column_value(col: Column, v: Any) -> Any:
    """A non-empty cell as its column's kind; raises ValueError/ArithmeticError if it is not."""
    if col.kind == "date":
        return parse_date(v)
    if col.kind == "int":
        f = Decimal(_text(v))
        if f != f.to_integral_value():
            raise ValueError
        return int(f)
    if col.kind == "number":
        d = Decimal(_text(v).replace(",", ""))
        if not d.is_finite():
            raise InvalidOperation
        return int(d) if d == d.to_integral_value() else d.normalize()
    return _text(v)


# dates of an application that cannot come before another: (earlier, later, the problem)
_CASE_DATE_ORDER = (
    ("received", "correction_requested", "补正告知日期早于收到日期"),
    ("correction_requested", "correction_received", "补正收到日期早于补正告知日期"),
    ("consult_start", "consult_end", "征求意见结束日期早于开始日期"),
    ("fee_notice", "fee_paid", "缴费日期早于收费通知日期"),
    ("received", "answered", "答复日期早于收到日期"),
    ("received", "consult_start", "征求意见开始日期早于收到日期"),
    ("received", "fee_notice", "收费通知日期早于收到日期"),
    ("correction_received", "answered", "答复日期早于补正收到日期"),
)
# a date of an application that needs another: (given, needed)
_CASE_DATE_PAIRS = (("correction_received", "correction_requested"), ("consult_end", "consult_start"), ("fee_paid", "fee_notice"))


def _application(vals: dict[str, Any], cols: dict[str, Column], extra: dict[str, str], found: _RowProblems) -> Application | None:
    """A row of the cases ledger: its allowed values, outcome and dates checked."""
    t = vals["applicant_type"]
    if t is not None and _norm(t) not in APPLICANT_TYPES:
        found.add(cols["applicant_type"], t, "申请人类型应为：" + " / ".join(APPLICANT_TYPES))
    outcome, withdrawn = None, False
    if vals["outcome"] is not None:
        outcome = outcome_key(vals["outcome"])
        withdrawn = _norm(vals["outcome"]) in WITHDRAWN_WORDS
        if outcome is None:
            found.add(cols["outcome"], vals["outcome"], "不是表三的办理结果（如 予以公开、部分公开、不予公开/属于国家秘密、无法提供/本机关不掌握相关政府信息）")
    if vals["answered"] is not None and vals["outcome"] is None:
        found.add(cols["outcome"], "", "有答复日期的申请必须填写办理结果")
    if vals["answered"] is None and vals["outcome"] is not None:
        found.add(cols["answered"], "", "填写了办理结果但没有答复日期")
    if vals["channel"] is not None and _norm(vals["channel"]) not in {_norm(c) for c in cols["channel"].choices}:
        found.add(cols["channel"], vals["channel"], "申请方式应为：" + " / ".join(cols["channel"].choices))
    ext = vals["extension_days"]
    if ext is not None and not 0 <= ext <= MAX_EXTENSION:
        found.add(cols["extension_days"], ext, f"延期最多 {MAX_EXTENSION} 个工作日")
    for a, b, what in _CASE_DATE_ORDER:
        if vals[a] is not None and vals[b] is not None and vals[b] < vals[a]:
            found.add(cols[b], vals[b], what)
    for a, b in _CASE_DATE_PAIRS:
        if vals[a] is not None and vals[b] is None:
            found.add(cols[b], "", f"填写了「{cols[a].label}」但没有「{cols[b].label}」")
    if found.found:
        return None
    return Application(
        vals["number"], vals["received"], APPLICANT_TYPES[_norm(vals["applicant_type"])],
        _norm(vals["channel"]) if vals["channel"] else None, vals["applicant"], vals["contact"], vals["content"],
        vals["correction_requested"], vals["correction_received"], vals["consult_start"], vals["consult_end"],
        vals["fee_notice"], vals["fee_paid"], vals["extension_days"], vals["answered"], outcome, vals["handler"],
        withdrawn, extra,
    )  # fmt: skip


def _remedy(vals: dict[str, Any], cols: dict[str, Column], extra: dict[str, str], found: _RowProblems) -> Remedy | None:
    """A row of the remedies ledger: its kind, result and dates checked."""
    k = vals["kind"]
    if k is not None and _norm(k) not in REMEDY_KINDS:
        found.add(cols["kind"], k, "类型应为：行政复议 / 直接起诉 / 复议后起诉")
    r = vals["result"]
    if r is not None and _norm(r) not in REMEDY_RESULTS:
        found.add(cols["result"], r, "结果应为：结果维持 / 结果纠正 / 其他结果（尚未审结的留空）")
    if r is not None and vals["concluded"] is None:
        found.add(cols["concluded"], "", "有结果的案件必须填写结案日期")
    if r is None and vals["concluded"] is not None:
        found.add(cols["result"], "", "填写了结案日期但没有结果")
    if vals["concluded"] is not None and vals["received"] is not None and vals["concluded"] < vals["received"]:
        found.add(cols["concluded"], vals["concluded"], "结案日期早于收到日期")
    if found.found:
        return None
    return Remedy(vals["number"], REMEDY_KINDS[_norm(k)], vals["received"], vals["application"],
                  REMEDY_RESULTS[_norm(r)] if r else None, vals["concluded"], extra)  # fmt: skip


def _document(vals: dict[str, Any], cols: dict[str, Column], extra: dict[str, str], found: _RowProblems) -> Document | None:
    """A row of the documents ledger: its kind and dates checked."""
    k = vals["kind"]
    if k is not None and _norm(k) not in DOCUMENT_KINDS:
        found.add(cols["kind"], k, "类型应为：规章 / 行政规范性文件")
    if vals["repealed"] is not None and vals["issued"] is not None and vals["repealed"] < vals["issued"]:
        found.add(cols["repealed"], vals["repealed"], "废止日期早于印发日期")
    if found.found:
        return None
    return Document(vals["number"], DOCUMENT_KINDS[_norm(k)], vals["issued"], vals["title"], vals["repealed"], extra)


def _count(vals: dict[str, Any], cols: dict[str, Column], extra: dict[str, str], found: _RowProblems) -> Count | None:
    """A row of the counts ledger: its item, year and value checked (an amount may be a
    decimal, every other count is an integer)."""
    item = vals["item"]
    if item is not None and _norm(item) not in {_norm(x) for x in COUNT_ITEMS}:
        found.add(cols["item"], item, "事项应为：" + " / ".join(COUNT_ITEM_LABEL.values()))
    y = vals["year"]
    if y is not None and not 1990 <= y <= 2100:
        found.add(cols["year"], y, "年度不合理")
    v = vals["value"]
    if v is not None and v < 0:
        found.add(cols["value"], v, "不能为负数")
    if found.found:
        return None
    key = next(v for k, v in COUNT_ITEMS.items() if _norm(k) == _norm(item))
    if key != "t2.fees.amount" and not isinstance(v, int):
        found.add(cols["value"], v, "决定数量应为整数")
        return None
    return Count(y, key, v)


_RECORD_OF_KIND = {"cases": _application, "remedies": _remedy, "documents": _document, "counts": _count}


def _rows_to_records(kind: str, header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]], sheet: str,
                     problems: list[Problem]) -> list[Any]:  # fmt: skip
    hmap = _HEADERS[kind]
    ledger = LEDGER_BY_KIND[kind]
    cols: list[tuple[int, Column | None, str]] = []
    seen: set[str] = set()
    for i, h in enumerate(header):
        name = _text(h)
        if not name:
            continue
        col = hmap.get(_norm(name))
        if col is not None:
            if col.key in seen:
                problems.append(Problem(sheet, 1, name, "", "列重复"))
                continue
            seen.add(col.key)
        cols.append((i, col, name))
    missing = [c.label for c in ledger.columns if c.required and c.key not in seen]
    if missing:
        problems.append(Problem(sheet, 1, "", "", "缺少必填列：" + "、".join(missing)))
        return []
    out, keys = [], {}
    for n, values in rows:
        if all(_text(v) == "" for v in values):
            continue
        row: dict[str, Any] = {}
        extra: dict[str, str] = {}
        for i, col, name in cols:
            v = values[i] if i < len(values) else None
            if col is None:
                if _text(v):
                    extra[name] = _text(v)
            else:
                row[col.key] = v
        before = len(problems)
        rec = _convert(kind, row, extra, sheet, n, problems)
        if rec is None:
            continue
        key = "/".join(str(getattr(rec, k)) for k in ledger.key)
        if key in keys:
            label = "、".join(c.label for c in ledger.columns if c.key in ledger.key)
            problems.append(Problem(sheet, n, label, key, f"与第 {keys[key]} 行重复"))
            continue
        if len(problems) == before:
            keys[key] = n
            out.append(rec)
    return out


# ---------------------------------------------------------------- files
def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LedgerError("无法识别文件编码：台账 CSV 应为 UTF-8（可带 BOM）或 GB18030", path)


def read_ledger(path: str | Path, kind: str | None = None, data: bytes | None = None, xlsx_reader: str | None = None) -> LedgerFile:
    """Every record of a ledger file; ``LedgerError`` naming every bad row otherwise.
    ``xlsx_reader``: "calamine" or "openpyxl" (default: the first one installed)."""
    p = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise LedgerError(f"无法读取文件：{e.strerror or e}", p) from None
    if kind is not None and kind not in LEDGER_BY_KIND:
        raise LedgerError(f"台账类型应为 {' / '.join(LEDGER_BY_KIND)}，不是 {kind!r}", p)
    problems: list[Problem] = []
    out = LedgerFile(p)
    if data[:4] == b"PK\x03\x04":
        sheets = _xlsx_sheets(data, p, xlsx_reader)
        for name, rows in sheets:
            if not rows:
                continue
            first = next((i for i, r in enumerate(rows) if any(_text(v) for v in r)), None)
            if first is None:
                continue
            header = rows[first]
            k = recognise(header, name) if kind is None or len(sheets) > 1 else kind
            if k is None:
                continue  # a notes sheet
            if kind is not None and k != kind:
                continue
            recs = _rows_to_records(k, header, ((first + 2 + i, r) for i, r in enumerate(rows[first + 1 :])), name, problems)
            out.records.setdefault(k, []).extend(recs)
        if not out.records and not problems:
            raise LedgerError("工作簿中没有可识别的台账工作表（应为 依申请公开、复议诉讼、文件、年度数量 之一）", p)
    else:
        if b"\x00" in data[:4096]:
            raise LedgerError("不是 CSV 或 XLSX 台账文件", p)
        text = _decode(data, p)
        rows = list(csv.reader(io.StringIO(text)))
        first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
        if first is None:
            raise LedgerError("文件是空的", p)
        header = rows[first]
        k = kind or recognise(header)
        if k is None:
            raise LedgerError("无法从表头识别台账类型（可用 --kind cases/remedies/documents/counts 指定）：" + "、".join(header), p)
        sheet = Path(p).name
        recs = _rows_to_records(k, header, ((first + 2 + i, r) for i, r in enumerate(rows[first + 1 :])), sheet, problems)
        out.records[k] = recs
    if problems:
        raise LedgerError(f"台账有 {len(problems)} 处错误，未导入任何记录：", p, problems)
    return out


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependency("读写 XLSX 台账需要 openpyxl：pip install 'gongkai[agency]'") from None
    return openpyxl


XLSX_READERS = ("calamine", "openpyxl")


def _xlsx_sheets(data: bytes, path: str, reader: str | None = None) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet's rows as tuples of cell values. python-calamine (Rust, ~14x faster) when it
    is installed, openpyxl otherwise; both give what ``_convert`` reads alike (an empty cell is
    None or "", a number an int or a float, a date cell a date or datetime)."""
    if reader in (None, "calamine"):
        try:
            from python_calamine import CalamineWorkbook
        except ImportError:
            if reader == "calamine":
                raise MissingDependency("未安装 python-calamine：pip install 'gongkai[agency]'") from None
        else:
            try:
                wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
                return [(name, [tuple(r) for r in wb.get_sheet_by_name(name).to_python()]) for name in wb.sheet_names]
            except Exception as e:  # calamine raises its own kinds on a damaged file
                raise LedgerError(f"无法打开 XLSX 工作簿（文件损坏或不是 Excel 文件）：{type(e).__name__}", path) from None
    openpyxl = _openpyxl()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise LedgerError(f"无法打开 XLSX 工作簿（文件损坏或不是 Excel 文件）：{type(e).__name__}", path) from None
    try:
        return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


# ---------------------------------------------------------------- writing
def _value_for(kind: str, col: Column, rec: Any) -> Any:
    v = getattr(rec, col.key, None)
    if v is None:
        return None
    if kind == "cases" and col.key == "applicant_type":
        return next(c.label for c in T3_COLUMNS if c.key == v)
    if kind == "cases" and col.key == "outcome":
        return "撤回" if getattr(rec, "withdrawn", False) else outcome_label(v)
    if kind == "remedies" and col.key == "kind":
        return REMEDY_KIND_LABEL[v]
    if kind == "remedies" and col.key == "result":
        return REMEDY_RESULT_LABEL[v]
    if kind == "documents" and col.key == "kind":
        return DOCUMENT_KIND_LABEL[v]
    if kind == "counts" and col.key == "item":
        return COUNT_ITEM_LABEL[v]
    if isinstance(v, Date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    return v


def _workbook(records: dict[str, list[Any]] | None, personal: bool) -> bytes:
    openpyxl = _openpyxl()
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for x in LEDGERS:
        ws = wb.create_sheet(x.sheet)
        cols = [c for c in x.columns if personal or not c.personal]
        recs = (records or {}).get(x.kind, [])
        extras = sorted({k for r in recs for k in getattr(r, "extra", {})})
        ws.append([c.label for c in cols] + extras)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, c in enumerate(cols, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            ws.column_dimensions[letter].width = max(12, 2 * len(c.label) + 2)
            if c.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(c.choices) + '"', allow_blank=not c.required)
                dv.error = "请从下拉列表中选择"
                dv.prompt = "可选值：" + "、".join(c.choices)
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
            elif c.kind == "date":
                dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(1990,1,1)", allow_blank=True)
                dv.prompt = "日期，如 2024-03-01"
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
        for r in recs:
            ws.append([_value_for(x.kind, c, r) for c in cols] + [r.extra.get(k) for k in extras])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_xlsx() -> bytes:
    """The blank workbook: the four sheets with their headers and drop-downs."""
    return _workbook(None, personal=True)


def export_xlsx(records: dict[str, list[Any]], personal: bool = False) -> bytes:
    """The records as the same workbook (personal data only when ``personal``)."""
    return _workbook(records, personal)


def export_csv(kind: str, records: Sequence[Any], personal: bool = False) -> bytes:
    """One ledger as CSV (UTF-8 with BOM, which Excel opens as such), the import's format."""
    ledger = LEDGER_BY_KIND[kind]
    cols = [c for c in ledger.columns if personal or not c.personal]
    extras = sorted({k for r in records for k in getattr(r, "extra", {})})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.label for c in cols] + extras)
    for r in records:
        w.writerow([_text(_value_for(kind, c, r)) for c in cols] + [r.extra.get(k, "") for k in extras])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def personal_columns() -> frozenset[str]:
    return PERSONAL_FIELDS
