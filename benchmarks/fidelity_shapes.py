"""Fidelity on real-page shapes (issue 13): a measurable stand-in for the held-out set.

Reports with known values (``gongkai.testing.fixtures.random_report``) are rendered as PDF
text (``render_text``) and then reshaped the way circulating pages reshape them: rows run
together (cell boundaries lost), pipe tables with stray ``|`` lines, Markdown rows with the
label detached from its numbers, a page break with footer and running header inside table 3,
and mirror chrome around the report (navigation, ``来源：``, ``主办单位：…``, citations of
国务院 in the prose). Each is scored like ``../shared/eval/score.py``: a cell is right,
absent or WRONG; the body is right, absent or WRONG.

    PYTHONPATH=$PWD/src .venv/bin/python benchmarks/fidelity_shapes.py [--reports 20] [--seed 13]

Seeded and deterministic; prints one row per class. No timing.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from gongkai.api import parse_bytes
from gongkai.domain.labels import t3_rows
from gongkai.render.html import render_html
from gongkai.render.spec import ReportSpec
from gongkai.render.text import blank_marks_for, render_text
from gongkai.render.traditional import to_traditional
from gongkai.testing.fixtures import random_report

_NUM = re.compile(r"^\d+(?:\.\d+)?$")


def _fields(line: str) -> list[str]:
    return [f.strip() for f in line.split("\t")]


def _numeric_tail(fields: list[str]) -> tuple[list[str], list[str]]:
    """Label fields and the trailing number fields of a tab row (empty fields dropped)."""
    kept = [f for f in fields if f]
    i = len(kept)
    while i > 0 and _NUM.match(kept[i - 1]):
        i -= 1
    return kept[:i], kept[i:]


def lost_boundaries(text: str, rng: random.Random) -> str:
    """Every table-3/4 row of five or more numbers run together into one digit run."""
    out = []
    for line in text.split("\n"):
        label, nums = _numeric_tail(_fields(line))
        if len(nums) >= 5 and label and all("." not in n for n in nums):
            out.append("".join(label) + "".join(nums))
        else:
            out.append(line)
    return "\n".join(out)


def pipe_stray(text: str, rng: random.Random) -> str:
    """Tab rows as pipe rows; now and then a stray ``|`` line between rows."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            out.append("| " + " | ".join(_fields(line)) + " |")
            if rng.random() < 0.15:
                out.append("|")
        else:
            out.append(line)
    return "\n".join(out)


def markdown_detached(text: str, rng: random.Random) -> str:
    """Markdown as PDF-extraction tools write it: some rows' labels in one table row, their
    numbers in the next."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        fields = _fields(line)
        label, nums = _numeric_tail(fields)
        if nums and label and rng.random() < 0.4:
            out.append("| " + " ".join(label) + " |" + " |" * len(nums))
            out.append("| |" + "".join(f" {n} |" for n in nums))
        else:
            out.append("| " + " | ".join(fields) + " |")
    return "\n".join(out)


_CELL = re.compile(r"^(?:[+\-]?\d+(?:\.\d+)?|[/—－\-]+|无)$")


def markdown_detached_cells(text: str, rng: random.Random) -> str:
    """``markdown_detached`` with every cell detached, blank marks and signed changes too
    (``| 行政许可 | | | |`` / ``| | 1 | -1 | 0 |``, ``| 一、… | | … |`` / ``| | / | … | 188 |``);
    now and then only the last cells, the label's row keeping the first ones."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        fields = [f for f in _fields(line) if f]
        i = len(fields)
        while i > 0 and _CELL.match(fields[i - 1]):
            i -= 1
        label, cells = fields[:i], fields[i:]
        if cells and label and rng.random() < 0.4:
            keep = rng.randint(1, len(cells) - 1) if len(cells) > 1 and rng.random() < 0.3 else 0
            out.append("| " + " | ".join(label + cells[:keep]) + " |" + " |" * (len(cells) - keep))
            out.append("|" + " |" * len(label) + "".join(f" {c} |" for c in cells[keep:]))
        else:
            out.append("| " + " | ".join(fields) + " |")
    return "\n".join(out)


def page_break(text: str, rng: random.Random) -> str:
    """A page break inside table 3: page number, footer and the running title on the next page."""
    lines = text.split("\n")
    rows = [i for i, ln in enumerate(lines) if "属于" in ln and "\t" in ln]
    if not rows:
        return text
    at = rng.choice(rows) + 1
    title = next((ln for ln in lines if "年度报告" in ln), "政府信息公开工作年度报告")
    return "\n".join([*lines[:at], "", f"- {rng.randint(2, 9)} -", "", title.strip(), "", *lines[at:]])


def mirror_chrome(text: str, rng: random.Random) -> str:
    """Crawler/mirror chrome around the report and superior bodies cited in the prose."""
    head = [
        "首页 > 政务公开 > 政府信息公开年报",
        "当前位置：首页 > 信息公开 > 年度报告",
        "来源：本网  浏览次数：123  字体：大 中 小",
        "",
    ]
    cite = "按照国务院办公厅和省政府的要求，切实落实国务院关于政务公开的部署，通过政府网站及时公开信息。"
    lines = text.split("\n")
    para = next((i for i, ln in enumerate(lines) if "统计期限" in ln), 0)
    lines.insert(para + 1, cite)
    tail = ["", "【打印本页】【关闭窗口】", "主办单位：XX市人民政府办公室  承办：XX市大数据中心", "网站标识码：1234567890"]
    return "\n".join([*head, *lines, *tail])


SHAPES: dict[str, Callable[[str, random.Random], str]] = {
    "well-formed tsv": lambda t, r: t,
    "lost boundaries": lost_boundaries,
    "pipe + stray |": pipe_stray,
    "markdown detached": markdown_detached,
    "markdown, cells detached": markdown_detached_cells,
    "page break in t3": page_break,
    "mirror chrome": mirror_chrome,
}
LAYOUT_SHAPES = ("cell_per_line", "one_per_line", "traditional_pinyin", "spaced")


# ---------------------------------------------------------------- classes that change the spec
@dataclass(frozen=True, slots=True)
class Case:
    """One reshaped page: its text (or HTML), the file name it is parsed as, and the cells
    it shows (a lone page shows only part of the report)."""

    text: str
    name: str
    cells: dict[str, object]
    body: str


def _tsv(s: ReportSpec, i: int) -> str:
    marks = [m for m in blank_marks_for(s, "tsv") if m] or [""]
    return render_text(s, "tsv", blank_mark=marks[0], seed=i)


_CHANGE_UP = ("增{}", "+{}", "新增{}", "增加{}", "增 {}")
_CHANGE_DOWN = ("减{}", "-{}", "减少{}", "减 {}")


def signed_changes(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """2019 form: every 本年增/减 cell written with a sign or a word (增10, 减3, +3, -4, 新增2,
    减少1, 增 6); a nonzero change on every row so each is a signed one."""
    cells = dict(s.cells)
    for k in [k for k in cells if k.endswith(".change")]:
        if cells[k] == 0 or cells[k] is None:
            cells[k] = rng.choice((-1, 1)) * rng.randint(1, 30)
    s = replace(s, cells=cells)
    out, col = [], None
    for line in _tsv(s, i).split("\n"):
        fields = line.split("\t")
        if fields[0] == "信息内容":
            col = fields.index("本年增/减") if "本年增/减" in fields else None
        elif "\t" not in line:
            col = None
        elif col is not None and col < len(fields) and re.fullmatch(r"-?\d+", fields[col].strip()):
            v = int(fields[col])
            if v:
                fields[col] = rng.choice(_CHANGE_UP if v > 0 else _CHANGE_DOWN).format(abs(v))
            line = "\t".join(fields)
        out.append(line)
    return Case("\n".join(out), "page.txt", cells, s.issuing_body)


# rows provinces add to table 2 (their own documents, sub-rows 其中…), as label + fields
_EXTRA_T2 = {
    "一": ("其他主动公开文件\t{a}\t{b}\t{c}", "规划文件\t{a}\t{b}\t{c}", "其中：以部门名义制发\t{a}\t{b}\t{c}"),
    "五": ("其中：告知承诺制审批\t{c}", "行政确认\t{c}", "其他对外管理服务事项\t{c}"),
    "六": ("其中：罚款\t{c}", "行政检查\t{c}", "其中：查封扣押\t{c}"),
}


def provincial_rows(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """Rows a province adds to table 2 (其他主动公开文件, 规划文件, 其中：…) after official rows;
    the official rows after them must still be read."""
    out, article = [], None
    text = _tsv(s, i)
    extras = {a: [e for e in rows if e.split("\t")[0] not in text] for a, rows in _EXTRA_T2.items()}  # not an official row
    for line in text.split("\n"):
        out.append(line)
        m = re.match(r"第二十条第[（(]([一二三四五六七八九十]+)[)）]项", line)
        if m:
            article = m.group(1)
        elif line.startswith("三、"):
            article = None
        if article in _EXTRA_T2 and "\t" in line and not line.startswith(("信息内容", "第二十条")) and rng.random() < 0.5:
            a, b = rng.randint(0, 30), rng.randint(0, 9)
            out.append(rng.choice(extras[article]).format(a=a, b=b, c=a + rng.randint(0, 200)))
    return Case("\n".join(out), "page.txt", dict(s.cells), s.issuing_body)


def t2_2019_later_year(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """A 2021-form report (year ≥ 2021) whose table 2 is the 2019 form's, with blank cells
    (not applicable, written as the blank mark); tables 3 and 4 stay the 2021 layout."""
    old = random_report(random.Random(f"2019-t2:{i}"), "2019", blank_style="none", body=s.issuing_body)
    t2 = {k: v for k, v in old.cells.items() if k.startswith("t2.")}
    for k in rng.sample(sorted(t2), rng.randint(1, 4)):
        t2[k] = None
    mixed = replace(s, cells={**t2, **{k: v for k, v in s.cells.items() if not k.startswith("t2.")}})
    new_lines = _tsv(s, i).split("\n")
    old_lines = _tsv(replace(old, cells={**old.cells, **t2}), i).split("\n")

    def t2_span(lines: list[str]) -> tuple[int, int]:
        a = next(n for n, ln in enumerate(lines) if ln.startswith("第二十条"))
        b = next(n for n, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
        return a, b

    a, b = t2_span(new_lines)
    oa, ob = t2_span(old_lines)
    text = "\n".join([*new_lines[:a], *old_lines[oa:ob], *new_lines[b:]])
    return Case(text, "page.txt", dict(mixed.cells), s.issuing_body)


def _t3_lines(lines: list[str], fmt: str) -> list[tuple[int, str]]:
    """(line index, row key) of table 3's data rows in a tsv rendering."""
    head = next(n for n, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
    tabbed = [n for n in range(head, len(lines)) if "\t" in lines[n]]
    rows = t3_rows(fmt)
    return list(zip(tabbed[3 : 3 + len(rows)], rows, strict=True))


def lone_page_t3(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """A single page of a multi-page PDF that starts at a row inside table 3 (its heading and
    header on the page before), with the running title and page number at its top: the rows
    it shows are read, and nothing from the pages it does not show."""
    lines = _tsv(s, i).split("\n")
    at = _t3_lines(lines, s.format)
    n, row = at[rng.randint(1, len(at) - 3)]
    title = next((ln for ln in lines if "年度报告" in ln), "")
    shown = set(t3_rows(s.format)[t3_rows(s.format).index(row) :])
    cells = {k: v for k, v in s.cells.items() if k.startswith("t4.") or (k.startswith("t3.") and k[3:].rsplit(".", 1)[0] in shown)}
    text = "\n".join([title.strip(), f"- {rng.randint(2, 9)} -", "", *lines[n:]])
    return Case(text, "page-3.txt", cells, s.issuing_body)


def page_break_t4(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """A page break inside table 4 (between its header rows, or before its data row): page
    number, footer and the running title in between."""
    lines = _tsv(s, i).split("\n")
    head = next(n for n, ln in enumerate(lines) if ln.startswith("四、政府信息公开行政复议"))
    tabbed = [n for n in range(head, len(lines)) if "\t" in lines[n]][:4]
    at = rng.choice(tabbed[1:])
    title = next((ln for ln in lines if "年度报告" in ln), "").strip()
    breaker = rng.choice([["", f"- {rng.randint(2, 9)} -", "", title, ""], [f"第 {rng.randint(2, 9)} 页 共 9 页"], ["", title]])
    return Case("\n".join([*lines[:at], *breaker, *lines[at:]]), "page.txt", dict(s.cells), s.issuing_body)


def repeated_header(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """A page break inside table 3 after which the table's header rows are printed again (a
    long table's repeated header row), with the page number between."""
    lines = _tsv(s, i).split("\n")
    at = _t3_lines(lines, s.format)
    header = lines[at[0][0] - 3 : at[0][0]]
    n, _ = at[rng.randint(1, len(at) - 2)]
    return Case("\n".join([*lines[:n], "", f"- {rng.randint(2, 9)} -", "", *header, *lines[n:]]), "page.txt", dict(s.cells), s.issuing_body)


def html_breaks(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """The HTML page with line breaks inside cells: ``<br>`` inside labels and headers (a
    label wrapped as the page wraps it), a value cell closed by a ``<br>``, and a label
    cell's text on two source lines."""

    def label(m: re.Match[str]) -> str:
        text = m.group(2)
        if len(text) >= 4 and rng.random() < 0.5:
            cut = rng.randint(1, len(text) - 1)
            text = text[:cut] + rng.choice(("<br>", "<br/>", "<br />", "\n")) + text[cut:]
        return m.group(1) + text + "</td>"

    def value(m: re.Match[str]) -> str:
        return m.group(0).replace("</td>", "<br></td>") if rng.random() < 0.2 else m.group(0)

    marks = [m for m in blank_marks_for(s, "tsv") if m] or [""]
    page = render_html(s, blank_mark=marks[0])
    page = re.sub(r'(<td class="(?:label|header|group)"[^>]*>)([^<]*)</td>', label, page)
    page = re.sub(r'<td class="value"[^>]*>[^<]*</td>', value, page)
    return Case(page, "page.html", dict(s.cells), s.issuing_body)


def traditional_labels(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """Simplified page, table rows' labels in traditional script (a table pasted from a
    traditional copy), in tsv or pipe rows."""
    pipes = rng.random() < 0.5
    out = []
    for line in _tsv(s, i).split("\n"):
        if "\t" in line:
            fields = [to_traditional(f) if not _NUM.match(f.strip()) else f for f in line.split("\t")]
            line = "| " + " | ".join(f.strip() for f in fields) + " |" if pipes else "\t".join(fields)
        out.append(line)
    return Case("\n".join(out), "page.md" if pipes else "page.txt", dict(s.cells), s.issuing_body)


def bare_pipe_first(s: ReportSpec, i: int, rng: random.Random) -> Case:
    """Pipe rows whose first cell is a bare ``|`` on its own line (the row's opening pipe
    broken off), the rest of the row on the next line: ``|`` / ``7.属于行政执法案卷 | 0 | 0 |…``."""
    out = []
    for line in _tsv(s, i).split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        fields = [f.strip() for f in line.split("\t")]
        while fields and not fields[0]:
            fields.pop(0)
        if rng.random() < 0.5:
            out += ["|", " | ".join(fields) + " |"]
        else:
            out.append("| " + " | ".join(fields) + " |")
    return Case("\n".join(out), "page.md", dict(s.cells), s.issuing_body)


# class name -> (form of every report, or None for the mix; the reshaping)
SPEC_SHAPES: dict[str, tuple[str | None, Callable[[ReportSpec, int, random.Random], Case]]] = {
    "signed changes": ("2019", signed_changes),
    "provincial t2 rows": (None, provincial_rows),
    "2019 t2, later year": ("2021", t2_2019_later_year),
    "lone page in t3": (None, lone_page_t3),
    "page break in t4": (None, page_break_t4),
    "repeated t3 header": (None, repeated_header),
    "html <br> in cells": (None, html_breaks),
    "traditional labels": (None, traditional_labels),
    "bare | first cell": (None, bare_pipe_first),
}


def _cases(name: str, specs: list[ReportSpec], seed: int, n: int) -> list[Case]:
    out = []
    for i, s in enumerate(specs):
        rng = random.Random(f"{seed}:{name}:{i}")
        if name in SPEC_SHAPES:
            form, shape = SPEC_SHAPES[name]
            if form is not None and s.format != form:
                s = random_report(random.Random(f"{seed}:{form}:{i}"), form)
            out.append(shape(s, i, rng))
            continue
        layout = "tsv" if name in SHAPES else name
        marks = [m for m in blank_marks_for(s, layout) if m] or [""]  # type: ignore[arg-type]
        text = render_text(s, layout, blank_mark=marks[0], seed=i)  # type: ignore[arg-type]
        if name in SHAPES:
            text = SHAPES[name](text, rng)
        out.append(Case(text, "page.txt", dict(s.cells), s.issuing_body))
    return out


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-6  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _same_body(got: str | None, want: str) -> bool:
    g, w = "".join((got or "").split()), "".join(want.split())
    short, long_ = sorted((g, w), key=len)
    return g == w or (len(short) >= 2 and short in long_)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=20)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--verbose", action="store_true", help="print each WRONG cell and body")
    ap.add_argument("--absent", action="store_true", help="print each absent cell")
    ap.add_argument("--only", default="", help="only the classes whose name contains this")
    a = ap.parse_args()
    specs = [random_report(random.Random(f"{a.seed}:{i}"), "2021" if i % 4 else "2019") for i in range(a.reports)]
    names = [*SHAPES, *LAYOUT_SHAPES, *SPEC_SHAPES]
    if a.only:
        names = [n for n in names if a.only in n]
    print(f"{'class':22} {'cells right':>12} {'absent':>7} {'WRONG':>6} {'share':>7}  body right/absent/WRONG")
    for name in names:
        right = absent = wrong = 0
        body = [0, 0, 0]
        for i, case in enumerate(_cases(name, specs, a.seed, a.reports)):
            rep = parse_bytes(case.text.encode("utf-8"), case.name)
            got = rep.values()
            for k, v in case.cells.items():
                if k not in got:
                    absent += 1
                    if a.absent:
                        print(f"  absent {name} #{i} {k}: {v!r}")
                elif _same(got[k], v):
                    right += 1
                else:
                    wrong += 1
                    if a.verbose:
                        print(f"  WRONG {name} #{i} {k}: {got[k]!r} != {v!r}")
            # a cell the page does not show (a lone page: the pages before it; a provincial
            # row) is never read
            for k in sorted(set(got) - set(case.cells)):
                wrong += 1
                if a.verbose:
                    print(f"  WRONG {name} #{i} {k}: {got[k]!r} not on the page")
            if not rep.issuing_body:
                body[1] += 1
            elif _same_body(rep.issuing_body, case.body):
                body[0] += 1
            else:
                body[2] += 1
                if a.verbose:
                    print(f"  WRONG body {name} #{i}: {rep.issuing_body!r} != {case.body!r}")
        total = right + absent + wrong
        print(f"{name:22} {right:>6}/{total:<5} {absent:>7} {wrong:>6} {right / total:>7.1%}  {body[0]}/{body[1]}/{body[2]}")


if __name__ == "__main__":
    main()
