"""Table 2 as real pages vary it (issue 13): the 2019 format's table 2 in a later year's
report, with blank cells; a province's extra rows (其他主动公开文件, 规划文件) between the
official ones, read past so the rows after them are still read.

The tables are the official layouts (国办公开办函〔2019〕60号 and 〔2021〕30号) as the shared
seed reports print them; the extra row is the kind provincial templates add.
"""

from __future__ import annotations

import random

import pytest

from gongkai.api import parse_bytes
from helpers import fill_template, valid_cells

T2_2019 = """第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t3
规范性文件\t2\t2\t15
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t12\t/\t30
其他对外管理服务事项\t5\t0\t2
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t40\t\t7
行政强制\t9\t-1\t0
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减\t
行政事业性收费\t3\t0\t
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t4\t120.5\t"""

WANT_2019 = {
    "t2.regulations.made": 0, "t2.regulations.published": 0, "t2.regulations.total_published": 3,
    "t2.normative_docs.made": 2, "t2.normative_docs.published": 2, "t2.normative_docs.total_published": 15,
    "t2.licensing.previous": 12, "t2.licensing.change": None, "t2.licensing.decisions": 30,
    "t2.other_services.previous": 5, "t2.other_services.change": 0, "t2.other_services.decisions": 2,
    "t2.punishment.previous": 40, "t2.punishment.change": None, "t2.punishment.decisions": 7,
    "t2.enforcement.previous": 9, "t2.enforcement.change": -1, "t2.enforcement.decisions": 0,
    "t2.fees.previous": 3, "t2.fees.change": 0, "t2.procurement.items": 4,
}  # fmt: skip


def _with_t2(lines: list[str], t2: str) -> str:
    a = next(i for i, line in enumerate(lines) if line.startswith("第二十条第（一）项"))
    b = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    return "\n".join(lines[:a] + t2.split("\n") + [""] + lines[b:])


@pytest.mark.parametrize("seed", range(3))
def test_table2_2019_format_in_a_later_year(seed: int) -> None:
    cells = valid_cells(random.Random(seed))
    text = _with_t2(fill_template("template_2021.tsv.txt", cells).split("\n"), T2_2019)
    r = parse_bytes(text.encode("utf-8"), "x.txt")
    assert r.report_year == 2023 and r.format == "2019"
    got = r.values()
    assert {k: got.get(k, "<absent>") for k in WANT_2019} == WANT_2019
    assert str(got["t2.procurement.amount"]) == "120.5"
    assert "FORMAT_YEAR" in {f.rule for f in r.findings}
    # tables 3 and 4 keep the 2021 layout they are written in
    assert {k: got.get(k) for k in cells if k.startswith(("t3.", "t4."))} == {
        k: v for k, v in cells.items() if k.startswith(("t3.", "t4."))
    }


@pytest.mark.parametrize("extra", ["其他主动公开文件\t12\t3\t40", "规划文件\t1\t0\t6", "政府集中采购项目\t2\t\t"])
def test_table2_provincial_extra_rows(extra: str) -> None:
    cells = valid_cells(random.Random(7))
    lines = fill_template("template_2021.tsv.txt", cells).split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("行政规范性文件"))
    lines.insert(i + 1, extra)
    got = parse_bytes("\n".join(lines).encode("utf-8"), "x.txt").values()
    assert {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v} == {}
