"""Signed and worded changes in table 2's 本年增/减 column (issue 13): ``增10``, ``减3``,
``+3``, ``-4``, ``新增2``, and the word and count in two pieces (``减 3``).

The table is the 2019 official layout's table 2 (国办公开办函〔2019〕60号), as the
shared seed reports/000 prints it, with the change cells written the ways real pages write them.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_bytes
from gongkai.extract.tokens import worded_change

PAGE = """某某县科学技术局2020年政府信息公开工作年度报告
一、总体情况
2020年我局严格按照《中华人民共和国政府信息公开条例》要求开展工作。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t0\t0\t0
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t12\t{licensing}\t30
其他对外管理服务事项\t5\t{other}\t2
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t40\t{punishment}\t7
行政强制\t9\t{enforcement}\t0
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减\t
行政事业性收费\t3\t{fees}\t
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t0\t0\t
三、收到和处理政府信息公开申请情况
"""


@pytest.mark.parametrize(
    ("written", "value"),
    [("增10", 10), ("减3", -3), ("+3", 3), ("-4", -4), ("新增2", 2), ("减少1", -1), ("增加 6", 6), ("0", 0)],
)
def test_worded_changes_in_table_2(written: str, value: int) -> None:
    text = PAGE.format(licensing=written, other="0", punishment="0", enforcement="0", fees="0")
    r = parse_bytes(text.encode("utf-8"), "changes.txt")
    assert r.format == "2019"
    got = r.values()
    assert got["t2.licensing.change"] == value
    assert (got["t2.licensing.previous"], got["t2.licensing.decisions"]) == (12, 30)


def test_worded_changes_every_row_at_once_and_in_two_pieces() -> None:
    text = PAGE.format(licensing="增10", other="减 3", punishment="新增2", enforcement="-4", fees="减1")
    got = parse_bytes(text.encode("utf-8"), "changes.txt").values()
    assert [got[f"t2.{r}.change"] for r in ("licensing", "other_services", "punishment", "enforcement", "fees")] == [10, -3, 2, -4, -1]
    assert got["t2.other_services.decisions"] == 2 and got["t2.fees.previous"] == 3


@pytest.mark.parametrize("text", ["增加", "减少工作量", "新增10条政策", "增10%", "新制作数量"])
def test_worded_changes_only_a_change_cell(text: str) -> None:
    assert worded_change(text) is None


def test_worded_changes_as_a_piece_of_a_space_separated_row() -> None:
    text = (
        "某某局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n"
        "信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 6 减4 2\n其他对外管理服务事项 0 增3 0\n"
    )
    got = parse_bytes(text.encode("utf-8"), "a.txt").values()
    assert [got[f"t2.licensing.{c}"] for c in ("previous", "change", "decisions")] == [6, -4, 2]
    assert got["t2.other_services.change"] == 3
