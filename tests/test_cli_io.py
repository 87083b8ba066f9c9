"""What goes in and what comes out of the reading commands and the corpus commands
(issue 11 items 5–10)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli import main
from gongkai.cli.views import debug_html, render_report, render_stats
from gongkai.cli.zh import width
from gongkai.domain.labels import T3_GROUP_TITLES
from gongkai.domain.stats import COLUMNS
from gongkai.errors import GongkaiError
from gongkai.extract import debug_extract
from gongkai.normalize import normalize
from helpers import CORPUS

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "tests" / "files"
SEEDS = sorted(str(p) for p in (CORPUS / "seeds").glob("*.txt"))


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, env=env)


# ------------------------------------------------------------------ 5. ingest takes reports only
def test_ingest_skips_what_is_not_a_report_and_filters_by_glob(tmp_path: Path) -> None:
    from gongkai.store import Corpus

    d = tmp_path / "mixed"
    (d / "sub").mkdir(parents=True)
    (d / "r1.txt").write_bytes(Path(SEEDS[0]).read_bytes())
    (d / "sub" / "r2.txt").write_bytes(Path(SEEDS[1]).read_bytes())
    labels = sorted((CORPUS / "labels").glob("*.json"))[0]
    (d / "label.json").write_bytes(labels.read_bytes())
    (d / "script.py").write_bytes((ROOT / "tests" / "test_cli.py").read_bytes())
    template = CORPUS / "templates" / "annual-report-2021-blank.docx"
    if template.exists():
        (d / "blank.docx").write_bytes(template.read_bytes())
    db = tmp_path / "c.db"
    res = run("ingest", str(d), "--db", str(db), "--jobs", "1", "--no-progress", "--json", "--no-check")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)["ingest"]
    skipped = {Path(p).name for p in summary["skipped_paths"]}
    assert {"label.json", "script.py"} <= skipped and (not template.exists() or "blank.docx" in skipped)
    assert summary["parsed"] == 2 and summary["failed"] == 0
    with Corpus(db) as c:
        assert c.counts()["reports"] == 2
        assert c.counts()["failures"] == 0  # skipped is not failed
    text = run("ingest", str(d), "--db", str(tmp_path / "t.db"), "--jobs", "1", "--no-progress", "--no-check").output
    assert "跳过：" in text and "label.json" in text
    # globs over the files found in folders
    res = run("ingest", str(d), "--db", str(tmp_path / "g.db"), "--jobs", "1", "--no-progress", "--json", "--no-check",
              "--include", "*.txt", "--exclude", "sub/*")  # fmt: skip
    summary = json.loads(res.stdout)["ingest"]
    assert summary["total"] == 1 and summary["parsed"] == 1 and summary["skipped"] == 0


def test_a_folder_whose_globs_match_nothing(tmp_path: Path) -> None:
    d = tmp_path / "f"
    d.mkdir()
    (d / "a.txt").write_bytes(Path(SEEDS[0]).read_bytes())
    res = run("ingest", str(d), "--db", str(tmp_path / "c.db"), "--no-progress", "--include", "*.pdf")
    assert res.exit_code == 4 and "没有找到任何输入文件" in res.output


# ------------------------------------------------------------------ 6. standard input and text
def test_parse_reads_standard_input() -> None:
    data = Path(SEEDS[0]).read_bytes()
    res = run("parse", "--jsonl", "-", input=data)
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    want = gongkai.parse(SEEDS[0]).to_json(full=False)
    assert got["path"] == "<标准输入>" and got["cells"] == want["cells"] and got["issuing_body"] == want["issuing_body"]
    assert run("check", "-", input=data).exit_code == 0
    assert "\"regions\"" in run("debug", "-", input=data).output
    assert run("parse", "-", "-", input=data).exit_code == 2


def test_parse_text_and_a_clear_error_for_text_given_as_a_path() -> None:
    text = Path(SEEDS[0]).read_text(encoding="utf-8")
    r = gongkai.parse_text(text)
    assert r.cells == gongkai.parse(SEEDS[0]).cells and r.path == "<文本>"
    with pytest.raises(GongkaiError) as e:
        gongkai.parse(text)
    assert "gongkai.parse_text" in e.value.message and len(str(e.value)) < 200  # the text is not echoed
    with pytest.raises(TypeError):
        gongkai.parse_text(text.encode())  # type: ignore[arg-type]


# ------------------------------------------------------------------ 7. informational findings only
def test_a_report_with_only_informational_findings_ends_cleanly() -> None:
    for s in SEEDS:
        r = gongkai.parse(s)
        if r.findings and all(f.severity == "info" for f in r.findings):
            break
    else:
        r = gongkai.parse(SEEDS[0])
        r.findings = [gongkai.Finding("OCR", "info", "内容经文字识别（OCR）读取，数字可能有误", source="extraction")]
    last = render_report(r).rstrip().splitlines()[-1]
    assert not last.endswith("："), last
    assert "未发现问题" in last and "提示" in last


# ------------------------------------------------------------------ 8. one JSON document
def test_parse_json_of_several_files_is_one_array_and_check_agrees() -> None:
    res = run("parse", "--json", *SEEDS[:3])
    data = json.loads(res.stdout)
    assert isinstance(data, list) and [d["path"] for d in data] == SEEDS[:3]
    one = json.loads(run("parse", "--json", SEEDS[0]).stdout)
    assert isinstance(one, dict) and one == data[0]
    res = run("parse", "--json", "--jsonl", SEEDS[0])
    assert res.exit_code == 2 and "只能选一个" in res.output
    checked = json.loads(run("check", "--json", *SEEDS[:3]).stdout)
    assert isinstance(checked, list) and len(checked) == 3
    for c, p in zip(checked, data, strict=True):
        assert {k: p[k] for k in c if k != "has_errors"} == {k: v for k, v in c.items() if k != "has_errors"}
    assert isinstance(json.loads(run("check", "--json", SEEDS[0]).stdout), dict)


def test_parse_json_array_keeps_failed_inputs_in_place(tmp_path: Path) -> None:
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    data = json.loads(run("parse", "--json", SEEDS[0], str(empty)).stdout)
    assert [d["path"] for d in data] == [SEEDS[0], str(empty)] and data[1]["error"]


# ------------------------------------------------------------------ 9. table 3 groups, stats width
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_table_3_shows_its_group_rows_as_parents(fmt: str) -> None:
    report = next(r for r in map(gongkai.parse, SEEDS) if r.format == fmt)
    lines = render_report(report).splitlines()
    for title in T3_GROUP_TITLES.values():  # a row of its own (2019's （六）其他处理 is also a row of numbers)
        assert any(ln.strip() == title or (ln.strip().startswith(title) and fmt == "2019") for ln in lines), title
    i = next(i for i, ln in enumerate(lines) if ln.strip() == "（四）无法提供")
    child = next(ln for ln in lines[i:] if "1.本机关不掌握相关政府信息" in ln)
    indent = lambda s: len(s) - len(s.lstrip())  # noqa: E731
    assert indent(child) > indent(lines[i]) > indent(next(ln for ln in lines if ln.strip() == "三、本年度办理结果"))


def _stats_rows() -> list[dict]:
    base = {c: 1 for c in COLUMNS}
    rows = [{**base, "dimension": "all", "value": "全部", "disclosed_rate": 0.5}]
    for y in range(2019, 2025):
        rows.append({**base, "dimension": "year", "value": y, "received": 12345, "disclosed_rate": None})
    rows.append({**base, "dimension": "body_type", "value": "department"})
    return rows


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_stats_fit_the_terminal(columns: int) -> None:
    out = render_stats(_stats_rows(), COLUMNS, width=columns)
    assert max(width(ln) for ln in out.splitlines()) <= columns
    for label in (v for k, v in COLUMNS.items() if k not in ("dimension",) and not k.startswith("withheld.")):
        assert label in out, label  # every figure is still there, in a continuation table if need be
    assert "政府部门" in out and "department" not in out


def test_stats_formats_through_the_cli(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_bytes(Path(SEEDS[0]).read_bytes())
    db = str(tmp_path / "c.db")
    assert run("ingest", str(d), "--db", db, "--jobs", "1", "--no-progress").exit_code == 0
    res = run("stats", "--db", db, env={"COLUMNS": "80"})
    assert res.exit_code == 0 and max(width(ln) for ln in res.output.splitlines()) <= 80
    rows = list(csv.reader(io.StringIO(run("stats", "--db", db, "--format", "csv").output)))
    assert rows[0] == list(COLUMNS.values()) and rows[1][0] == "全部"
    data = json.loads(run("stats", "--db", db, "--format", "json").output)
    assert data[0]["dimension"] == "all" and data[0]["reports"] == 1


# ------------------------------------------------------------------ 10. debug --html
def _debug(path: Path) -> tuple[str, gongkai.Report]:
    doc = normalize(gongkai.read_file(path))
    ex = debug_extract(doc, None)
    assert ex.report is not None
    return debug_html(doc, ex), ex.report


@pytest.mark.parametrize(
    "path",
    [
        FILES / "pdf" / "report-ruled.pdf",
        FILES / "pdf" / "report-unruled.pdf",
        FILES / "html" / "official-2021-gbk.html",
        FILES / "docx" / "official-2019.docx",
        Path(SEEDS[0]),
    ],
    ids=lambda p: p.name,
)
def test_debug_html_colours_each_cells_own_piece(path: Path) -> None:
    page, report = _debug(path)
    marked = re.findall(r'<span class="c" style="background:[^"]+" data-key="([^"]+)"[^>]*>([^<]*)</span>', page)
    keys = [k for k, _ in marked]
    assert len(keys) == len(set(keys)), "a cell coloured twice"
    assert len(set(keys)) >= 0.9 * sum(1 for c in report.cells.values() if c.origin is not None and c.status == "read")
    for key, text in marked:  # each coloured piece shows its own cell's raw text
        cell = report.cells[key]
        if cell.value is not None and cell.status == "read":
            digits = re.sub(r"\D", "", text)
            assert digits == re.sub(r"\D", "", str(gongkai.model.json_number(cell.value)).split(".")[0]) or digits.startswith(
                re.sub(r"\D", "", str(gongkai.model.json_number(cell.value)))
            ), (key, text, cell.value)
    assert "图例" in page and all(name in page for name in ("表二", "表三", "表四", "没有成为任何单元格的数字"))
    unused = re.findall(r'<span class="un">([^<]*)</span>', page)
    assert not any(re.search(r"[\u4e00-\u9fff]", u) for u in unused), unused  # 1.属于国家秘密 is a label, not a number


def test_debug_html_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    res = run("debug", str(FILES / "pdf" / "report-ruled.pdf"), "--html", str(out))
    assert res.exit_code == 0 and 'data-key="t3.received.total"' in out.read_text(encoding="utf-8")
