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

from gongkai.api import parse_text
from gongkai.render.text import blank_marks_for, render_text
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
    "page break in t3": page_break,
    "mirror chrome": mirror_chrome,
}
LAYOUT_SHAPES = ("cell_per_line", "one_per_line", "traditional_pinyin", "spaced")


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
    a = ap.parse_args()
    specs = [random_report(random.Random(f"{a.seed}:{i}"), "2021" if i % 4 else "2019") for i in range(a.reports)]
    names = [*SHAPES, *LAYOUT_SHAPES]
    print(f"{'class':22} {'cells right':>12} {'absent':>7} {'WRONG':>6} {'share':>7}  body right/absent/WRONG")
    for name in names:
        right = absent = wrong = 0
        body = [0, 0, 0]
        for i, s in enumerate(specs):
            rng = random.Random(f"{a.seed}:{name}:{i}")
            layout = "tsv" if name in SHAPES else name
            marks = [m for m in blank_marks_for(s, layout) if m] or [""]  # type: ignore[arg-type]
            text = render_text(s, layout, blank_mark=marks[0], seed=i)  # type: ignore[arg-type]
            if name in SHAPES:
                text = SHAPES[name](text, rng)
            rep = parse_text(text)
            got = rep.values()
            for k, v in s.cells.items():
                if k not in got:
                    absent += 1
                elif _same(got[k], v):
                    right += 1
                else:
                    wrong += 1
                    if a.verbose:
                        print(f"  WRONG {name} #{i} {k}: {got[k]!r} != {v!r}")
            if not rep.issuing_body:
                body[1] += 1
            elif _same_body(rep.issuing_body, s.issuing_body):
                body[0] += 1
            else:
                body[2] += 1
                if a.verbose:
                    print(f"  WRONG body {name} #{i}: {rep.issuing_body!r} != {s.issuing_body!r}")
        total = right + absent + wrong
        print(f"{name:22} {right:>6}/{total:<5} {absent:>7} {wrong:>6} {right / total:>7.1%}  {body[0]}/{body[1]}/{body[2]}")


if __name__ == "__main__":
    main()
