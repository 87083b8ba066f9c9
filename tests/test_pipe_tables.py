"""Pipe tables and one-cell-per-line layouts (issue 13): Markdown tables as pages and
PDF-to-Markdown tools print them (``| 7.属于行政执法案卷 | 0 | 0 |…``, the ``|---|`` rule under
the header), rows whose label and numbers were detached into two table rows, stray ``|``
lines between one-cell-per-line cells, and labels in traditional script.

The documents are the 2021 official layout (国办公开办函〔2021〕30号) filled with valid random
numbers and laid out each of these ways.
"""

from __future__ import annotations

import random

import opencc
import pytest

from gongkai.api import parse_bytes
from gongkai.read.text import text_to_blocks
from helpers import fill_template, valid_cells


def _numeric(s: str) -> bool:
    return s.strip().replace(".", "", 1).isdigit()


def pipes(text: str, rule: bool = True) -> str:
    out, first = [], True
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            first = True
            continue
        out.append("| " + " | ".join(line.split("\t")) + " |")
        if rule and first:
            out.append("|" + "---|" * (line.count("\t") + 1))
        first = False
    return "\n".join(out)


def detached(text: str) -> str:
    """A row's label in one table row, its numbers in the next (PDF-to-Markdown tools)."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        f = line.split("\t")
        k = len(f)
        while k > 0 and _numeric(f[k - 1]):
            k -= 1
        if k < len(f) and any(x.strip() for x in f[:k]):
            out.append("| " + " | ".join(f[:k] + [""] * (len(f) - k)) + " |")
            out.append("| " + " | ".join([""] * k + f[k:]) + " |")
        else:
            out.append("| " + " | ".join(f) + " |")
    return "\n".join(out)


def one_per_line_with_stray_pipes(text: str) -> str:
    rng = random.Random(3)
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        for f in line.split("\t"):
            if f.strip():
                out.append(f)
            if rng.random() < 0.2:
                out.append("|")
    return "\n".join(out)


def pipes_without_opening(text: str) -> str:
    """Each row as a page's table flattened with its opening pipe lost: ``规章 | 0 | 0 | 0 |``
    (a long explanatory label, as provinces' forms have, before the numbers)."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        f = line.split("\t")
        if f[0].strip() == "行政规范性文件":
            f[0] = "行政规范性文件（行政机关制定发布的决定、公告、通告、意见、通知，一般情况下属于规范性文件）"
        out.append(" | ".join(x.strip() for x in f) + " |")
    return "\n".join(out)


def one_per_line_closed_by_pipes(text: str, open_rows: bool = False) -> str:
    """An HTML table flattened one cell a line, each cell closed by a pipe (``0 |``), an
    empty cell a bare ``|``; ``open_rows``: each row opened by a bare ``|`` line too."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        if open_rows:
            out.append("|")
        out.extend(f"{f.strip()} |" if f.strip() else "|" for f in line.split("\t"))
    return "\n".join(out)


def traditional(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


@pytest.mark.parametrize(
    "layout",
    [
        pipes,
        lambda t: pipes(t, rule=False),
        detached,
        one_per_line_with_stray_pipes,
        lambda t: pipes(traditional(t)),
        one_per_line_closed_by_pipes,
        lambda t: one_per_line_closed_by_pipes(t, open_rows=True),
        pipes_without_opening,
    ],
    ids=[
        "pipes",
        "pipes_no_rule",
        "markdown_detached_rows",
        "one_per_line_stray_pipes",
        "pipes_traditional",
        "one_per_line_closed_pipes",
        "one_per_line_rows_opened_by_pipes",
        "pipes_without_opening",
    ],
)
@pytest.mark.parametrize("seed", range(3))
def test_pipe_tables_read_every_cell(layout, seed: int) -> None:  # type: ignore[no-untyped-def]
    cells = valid_cells(random.Random(seed))
    report = parse_bytes(layout(fill_template("template_2021.tsv.txt", cells)).encode("utf-8"), "page.md")
    got = report.values()
    assert {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v} == {}


@pytest.mark.parametrize("open_rows", [False, True], ids=["closed_pipes", "rows_opened_by_pipes"])
@pytest.mark.parametrize("blank", ["t2.regulations.in_force", "t2.normative_docs.repealed", "t2.regulations.issued"])
def test_pipe_tables_one_cell_per_line_a_bare_pipe_is_an_empty_cell(open_rows: bool, blank: str) -> None:
    # 规章 | 0 | 0 | | one cell a line: the bare "|" is the row's empty cell, wherever it is,
    # and the rows after it are read as before
    cells = valid_cells(random.Random(7))
    cells[blank] = None  # type: ignore[assignment]
    text = one_per_line_closed_by_pipes(fill_template("template_2021.tsv.txt", cells), open_rows)
    report = parse_bytes(text.encode("utf-8"), "page.txt")
    got = report.values()
    assert report.cells[blank].status == "blank"
    assert {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v} == {}


def test_pipe_tables_a_row_is_its_cells() -> None:
    blocks = text_to_blocks("| 7.属于行政执法案卷 | 0 | 1 |  |\n|---|---|---|---|\n正文一行")
    assert [(b.text, b.row) for b in blocks[:4]] == [("7.属于行政执法案卷", 1), ("0", 1), ("1", 1), ("", 1)]
    assert blocks[4].text == "正文一行" and blocks[4].row > 1
    line = "| 7.属于行政执法案卷 | 0 | 1 |  |"
    assert [line[b.origin.start : b.origin.end].strip() for b in blocks[:3]] == ["7.属于行政执法案卷", "0", "1"]


# ---------------------------------------------------------------- tables with every cell empty
def _all_blank() -> dict[str, None]:
    return dict.fromkeys(valid_cells(random.Random(1)))


@pytest.mark.parametrize(
    "layout",
    [
        lambda t: t,
        pipes,
        lambda t: pipes(t, rule=False),
        detached,
        one_per_line_closed_by_pipes,
        lambda t: one_per_line_closed_by_pipes(t, open_rows=True),
    ],
    ids=["tabs", "pipes", "pipes_no_rule", "markdown_detached_rows", "one_per_line_closed_pipes", "one_per_line_rows_opened_by_pipes"],
)
def test_empty_tables_every_cell_the_page_shows_empty_is_blank(layout) -> None:  # type: ignore[no-untyped-def]
    # a report whose three tables are there with every cell empty (cells.md: a cell present
    # in the table but empty is null): the page shows each empty cell (a tab, a pipe, a bare
    # "|" line), so every one is blank, none absent, none a number; table 4's single data
    # row of fifteen empty cells too
    cells = _all_blank()
    report = parse_bytes(layout(fill_template("template_2021.tsv.txt", cells)).encode("utf-8"), "page.md")
    got = report.values()
    assert {k: got.get(k, "<absent>") for k in cells if got.get(k, "<absent>") is not None} == {}
    assert {c.status for c in report.cells.values()} == {"blank"}


def test_empty_tables_a_row_of_empty_pipe_cells_is_no_rule() -> None:
    # "| | | |" is a row of empty cells; only a rule has its dashes ("|---|---|")
    blocks = text_to_blocks("| 规章 | 0 | 0 | 0 |\n|---|---|---|---|\n|  |  |  |  |\n正文")
    assert [(b.text, b.row) for b in blocks[4:8]] == [("", 3), ("", 3), ("", 3), ("", 3)]
    assert blocks[8].text == "正文"


def test_empty_tables_cells_the_page_does_not_show_are_not_invented() -> None:
    # one cell per line with the empty cells gone (the labels only, as xizhen2022 shows its
    # table 2): no cell is shown, so none is read, blank or otherwise
    cells = _all_blank()
    text = one_per_line_with_stray_pipes(fill_template("template_2021.tsv.txt", cells))
    report = parse_bytes(text.encode("utf-8"), "page.txt")
    assert report.values() == {}
    assert {"UNREAD_CELL", "MISSING_TABLE"} <= {f.rule for f in report.findings}


# ---------------------------------------------------------------- Markdown from PDFs, detached
def _totals_only(seed: int) -> dict[str, object]:
    """Valid cells whose table-3 rows show only 总计, the other columns marked ``/``."""
    cells: dict[str, object] = dict(valid_cells(random.Random(seed)))
    for k in cells:
        if k.startswith("t3.") and not k.endswith(".total"):
            cells[k] = "/"
    return cells


def detached_marks_in_label(text: str) -> str:
    """``detached``, the row's blank marks kept in its label's cell: ``| 一、本年新收… / / / / / / | |``
    / ``| | 188 |`` (a PDF-to-Markdown tool that took the marks for the label's text)."""
    out = []
    for line in text.split("\n"):
        f = [x.strip() for x in line.split("\t")] if "\t" in line else None
        if f is None or not f[-1].isdigit() or "/" not in f:
            out.append(line if f is None else "| " + " | ".join(f) + " |")
            continue
        label = " ".join(x for x in f[:-1] if x)
        out.append(f"| {label} | |")
        out.append(f"| | {f[-1]} |")
    return "\n".join(out)


@pytest.mark.parametrize("layout", [detached, detached_marks_in_label], ids=["marks_in_cells", "marks_in_label"])
@pytest.mark.parametrize("seed", range(3))
def test_markdown_detached_totals_only_rows(layout, seed: int) -> None:  # type: ignore[no-untyped-def]
    # every table-3 row blank but for 总计 (/ / / / / /), its 总计 in the next table row:
    # the marks are the row's first six cells, the number its 总计; 3.其他 and (七)总计 with
    # their marks run into the label are still their rows (before: not found, and their
    # totals went to the row above them, WRONG)
    cells = _totals_only(seed)
    report = parse_bytes(layout(fill_template("template_2021.tsv.txt", cells)).encode("utf-8"), "page.md")
    got = report.values()
    want = {k: None if v == "/" else v for k, v in cells.items()}
    assert {k: (v, got.get(k, "<absent>")) for k, v in want.items() if got.get(k, "<absent>") != v} == {}


@pytest.mark.parametrize(
    ("row", "read"),
    [
        ("| 1.属于国家秘密 / / / / / / | |\n| | 5 |", [None] * 6 + [5]),
        ("| 1.属于国家秘密 / / | |\n| | 1 | 2 | 0 | 0 | 3 |", [None, None, 1, 2, 0, 0, 3]),
        ("1.属于国家秘密 / / / / / / 5", [None] * 6 + [5]),
    ],
)
def test_markdown_detached_marks_run_into_the_label_are_its_first_cells(row: str, read: list[int | None]) -> None:
    text = T3_PAGE.format(row=row)
    got = parse_bytes(text.encode("utf-8"), "page.md").values()
    assert [got.get(f"t3.withheld.state_secret.{c}", "<absent>") for c in T3_PARTS_TOTAL] == read


@pytest.mark.parametrize("row", ["| 1.属于国家秘密 / / / / / / | |\n| | 5 | 3 |", "| 1.属于国家秘密 / / / / / / / | |\n| | 5 |"])
def test_markdown_detached_marks_and_values_that_do_not_make_the_row_are_not_read(row: str) -> None:
    # six marks and two values, seven marks and one: no reading of seven cells; no number read
    got = parse_bytes(T3_PAGE.format(row=row).encode("utf-8"), "page.md").values()
    assert [got.get(f"t3.withheld.state_secret.{c}") for c in T3_PARTS_TOTAL if got.get(f"t3.withheld.state_secret.{c}") is not None] == []


T3_PARTS_TOTAL = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
T3_PAGE = """某某县教育局2023年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
| 本列数据的勾稽关系 | 申请人情况 | | | | | | |
| | 自然人 | 法人或其他组织 | | | | | 总计 |
| | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |
| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| （三）不予公开 | | | | | | | |
{row}
| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
"""


@pytest.mark.parametrize(
    ("row", "read"),
    [
        ("| 1.属于国家秘密 | 0 | | | | | | |\n| | 0 | 0 | 0 | 0 | 0 | 0 |", [0] * 7),
        ("| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | |\n| | / |", [0] * 6 + [None]),
    ],
)
def test_markdown_detached_cells_after_the_first_ones(row: str, read: list[int | None]) -> None:
    # the label's row keeps the first cells, the next table row the others: not 总计 alone
    # (before: the lone 0 read as 总计, the six others blank, WRONG) nor six zeros and a lost
    # seventh (before: 总计 derived 0 where the page shows /, WRONG)
    got = parse_bytes(T3_PAGE.format(row=row).encode("utf-8"), "page.md").values()
    assert [got.get(f"t3.withheld.state_secret.{c}", "<absent>") for c in T3_PARTS_TOTAL] == read
