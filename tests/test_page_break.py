"""Tables across page breaks (issue 13): a page footer and running header between table 3's
rows, and a single page of a multi-page PDF that starts inside table 3 (its heading and
header on the page before): the rows after the break are still read, and only those.

The documents are the 2021 official layout (国办公开办函〔2021〕30号) filled with valid random
numbers and broken the way PDF text and single-page extracts show it.
"""

from __future__ import annotations

import random

import pytest

from gongkai.api import parse_bytes
from helpers import fill_template, valid_cells


def _lines(seed: int) -> tuple[dict, list[str]]:
    cells = valid_cells(random.Random(seed))
    return cells, fill_template("template_2021.tsv.txt", cells).split("\n")


def _at(lines: list[str], label: str) -> int:
    return next(i for i, line in enumerate(lines) if label in line)


@pytest.mark.parametrize(
    "breaker",
    [["", "— 3 —", "", "测试县教育局2023年政府信息公开工作年度报告"], ["第 3 页 共 6 页"], ["- 4 -"]],
    ids=["footer_and_running_header", "page_of_pages", "dash_page_number"],
)
@pytest.mark.parametrize("where", ["(五) 不予处理", "(四) 无法提供", "行政复议"])
def test_page_break_inside_a_table(breaker: list[str], where: str) -> None:
    cells, lines = _lines(4)
    i = _at(lines, where)
    lines[i:i] = breaker
    got = parse_bytes("\n".join(lines).encode("utf-8"), "page.txt").values()
    assert {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v} == {}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("start", ["(三) 不予公开", "(四) 无法提供", "(五) 不予处理"])
def test_page_break_a_page_that_starts_inside_table_3(seed: int, start: str) -> None:
    cells, lines = _lines(seed)
    page = "\n".join([lines[0], *lines[_at(lines, start) :]])  # the title, then the page
    report = parse_bytes(page.encode("utf-8"), "page-3.txt")
    got = report.values()
    wrong = {k: (cells[k], v) for k, v in got.items() if k in cells and v != cells[k]}
    assert wrong == {}
    order = ["withheld", "unavailable", "not_processed", "other", "total_handled", "carried_forward"]
    first = {"(三) 不予公开": "withheld", "(四) 无法提供": "unavailable", "(五) 不予处理": "not_processed"}[start]
    shown = order[order.index(first) :]
    want = [k for k in cells if k.startswith("t4.") or (k.startswith("t3.") and k.split(".")[1] in shown)]
    assert [k for k in want if k not in got] == []
    assert not [k for k in got if k.startswith("t2.")]


@pytest.mark.parametrize(
    "breaker",
    [["", "— 3 —", "", "测试县教育局 2023 年政府信息公开 工作年度报告"], ["第 3 页 共 6 页"], ["- 4 -"], ["2023年政府信息公开工作年度报告"]],
    ids=["footer_and_running_header", "page_of_pages", "dash_page_number", "running_title_with_year"],
)
@pytest.mark.parametrize("before", ["结果维持", "data_row"])
def test_page_break_inside_table_4_between_its_header_and_data_row(breaker: list[str], before: str) -> None:
    # the running title's year and the page number are no cells of table 4's data row
    cells, lines = _lines(5)
    t4 = _at(lines, "四、政府信息公开行政复议")
    header = [i for i in range(t4, len(lines)) if "结果维持" in lines[i]]
    i = header[0] if before == "结果维持" else header[-1] + 1
    lines[i:i] = breaker
    got = parse_bytes("\n".join(lines).encode("utf-8"), "page.txt").values()
    assert {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v} == {}


@pytest.mark.parametrize("seed", range(3))
def test_page_break_a_page_that_starts_at_the_last_rows_of_table_3(seed: int) -> None:
    # the page shows 3.其他, （七）总计 and 四、结转下年度继续办理: 其他 and 总计 are column
    # headers too, but with their numbering they name their rows
    cells, lines = _lines(seed)
    start = next(i for i, line in enumerate(lines) if "3. 其他" in line or "3.其他" in line)
    page = "\n".join([lines[0], "- 5 -", *lines[start:]])
    got = parse_bytes(page.encode("utf-8"), "page-5.txt").values()
    shown = ("t3.other.other.", "t3.total_handled.", "t3.carried_forward.", "t4.")
    want = {k: v for k, v in cells.items() if k.startswith(shown)}
    assert {k: got.get(k, "<absent>") for k in want} == want
    assert [k for k in got if not k.startswith(shown)] == []


def test_page_break_unnumbered_other_and_total_start_no_table() -> None:
    # 其他 / 总计 without numbering are column headers: no run of table 3 starts at them
    page = "某某局2023年政府信息公开工作年度报告\n其他\t1\t2\n总计\t3\t4\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
    got = parse_bytes(page.encode("utf-8"), "page.txt").values()
    assert not [k for k in got if k.startswith("t3.")]
