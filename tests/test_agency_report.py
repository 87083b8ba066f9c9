"""The report from the records (ledger.md): hand-worked cells on the fixture ledgers, the
CLI end to end, year-to-year checks, and the round trip through the renderer and parser."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai.agency.compute import compute
from gongkai.agency.ledger import read_ledger
from gongkai.agency.report import Records, make_report
from gongkai.api import parse, parse_bytes
from gongkai.cli import main
from gongkai.domain.labels import all_keys
from gongkai.domain.rules import identities, side_sum
from gongkai.render import render_docx, render_html
from gongkai.render.pdf import pdf_engine, render_pdf
from gongkai.testing.fixtures import random_body
from gongkai.testing.ledgers import random_records

FILES = Path(__file__).parent / "files" / "agency"
BODY = "某市某区教育局"
LEDGERS = ("依申请公开.csv", "复议诉讼.csv", "文件.csv", "年度数量.csv")

# worked by hand from the fixture ledgers (see the rows' dates and outcomes)
EXPECTED_2024 = {
    # every table-3 and table-4 cell not listed is 0
    "t3.received.natural_person": 7, "t3.received.commercial": 1, "t3.received.research": 1, "t3.received.nonprofit": 1,
    "t3.received.legal_service": 1, "t3.received.total": 11,
    "t3.carried_over.natural_person": 1, "t3.carried_over.commercial": 1, "t3.carried_over.total": 2,
    "t3.disclosed.natural_person": 1, "t3.disclosed.research": 1, "t3.disclosed.nonprofit": 1, "t3.disclosed.total": 3,
    "t3.partially_disclosed.natural_person": 1, "t3.partially_disclosed.total": 1,
    "t3.withheld.process_info.natural_person": 1, "t3.withheld.process_info.total": 1,
    "t3.withheld.enforcement_file.legal_service": 1, "t3.withheld.enforcement_file.total": 1,
    "t3.unavailable.not_held.natural_person": 1, "t3.unavailable.not_held.total": 1,
    "t3.not_processed.confirmation.natural_person": 1, "t3.not_processed.confirmation.total": 1,
    "t3.other.no_correction.natural_person": 1, "t3.other.no_correction.total": 1,
    "t3.other.other.natural_person": 1, "t3.other.other.total": 1,
    "t3.total_handled.natural_person": 7, "t3.total_handled.research": 1, "t3.total_handled.nonprofit": 1,
    "t3.total_handled.legal_service": 1, "t3.total_handled.total": 10,
    "t3.carried_forward.natural_person": 1, "t3.carried_forward.commercial": 2, "t3.carried_forward.total": 3,
    "t4.review.upheld": 1, "t4.review.pending": 1, "t4.review.total": 2, "t4.litigation_direct.pending": 1,
    "t4.litigation_direct.total": 1, "t4.litigation_after_review.corrected": 1, "t4.litigation_after_review.total": 1,
    "t2.regulations.issued": 0, "t2.regulations.repealed": 1, "t2.regulations.in_force": 0,
    "t2.normative_docs.issued": 2, "t2.normative_docs.repealed": 1, "t2.normative_docs.in_force": 3,
    "t2.licensing.decisions": 356, "t2.punishment.decisions": 42, "t2.enforcement.decisions": 3,
}  # fmt: skip
# answer due dates, worked by hand against the 2023–2025 arrangements
EXPECTED_DUE = {
    "2023-032": ("2024-01-26", True),  # 12/29, [12/30–1/1 元旦], 1/2–1/26; still open: overdue
    "2024-001": ("2024-03-05", False),  # across 春节 with the 2/4 and 2/18 调休 Sundays
    "2024-002": ("2024-03-18", False),  # from the 补正 received on 2/19
    "2024-003": ("2024-05-08", False),  # + 19 working days of consultation, across 清明 and 劳动节 (4/7, 4/28 调休)
    "2024-005": ("2024-06-25", False),  # across 端午 (6/10), + 5 working days awaiting the fee
    "2024-008": ("2024-11-13", False),  # across 国庆 (9/29, 10/12 调休), + 10 days of extension
    "2024-010": ("2025-01-14", False),  # across 元旦 2025
    "2024-011": ("2025-01-26", True),  # the 20th working day is the 调休 Sunday before 春节 2025; open: overdue
}


def _records() -> Records:
    recs: dict[str, list] = {}  # type: ignore[type-arg]
    for name in LEDGERS:
        for k, v in read_ledger(FILES / name).records.items():
            recs.setdefault(k, []).extend(v)
    return Records(recs["cases"], recs["remedies"], recs["documents"], recs["counts"])


def test_hand_worked_cells() -> None:
    r = _records()
    c = compute(2024, r.applications, r.remedies, r.documents, r.counts)
    for k, v in EXPECTED_2024.items():
        assert c.cells[k] == v, k
    assert str(c.cells["t2.fees.amount"]) == "12.35"
    # every cell of the format is there, every other table-3/4 cell is 0
    keys = set(all_keys("2021"))
    assert keys == set(c.cells)
    for k in keys - set(EXPECTED_2024) - {"t2.fees.amount"}:
        assert c.cells[k] == 0, k
    # the identities hold by construction
    for eq in identities("2021"):
        assert side_sum(c.cells, eq.lhs) == side_sum(c.cells, eq.rhs), eq.rule
    # a cell links to the records it counts
    assert sorted(c.members["t3.disclosed.total"]) == ["2023-031", "2024-005", "2024-008"]
    assert c.members["t3.other.other.natural_person"] == ["2024-009"]


def test_missing_counts_are_absent_not_zero() -> None:
    r = _records()
    c = compute(2023, r.applications, r.remedies, r.documents, r.counts)
    assert c.cells["t2.licensing.decisions"] == 300
    assert "t2.punishment.decisions" not in c.cells and "t2.punishment.decisions" in c.missing
    rep = make_report(BODY, 2023, r)
    assert {f.rule for f in rep.findings} >= {"COUNT_MISSING"}
    assert "t2.punishment.decisions" not in rep.report.cells


def test_2019_format_years() -> None:
    r = _records()
    rep = make_report(BODY, 2020, r)
    assert rep.computed.format == "2019"
    assert "t3.other.total" in rep.computed.cells and "t3.other.other.total" not in rep.computed.cells
    assert not any(k.startswith("t2.") for k in rep.computed.cells)
    assert "T2_2019_NOT_COMPUTED" in {f.rule for f in rep.findings}


def _cli(tmp_path: Path, *args: str) -> str:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_cli_end_to_end(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    for name in LEDGERS:
        out = _cli(tmp_path, "agency", "import", str(FILES / name), "--db", db, "--body", BODY)
        assert "新增" in out
    again = _cli(tmp_path, "agency", "import", str(FILES / LEDGERS[0]), "--db", db, "--body", BODY, "--json")
    assert json.loads(again)["inserted"] == {} and json.loads(again)["unchanged"] == {"cases": 13}
    rows = json.loads(_cli(tmp_path, "agency", "cases", "--db", db, "--body", BODY, "--format", "json", "--today", "2025-02-10"))
    by = {r["number"]: r for r in rows}
    for number, (due, overdue) in EXPECTED_DUE.items():
        assert (by[number]["due"], by[number]["overdue"]) == (due, overdue), number
        assert by[number]["provisional"] is False and by[number]["answered_late"] is False
    assert by["2024-007"]["state"] == "abandoned" and not by["2024-007"]["answered_late"]
    csv_out = _cli(tmp_path, "agency", "cases", "--db", db, "--body", BODY, "--format", "csv", "--only", "overdue", "--today", "2025-02-10")
    assert csv_out.splitlines()[0].startswith("number,state,") and len(csv_out.splitlines()) == 3
    rep = json.loads(_cli(tmp_path, "agency", "report", "--db", db, "--body", BODY, "--year", "2024", "--json"))
    assert (rep["issuing_body"], rep["report_year"], rep["format"]) == (BODY, 2024, "2021")
    for k, v in EXPECTED_2024.items():
        assert rep["cells"][k] == v, k
    assert rep["cells"]["t2.fees.amount"] == 12.35
    assert not [f for f in rep["findings"] if f["severity"] == "error"]
    assert rep["previous"] == "records"
    # rendered, the report parses back to exactly the computed cells
    for suffix in (".docx", ".html") + ((".pdf",) if pdf_engine() else ()):
        out = tmp_path / f"r{suffix}"
        _cli(tmp_path, "agency", "report", "--db", db, "--body", BODY, "--year", "2024", "-o", str(out))
        parsed = parse(out)
        assert parsed.values() == {k: rep["cells"][k] if k != "t2.fees.amount" else parsed.value(k) for k in all_keys("2021")}
        assert str(parsed.value("t2.fees.amount")) == "12.35"
        assert (parsed.issuing_body, parsed.report_year) == (BODY, 2024)
    # the template and the export (no personal data by default)
    _cli(tmp_path, "agency", "template", "-o", str(tmp_path / "t.xlsx"))
    _cli(tmp_path, "agency", "export", "--db", db, "--body", BODY, "-o", str(tmp_path / "e.xlsx"))
    exported = read_ledger(tmp_path / "e.xlsx")
    assert len(exported.records["cases"]) == 13 and all(a.applicant is None for a in exported.records["cases"])
    with_personal = read_ledger(_write(tmp_path, db, "p.xlsx"))
    assert {a.applicant for a in with_personal.records["cases"]} >= {"张某", "王某"}
    # a bad file: a Chinese error naming the file and the row, nothing imported
    bad = tmp_path / "坏.csv"
    bad.write_text("编号,收到日期,申请人类型\nX-1,昨天,自然人\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["agency", "import", str(bad), "--db", db, "--body", BODY])
    assert res.exit_code != 0 and "坏.csv" in res.output and "第 2 行「收到日期」列（值：昨天）" in res.output


def _write(tmp_path: Path, db: str, name: str) -> Path:
    _cli(tmp_path, "agency", "export", "--db", db, "--body", BODY, "-o", str(tmp_path / name), "--with-personal")
    return tmp_path / name


def test_year_to_year_checks_against_a_published_report(tmp_path: Path) -> None:
    r = _records()
    prev = make_report(BODY, 2023, r)
    # as published, last year's report said 5 carried forward for 自然人 and 9 规范性文件 in force
    spec = prev.spec
    spec.cells["t3.carried_forward.natural_person"] = 5
    spec.cells["t3.carried_forward.total"] = int(spec.cells["t3.carried_forward.total"]) + 5  # type: ignore[arg-type]
    spec.cells["t3.total_handled.natural_person"] = int(spec.cells["t3.total_handled.natural_person"])  # type: ignore[arg-type]
    spec.cells["t2.normative_docs.in_force"] = 9
    path = tmp_path / "2023.html"
    path.write_text(render_html(spec), encoding="utf-8")
    published = parse(path)
    rep = make_report(BODY, 2024, r, previous=published, previous_path=str(path))
    rules = {f.rule: f for f in rep.findings}
    assert "CARRY_OVER" in rules and "结转下年度" in rules["CARRY_OVER"].message
    assert "IN_FORCE_CONTINUITY" in rules
    # against its own records the years agree
    assert not {"CARRY_OVER", "IN_FORCE_CONTINUITY"} & {f.rule for f in make_report(BODY, 2024, r).findings}
    # a file of another year is named, not compared
    wrong = make_report(BODY, 2024, r, previous=parse_bytes(render_html(make_report(BODY, 2021, r).spec).encode()))
    assert "YEAR_MISMATCH" in {f.rule for f in wrong.findings}


def test_narrative_keeps_figures_tied_to_the_records(tmp_path: Path) -> None:
    from gongkai.agency.db import Workbench
    from gongkai.agency.narrative import NarrativeError

    r = _records()
    with Workbench(f"sqlite:///{tmp_path / 'g.db'}") as wb:
        wb.set_narrative(BODY, 2024, "overview", "{year}年共受理申请{t3.received.total}件。", "2021", actor="科员")
        with pytest.raises(NarrativeError, match=r"t3\.nothing"):
            wb.set_narrative(BODY, 2024, "overview", "{t3.nothing.total}", "2021")
        rep = make_report(BODY, 2024, r, narrative=wb.narrative(BODY, 2024))
    assert rep.spec.sections["overview"] == "2024年共受理申请11件。"
    assert "NARRATIVE_DEFAULT" in {f.rule for f in rep.findings}


# ------------------------------------------------------------------ round trip, property
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate)  # no shrinking: a failure prints its seed
_settings = settings(max_examples=12, deadline=None, derandomize=True, phases=_PHASES, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(st.integers(0, 10**6), st.sampled_from([2020, 2022, 2024]), st.integers(1, 80))
def test_rendered_reports_parse_back_to_the_computed_cells(seed: int, year: int, n: int) -> None:
    rng = random.Random(seed)
    recs = random_records(rng, (year - 1, year), n)
    rep = make_report(random_body(rng), year, Records(*(recs[k] for k in ("cases", "remedies", "documents", "counts"))))  # type: ignore[arg-type]
    want = {k: rep.computed.cells.get(k) for k in all_keys(rep.computed.format)}  # absent cells print blank
    for data, name in ((render_docx(rep.spec), "r.docx"), (render_html(rep.spec).encode(), "r.html")):
        got = parse_bytes(data, name)
        assert got.values() == want, name
        assert (got.issuing_body, got.report_year, got.format) == (rep.body, year, rep.computed.format)
        assert not [f for f in rep.findings if f.severity == "error"]


@pytest.mark.skipif(pdf_engine() is None, reason="no PDF engine (WeasyPrint or LibreOffice)")
@settings(max_examples=3, deadline=None, derandomize=True, phases=_PHASES, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6))
def test_rendered_pdf_parses_back_to_the_computed_cells(seed: int) -> None:
    recs = random_records(random.Random(seed), (2023, 2024), 40)
    rep = make_report("某县司法局", 2024, Records(*(recs[k] for k in ("cases", "remedies", "documents", "counts"))))  # type: ignore[arg-type]
    got = parse_bytes(render_pdf(rep.spec), "r.pdf")
    assert got.values() == {k: rep.computed.cells.get(k) for k in all_keys("2021")}


def test_answered_cases_keep_their_due_dates_through_the_year_boundary() -> None:
    # the same records give the same report whatever day it is made
    r = _records()
    a = make_report(BODY, 2024, r).computed.cells
    b = compute(2024, r.applications, r.remedies, r.documents, r.counts).cells
    assert a == b
    assert dt.date(2024, 12, 31) >= max(x.received for x in r.applications if x.received.year == 2024)


def test_cli_workflow_calendar_letters_narrative_audit(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    _cli(tmp_path, "agency", "import", str(FILES / LEDGERS[0]), "--db", db, "--body", BODY, "--by", "科员")
    assert "2025-01-26" in _cli(tmp_path, "agency", "calendar", "show", "--db", db, "--year", "2025")

    def dues() -> dict[str, str]:
        out = _cli(tmp_path, "agency", "cases", "--db", db, "--body", BODY, "--format", "json", "--today", "2024-12-30")
        return {r["number"]: r["due"] for r in json.loads(out)}

    # a year's arrangement entered again (here: only 2025-01-06 off) recomputes the open case reaching into it
    arr = tmp_path / "安排.csv"
    arr.write_text("日期,类型,名称\n2025-01-06,休,测试假日\n", encoding="utf-8")
    before = dues()
    out = _cli(tmp_path, "agency", "calendar", "import", str(arr), "--db", db, "--year", "2025", "--today", "2024-12-30")
    assert "1 件未办结申请" in out
    after = dues()
    # 12/30, 12/31, 1/1 (now worked), 1/2, 1/3, [1/6 off], 1/7 … : the 20th working day is 2025-01-27
    assert before["2024-011"] == "2025-01-26" and after["2024-011"] == "2025-01-27"
    assert {k: v for k, v in after.items() if k != "2024-011"} == {k: v for k, v in before.items() if k != "2024-011"}
    out = _cli(tmp_path, "agency", "act", "--db", db, "--body", BODY, "2024-011", "answer", "--outcome", "不掌握", "--date", "2025-01-20")
    assert "已答复" in out and "2025-01-27" in out
    _cli(tmp_path, "agency", "calendar", "set", "--db", db, "2025-01-08", "holiday", "--today", "2024-12-30")
    assert dues()["2024-011"] == "2025-01-27"  # answered: kept
    res = CliRunner().invoke(main, ["agency", "act", "--db", db, "--body", BODY, "2024-011", "extend", "--days", "5", "--role", "approver"])
    assert res.exit_code != 0 and "不能「延期答复（须批准）」" in res.output
    letter = tmp_path / "l.docx"
    _cli(tmp_path, "agency", "letter", "--db", db, "--body", BODY, "2024-011", "-o", str(letter))
    assert letter.read_bytes()[:2] == b"PK"
    _cli(tmp_path, "agency", "letter-template", "-o", str(tmp_path / "t.docx"))
    _cli(tmp_path, "agency", "letter", "--db", db, "--body", BODY, "2024-001", "-o", str(letter), "--template", str(tmp_path / "t.docx"))
    # the narrative
    text = tmp_path / "t.txt"
    text.write_text("本年度收到申请{t3.received.total}件。", encoding="utf-8")
    _cli(tmp_path, "agency", "narrative", "--db", db, "--body", BODY, "--year", "2024", "--section", "overview", "--text", str(text))
    assert "{t3.received.total}" in _cli(tmp_path, "agency", "narrative", "--db", db, "--body", BODY, "--year", "2024", "--section", "overview")
    rep = json.loads(_cli(tmp_path, "agency", "report", "--db", db, "--body", BODY, "--year", "2024", "--json"))
    assert rep["sections"]["overview"] == "本年度收到申请11件。"
    log = _cli(tmp_path, "agency", "audit", "--db", db, "--body", BODY)
    assert "answer" in log and "科员" in log
    _cli(tmp_path, "agency", "void", "--db", db, "--body", BODY, "cases", "2024-001", "--reason", "重复登记")
    rows = json.loads(_cli(tmp_path, "agency", "cases", "--db", db, "--body", BODY, "--format", "json"))
    assert "2024-001" not in {r["number"] for r in rows}
