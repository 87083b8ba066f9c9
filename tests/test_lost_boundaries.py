"""Lost cell boundaries (issue 13): pages whose text runs a row's cells together
(``一、本年新收政府信息公开申请数量3520000037`` is 35 / 2 / 0 / 0 / 0 / 0 / 37). The row's own
identities fix the split; where several splits satisfy every identity the cells stay absent
with a finding. Never a wrong number.

The documents are the 2021 official layout (国办公开办函〔2021〕30号) filled with valid random
numbers, then run together the way pages that lost their table's cell boundaries show them:
a row's label and digits in one string, or the digits alone on the row.
"""

from __future__ import annotations

import random

import pytest

from gongkai.api import parse_bytes
from gongkai.domain.labels import T4_KEYS
from gongkai.domain.rules import identities
from gongkai.extract.runs import is_run_row, only_split, split_runs
from gongkai.extract.tokens import Token
from gongkai.model import Origin
from helpers import fill_template, valid_cells


def glue(text: str, with_label: bool) -> str:
    """Every table-3 and table-4 row's numbers run together (onto its label, or alone)."""
    out = []
    for line in text.split("\n"):
        f = line.split("\t")
        k = len(f)
        while k > 0 and f[k - 1].strip().isdigit():
            k -= 1
        if len(f) - k >= 7:
            head = [x for x in f[:k] if x.strip()]
            run = "".join(f[k:])
            line = "\t".join([*head[:-1], head[-1] + run] if head and with_label else [*head, run])
        out.append(line)
    return "\n".join(out)


def _tok(text: str) -> Token:
    return Token("value", text, 0, Origin(), int(text))


T3_RECEIVED = tuple(f"t3.received.{c}" for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"))


def test_lost_boundaries_the_row_total_fixes_the_split() -> None:
    splits = split_runs([_tok("352000037")], T3_RECEIVED, identities("2021"))
    assert splits is not None
    assert [[t.value for t in s] for s in splits] == [[35, 2, 0, 0, 0, 0, 37]]


def test_lost_boundaries_several_splits_are_all_kept_for_the_columns_to_choose() -> None:
    # 1/10/0/0/0/0/11 and 11/0/0/0/0/0/11 both add up: the column identities must choose
    splits = split_runs([_tok("110000011")], T3_RECEIVED, identities("2021"))
    assert splits is not None
    got = {tuple(t.value for t in s) for s in splits}
    assert got == {(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)}


def test_lost_boundaries_no_split_means_absent() -> None:
    assert split_runs([_tok("9999999")], T3_RECEIVED, identities("2021")) == []
    assert split_runs([_tok("3520000037")], T3_RECEIVED, identities("2021")) == []  # no cut adds up


def test_lost_boundaries_a_row_with_one_cell_lost_is_not_a_run() -> None:
    assert not is_run_row([_tok(x) for x in "1 0 0 0 0 12".split()], 7)
    assert not is_run_row([_tok(x) for x in "84 96 483".split()], 7)  # blank cells dropped, not run together
    assert not is_run_row([_tok("000000")], 7)  # fewer digits than columns
    assert is_run_row([_tok("0000000")], 7)
    assert is_run_row([_tok("000000000000000")], 15)


def test_lost_boundaries_table_4_groups() -> None:
    splits = split_runs([_tok("210030000000000")], T4_KEYS, identities("2021"))
    assert splits is not None
    assert [[t.value for t in s] for s in splits] == [[2, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]


@pytest.mark.parametrize("with_label", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_lost_boundaries_tables_3_and_4_never_wrong(seed: int, with_label: bool) -> None:
    cells = valid_cells(random.Random(seed))
    report = parse_bytes(glue(fill_template("template_2021.tsv.txt", cells), with_label).encode("utf-8"), "glued.txt")
    got = report.values()
    keys = [k for k in cells if k.startswith(("t3.", "t4."))]
    wrong = {k: (cells[k], got[k]) for k in keys if k in got and got[k] != cells[k]}
    assert wrong == {}
    read = sum(1 for k in keys if k in got)
    assert read >= 0.9 * len(keys)
    absent = [k for k in keys if k not in got]
    if absent:
        flagged = {c for f in report.findings if f.severity != "info" for c in f.cells}
        assert set(absent) <= flagged
    assert "LOST_BOUNDARIES_SPLIT" in {f.rule for f in report.findings}


def test_lost_boundaries_small_counts_read_whole() -> None:
    # the common real page: small counts, most of them zero
    rng = random.Random(5)
    cells = valid_cells(rng)
    text = fill_template("template_2021.tsv.txt", cells)
    report = parse_bytes(glue(text, True).encode("utf-8"), "glued.txt")
    assert report.values()["t3.received.total"] == cells["t3.received.total"]


@pytest.mark.parametrize(
    ("digits", "n", "cut"),
    [
        ("000", 3, (0, 0, 0)),
        ("00", 2, (0, 0)),
        ("0012", 3, (0, 0, 12)),  # 0 / 0 / 12: 0 / 012 and 00 / 12 have leading zeros
        ("105", 3, None),  # 1 / 0 / 5, or 10 / 5 with a blank cell lost
        ("1000", 3, None),  # 10 / 0 / 0, or 1000 alone
        ("0000", 3, None),  # no cut without a leading zero
        ("00", 3, None),  # too few digits
    ],
)
def test_lost_boundaries_table_2_run_cut_one_way_only(digits: str, n: int, cut: tuple | None) -> None:
    # table 2 has no identity to check a cut by: a run is read only where no other cut, of
    # the row's cells or fewer (a blank lost with the boundaries), is free of leading zeros
    assert only_split(digits, n) == cut


def test_lost_boundaries_table_2_rows_run_onto_their_labels() -> None:
    text = (
        "2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容本年制发件数本年废止件数现行有效件数\n"
        "规章000\n行政规范性文件0012\n第二十条第（五）项\n行政许可105\n第二十条第（八）项\n行政事业性收费0\n"
    )
    got = parse_bytes(text.encode("utf-8"), "t2.txt").values()
    assert [got[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [got[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 12]
    assert (got["t2.licensing.decisions"], got["t2.fees.amount"]) == (105, 0)  # one cell: the run is it


T4_PAGE = """某某县教育局2023年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
{row}
五、存在的主要问题及改进情况
"""


@pytest.mark.parametrize(
    ("row", "read"),
    [
        ("/////370223213004", [3, 7, 0, 22, 32, 1, 3, 0, 0, 4]),
        ("/ / / / / 370223213004", [3, 7, 0, 22, 32, 1, 3, 0, 0, 4]),
        ("//////////13004", [None] * 5 + [1, 3, 0, 0, 4]),
    ],
)
def test_lost_boundaries_table_4_after_blank_marks(row: str, read: list[int | None]) -> None:
    # 行政复议's five cells blank (/), the ten after them run together: the blanks, then the
    # group totals cut the run (3/7/0/22/32, 1/3/0/0/4: no other cut satisfies them)
    report = parse_bytes(T4_PAGE.format(row=row).encode("utf-8"), "t4.txt")
    got = report.values()
    assert [got.get(k, "<absent>") for k in T4_KEYS] == [None] * 5 + read
    assert [f.rule for f in report.findings if f.table == "t4"] == ["LOST_BOUNDARIES_SPLIT"]


def test_lost_boundaries_table_4_after_blank_marks_ambiguous_group() -> None:
    # 复议后起诉 2250027 is 2/25/0/0/27 or 22/5/0/0/27 (both sum to 27): those two cells stay
    # absent with a finding; the rest of the run is still cut (3/7/0/22/32, then 0, 0, 27)
    report = parse_bytes(T4_PAGE.format(row="/////37022322250027").encode("utf-8"), "t4.txt")
    got = report.values()
    assert [got.get(k, "<absent>") for k in T4_KEYS] == [None] * 5 + [3, 7, 0, 22, 32, "<absent>", "<absent>", 0, 0, 27]
    ambiguous = [f for f in report.findings if f.rule == "AMBIGUOUS_LAYOUT"]
    assert [f.cells for f in ambiguous] == [["t4.litigation_after_review.corrected", "t4.litigation_after_review.upheld"]]


def test_lost_boundaries_table_4_one_cell_after_blank_marks_is_no_run() -> None:
    # fourteen blank marks glued to the total: the plain reading, no split, no finding
    report = parse_bytes(T4_PAGE.format(row="//////////////5").encode("utf-8"), "t4.txt")
    assert report.values()["t4.litigation_after_review.total"] == 5
    assert [f.rule for f in report.findings if f.table == "t4"] == []


@pytest.mark.parametrize("row", ["/////3702232225002", "——————————37022322250027", "/////370223222500270000"])
def test_lost_boundaries_table_4_after_blank_marks_never_a_guess(row: str) -> None:
    # no split satisfies the group totals, dashes (one cell may be ——), too many digits:
    # table 4 stays unread
    got = parse_bytes(T4_PAGE.format(row=row).encode("utf-8"), "t4.txt").values()
    assert [k for k in got if k.startswith("t4.") and got[k] is not None] == []
