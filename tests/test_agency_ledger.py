"""Ledger import and export (ledger.md): encodings, all-or-nothing with every bad row named,
idempotence, update by 编号 with the change logged, template drop-downs, personal data."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import openpyxl
import pytest

from gongkai.agency.db import Workbench, without_personal
from gongkai.agency.ledger import XLSX_READERS, LedgerError, export_xlsx, outcome_key, read_ledger, recognise, template_xlsx
from gongkai.domain.labels import T3_OUTCOME_ROWS_2021
from gongkai.domain.ledger import outcome_label
from gongkai.testing.ledgers import random_records

D = dt.date
CASES_CSV = """编号,收到日期,申请方式,申请人类型,申请人,申请内容,补正告知日期,补正收到日期,答复日期,办理结果,备注
2024-001,2024-02-01,网络,自然人,张三,预算,,,2024-02-20,予以公开,加急
2024-002,2024/3/5,信函,商业企业,某公司,规划,2024-03-06,2024-03-10,2024-04-01,不予公开/属于国家秘密,
2024-003,2024年12月30日,当面,科研机构,李四,数据,,,,,
2024-004,2024-06-01,网络,法律服务机构,王律师,案卷,,,2024-06-10,撤回,
"""


def test_outcome_forms() -> None:
    for k in T3_OUTCOME_ROWS_2021:
        assert outcome_key(outcome_label(k)) == k
    assert outcome_key("（三）不予公开/1.属于国家秘密") == "withheld.state_secret"
    assert outcome_key("不掌握") == "unavailable.not_held"
    assert outcome_key("逾期不补正") == "other.no_correction"
    assert outcome_key("部分公开（区分处理的，只计这一情形，不计其他情形）") == "partially_disclosed"
    assert outcome_key("随便写写") is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "台账.csv"
    p.write_bytes(CASES_CSV.encode(encoding))
    f = read_ledger(p)
    apps = f.records["cases"]
    assert [a.number for a in apps] == ["2024-001", "2024-002", "2024-003", "2024-004"]
    assert apps[1].received == D(2024, 3, 5) and apps[2].received == D(2024, 12, 30)
    assert apps[1].outcome == "withheld.state_secret" and apps[1].applicant_type == "commercial"
    assert apps[0].extra == {"备注": "加急"}
    assert apps[3].withdrawn and apps[3].outcome == "other.other"


def test_every_bad_row_is_named_and_nothing_imports(tmp_path: Path) -> None:
    bad = CASES_CSV + "2024-005,2024-02-30,网络,自然人,,,,,,,\n2024-006,2024-01-01,网络,外星人,,,,,2024-01-05,,\n2024-001,2024-01-01,网络,自然人,,,,,,,\n"
    p = tmp_path / "bad.csv"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(LedgerError) as e:
        read_ledger(p)
    msg = str(e.value)
    assert "bad.csv" in msg and "未导入任何记录" in msg
    assert "第 6 行「收到日期」列（值：2024-02-30）：不是有效日期" in msg
    assert "第 7 行「申请人类型」列（值：外星人）" in msg
    assert "第 7 行「办理结果」列：有答复日期的申请必须填写办理结果" in msg
    assert "第 8 行「编号」列（值：2024-001）：与第 2 行重复" in msg
    assert len(e.value.problems) == 4


def test_missing_column_and_unknown_file(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("编号,申请人类型\n1,自然人\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="无法从表头识别"):
        read_ledger(p)
    with pytest.raises(LedgerError, match="缺少必填列：收到日期"):
        read_ledger(p, "cases")
    p.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(LedgerError, match="无法打开 XLSX"):
        read_ledger(p)
    p.write_bytes(b"")
    with pytest.raises(LedgerError, match="空"):
        read_ledger(p)


def test_template_has_four_sheets_with_dropdowns() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == ["依申请公开", "复议诉讼", "文件", "年度数量"]
    ws = wb["依申请公开"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["编号", "收到日期", "申请方式", "申请人类型"]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("自然人" in f and "商业企业" in f for f in lists)
    assert any("予以公开" in f and "不予公开/属于国家秘密" in f for f in lists)
    assert recognise(header) == "cases"


@pytest.mark.parametrize("reader", XLSX_READERS)
def test_both_xlsx_readers_read_the_same_records(tmp_path: Path, reader: str) -> None:
    pytest.importorskip("python_calamine" if reader == "calamine" else "openpyxl")
    recs = random_records(random.Random(7), (2024,), 80)
    p = tmp_path / "台账.xlsx"
    p.write_bytes(export_xlsx(recs, personal=True))
    f = read_ledger(p, xlsx_reader=reader)
    assert f.records == recs
    # an Excel date cell, a number typed as a number, an empty cell
    wb = openpyxl.load_workbook(p)
    ws = wb["依申请公开"]
    ws["B2"] = dt.datetime(2024, 5, 6)
    ws["N2"] = 5
    ws["G2"] = None
    wb.save(p)
    first = read_ledger(p, xlsx_reader=reader).records["cases"][0]
    assert (first.received, first.extension_days, first.content) == (D(2024, 5, 6), 5, None)
    p.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(LedgerError, match="无法打开 XLSX"):
        read_ledger(p, xlsx_reader=reader)


def test_workbook_round_trip_and_import_is_idempotent(tmp_path: Path, store_url: str) -> None:
    recs = random_records(random.Random(3), (2023, 2024), 60)
    p = tmp_path / "台账.xlsx"
    p.write_bytes(export_xlsx(recs, personal=True))
    f = read_ledger(p)
    assert {k: len(v) for k, v in f.records.items()} == {k: len(v) for k, v in recs.items()}
    assert f.records["cases"] == recs["cases"]
    assert f.records["counts"] == recs["counts"]
    with Workbench(store_url) as wb:  # SQLite, and PostgreSQL where GONGKAI_TEST_PG_URL is set
        first = wb.import_ledger("某局", f, today=D(2025, 1, 1))
        assert first.inserted["cases"] == 120
        again = wb.import_ledger("某局", read_ledger(p), today=D(2025, 1, 1))
        assert again.inserted == {} and again.updated == {} and again.unchanged["cases"] == 120
        assert wb.load("某局", "cases") == recs["cases"]
        n_audit = len(wb.audit("某局", limit=10_000))
        # a changed row updates its record by 编号, logged with before and after
        changed = recs["cases"][0]
        changed.content = "改过的内容"
        p.write_bytes(export_xlsx(recs, personal=True))
        third = wb.import_ledger("某局", read_ledger(p), actor="王科员", today=D(2025, 1, 1))
        assert third.updated == {"cases": 1}
        log = wb.audit("某局", changed.number)
        assert log[0]["action"] == "update" and log[0]["actor"] == "王科员"
        assert log[0]["after"]["content"] == "改过的内容" and log[0]["before"]["content"] != "改过的内容"
        assert len(wb.audit("某局", limit=10_000)) == n_audit + 1
        # nothing is deleted: voiding keeps the record with its reason
        wb.void("某局", "cases", changed.number, "重复登记", actor="王科员")
        assert changed.number not in {a.number for a in wb.load("某局", "cases")}
        assert changed.number in {a.number for a in wb.load("某局", "cases", include_voided=True)}
        assert wb.audit("某局", changed.number)[0]["action"] == "void"


def test_exports_leave_personal_data_out_unless_asked() -> None:
    recs = random_records(random.Random(4), (2024,), 10)
    assert any(a.applicant for a in recs["cases"])
    plain = openpyxl.load_workbook(io.BytesIO(export_xlsx(without_personal(recs))))
    ws = plain["依申请公开"]
    header = [c.value for c in ws[1]]
    assert "申请人" not in header and "联系方式" not in header
    text = "".join(str(c.value) for row in ws.iter_rows() for c in row)
    for a in recs["cases"]:
        assert a.contact not in text
    full = openpyxl.load_workbook(io.BytesIO(export_xlsx(recs, personal=True)))
    assert "申请人" in [c.value for c in full["依申请公开"][1]]
