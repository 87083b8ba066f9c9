"""The official table layouts (国办公开办函〔2019〕60号 and〔2021〕30号) with their merged
cells, as data, and writers that render a report in that layout to HTML and DOCX.

Test helper only: the reader tests put known cells in and expect exactly them back.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class C:
    """One source cell: a label (text) or a value (key of the cell it holds)."""

    text: str = ""
    key: str | None = None
    rs: int = 1
    cs: int = 1


def K(key: str, cs: int = 1) -> C:
    return C(key=key, cs=cs)


T3_COLS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
T4_KEYS = tuple(
    f"t4.{g}.{c}"
    for g in ("review", "litigation_direct", "litigation_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
)
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t2_table(fmt: str) -> list[list[C]]:
    if fmt == "2021":
        return [
            [C("第二十条第（一）项", cs=4)],
            [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
            [C("规章")] + [K(f"t2.regulations.{c}") for c in ("issued", "repealed", "in_force")],
            [C("行政规范性文件")] + [K(f"t2.normative_docs.{c}") for c in ("issued", "repealed", "in_force")],
            [C("第二十条第（五）项", cs=4)],
            [C("信息内容"), C("本年处理决定数量", cs=3)],
            [C("行政许可"), K("t2.licensing.decisions", cs=3)],
            [C("第二十条第（六）项", cs=4)],
            [C("信息内容"), C("本年处理决定数量", cs=3)],
            [C("行政处罚"), K("t2.punishment.decisions", cs=3)],
            [C("行政强制"), K("t2.enforcement.decisions", cs=3)],
            [C("第二十条第（八）项", cs=4)],
            [C("信息内容"), C("本年收费金额（单位：万元）", cs=3)],
            [C("行政事业性收费"), K("t2.fees.amount", cs=3)],
        ]
    three = ("previous", "change", "decisions")
    return [
        [C("第二十条第（一）项", cs=4)],
        [C("信息内容"), C("本年新\n制作数量"), C("本年新\n公开数量"), C("对外公开总数量")],
        [C("规章")] + [K(f"t2.regulations.{c}") for c in ("made", "published", "total_published")],
        [C("规范性文件")] + [K(f"t2.normative_docs.{c}") for c in ("made", "published", "total_published")],
        [C("第二十条第（五）项", cs=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政许可")] + [K(f"t2.licensing.{c}") for c in three],
        [C("其他对外管理服务事项")] + [K(f"t2.other_services.{c}") for c in three],
        [C("第二十条第（六）项", cs=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政处罚")] + [K(f"t2.punishment.{c}") for c in three],
        [C("行政强制")] + [K(f"t2.enforcement.{c}") for c in three],
        [C("第二十条第（八）项", cs=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("")],
        [C("行政事业性收费"), K("t2.fees.previous"), K("t2.fees.change"), C("")],
        [C("第二十条第（九）项", cs=4)],
        [C("信息内容"), C("采购项目数量"), C("采购总金额", cs=2)],
        [C("政府集中采购"), K("t2.procurement.items"), K("t2.procurement.amount", cs=2)],
    ]


def _t3_values(row: str) -> list[C]:
    return [K(f"t3.{row}.{c}") for c in T3_COLS]


def t3_table(fmt: str, flat: bool = False) -> list[list[C]]:
    """``flat``: header cells repeated as empty cells in the rows below instead of
    rowspans, as many sites' editors produce them."""
    other = (
        [
            [
                C("（六）其他处理", rs=3),
                C("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
                *_t3_values("other.no_correction"),
            ],
            [C("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), *_t3_values("other.unpaid_fee")],
            [C("3.其他"), *_t3_values("other.other")],
        ]
        if fmt == "2021"
        else [[C("（六）其他处理", cs=2), *_t3_values("other")]]
    )
    withheld = [
        ("state_secret", "1.属于国家秘密"),
        ("prohibited_by_law", "2.其他法律行政法规禁止公开"),
        ("security_stability", "3.危及“三安全一稳定”"),
        ("third_party", "4.保护第三方合法权益"),
        ("internal_affairs", "5.属于三类内部事务信息"),
        ("process_info", "6.属于四类过程性信息"),
        ("enforcement_file", "7.属于行政执法案卷"),
        ("inquiry", "8.属于行政查询事项"),
    ]
    unavailable = [
        ("not_held", "1.本机关不掌握相关政府信息"),
        ("needs_creation", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"),
    ]
    not_processed = [
        ("petition", "1.信访举报投诉类申请"),
        ("duplicate", "2.重复申请"),
        ("publication", "3.要求提供公开出版物"),
        ("excessive", "4.无正当理由大量反复申请"),
        ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ]
    heads = [C("商业\n企业"), C("科研\n机构"), C("社会公益组织"), C("法律服务机构"), C("其他")]
    rows: list[list[C]] = [
        [C(NOTE, rs=3, cs=3), C("申请人情况", cs=7)],
        [C("自然人", rs=1 if flat else 2), C("法人或其他组织", cs=5), C("总计", rs=1 if flat else 2)],
        [C(""), *heads, C("")] if flat else heads,
        [C("一、本年新收政府信息公开申请数量", cs=3), *_t3_values("received")],
        [C("二、上年结转政府信息公开申请数量", cs=3), *_t3_values("carried_over")],
        [C("三、本年度办理结果", rs=22 if fmt == "2021" else 20), C("（一）予以公开", cs=2), *_t3_values("disclosed")],
        [C("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", cs=2), *_t3_values("partially_disclosed")],
    ]
    for group, items in (("（三）不予公开", withheld), ("（四）无法提供", unavailable), ("（五）不予处理", not_processed)):
        prefix = group[1]
        key = {"三": "withheld", "四": "unavailable", "五": "not_processed"}[prefix]
        for i, (sub, label) in enumerate(items):
            head = [C(group, rs=len(items))] if i == 0 else []
            rows.append([*head, C(label), *_t3_values(f"{key}.{sub}")])
    rows += other
    rows.append([C("（七）总计", cs=2), *_t3_values("total_handled")])
    rows.append([C("四、结转下年度继续办理", cs=3), *_t3_values("carried_forward")])
    return rows


def t4_table(flat: bool = False) -> list[list[C]]:
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [C("行政复议", cs=5), C("行政诉讼", cs=10)],
        [C(t, rs=1 if flat else 2) for t in five] + [C("未经复议直接起诉", cs=5), C("复议后起诉", cs=5)],
        ([C("")] * 5 if flat else []) + [C(t) for t in five * 2],
        [K(k) for k in T4_KEYS],
    ]


def keys(fmt: str) -> list[str]:
    out = []
    for table in (t2_table(fmt), t3_table(fmt), t4_table()):
        for row in table:
            out.extend(c.key for c in row if c.key)
    return out


def consistent_cells(fmt: str, seed: int = 1) -> dict[str, int | None]:
    """Distinct-looking numbers that satisfy the table identities (so nothing is 'repaired')."""
    rnd = random.Random(seed)
    cells: dict[str, int | None] = {k: rnd.randint(0, 40) for k in keys(fmt) if k.startswith("t2.")}
    t3_rows = [k.split(".", 1)[1].rsplit(".", 1)[0] for k in keys(fmt) if k.startswith("t3.") and k.endswith(".total")]
    outcomes = [r for r in t3_rows if r not in ("received", "carried_over", "total_handled", "carried_forward")]
    for col in T3_COLS[:-1]:
        per = {r: rnd.randint(0, 9) for r in outcomes}
        handled = sum(per.values())
        fwd = rnd.randint(0, 5)
        carried = rnd.randint(0, min(handled + fwd, 6))
        per.update(total_handled=handled, carried_forward=fwd, carried_over=carried, received=handled + fwd - carried)
        for r, v in per.items():
            cells[f"t3.{r}.{col}"] = v
    for r in t3_rows:
        cells[f"t3.{r}.total"] = sum(cells[f"t3.{r}.{c}"] for c in T3_COLS[:-1])  # type: ignore[misc]
    for g in ("review", "litigation_direct", "litigation_after_review"):
        parts = [rnd.randint(0, 6) for _ in range(4)]
        for c, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"t4.{g}.{c}"] = v
        cells[f"t4.{g}.total"] = sum(parts)
    return cells


def has_t4(cells: dict) -> bool:
    return any(k.startswith("t4.") for k in cells)


# ------------------------------------------------------------------ HTML
def _html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


def html_table(rows: list[list[C]], cells: dict, blank: str = "&nbsp;") -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0">']
    for row in rows:
        out.append("<tr>")
        for c in row:
            attrs = (f' rowspan="{c.rs}"' if c.rs > 1 else "") + (f' colspan="{c.cs}"' if c.cs > 1 else "")
            if c.key:
                v = cells.get(c.key)
                body = blank if v is None else f"<p><span>{v}</span></p>"
            else:
                body = _html_text(c.text) if c.text else "&nbsp;"
            out.append(f"<td{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


SECTION_HEADS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


@dataclass
class ReportSpec:
    body: str
    year: int
    fmt: str
    cells: dict
    overview: list[str]
    problems: list[str]
    other: list[str]
    date: str = "2022年1月20日"


def soup_table(rows: list[list[C]], cells: dict) -> str:
    """The table written without <table>: one <p> per cell, as many CMS editors leave it."""
    out = []
    for row in rows:
        for c in row:
            if c.key:
                v = cells.get(c.key)
                out.append(f"<p>{'/' if v is None else v}</p>")
            elif c.text:
                out.append(f"<p>{_html_text(c.text)}</p>")
    return "\n".join(out)


def report_html_body(r: ReportSpec, blank: str = "&nbsp;", soup: bool = False, flat: bool = False) -> str:
    p = lambda t: f"<p>{html.escape(t)}</p>"  # noqa: E731
    parts = [f'<h1 class="title">{r.body}{r.year}年政府信息公开工作年度报告</h1>']
    parts.append(p(f"本报告所列数据的统计期限自{r.year}年1月1日起至{r.year}年12月31日止。"))
    parts.append(p(SECTION_HEADS[0]))
    parts += [p(t) for t in r.overview]
    parts.append(p(SECTION_HEADS[1]))
    table = (lambda rows: soup_table(rows, r.cells)) if soup else (lambda rows: html_table(rows, r.cells, blank))
    parts.append(table(t2_table(r.fmt)))
    parts.append(p(SECTION_HEADS[2]))
    parts.append(table(t3_table(r.fmt, flat)))
    parts.append(p(SECTION_HEADS[3]))
    if has_t4(r.cells):
        parts.append(table(t4_table(flat)))
    parts.append(p(SECTION_HEADS[4]))
    parts += [p(t) for t in r.problems]
    parts.append(p(SECTION_HEADS[5]))
    parts += [p(t) for t in r.other]
    parts.append(f'<p style="text-align:right">{r.body}</p><p style="text-align:right">{r.date}</p>')
    return "\n".join(parts)


def report_html(r: ReportSpec, charset: str = "utf-8", blank: str = "&nbsp;", soup: bool = False) -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{r.body}{r.year}年政府信息公开工作年度报告</title></head>\n<body>\n"
        + report_html_body(r, blank, soup)
        + "\n</body></html>\n"
    )


# ------------------------------------------------------------------ DOCX
def docx_table(document, rows: list[list[C]], cells: dict, blank: str = ""):  # type: ignore[no-untyped-def]
    """The table with python-docx's own merges (gridSpan, vMerge), as Word writes them."""
    width = sum(c.cs for c in rows[0])
    table = document.add_table(rows=len(rows), cols=width)
    # table.cell() recomputes the whole grid on every call; the cells fetched once stay
    # valid because no two merges overlap
    grid = table._cells
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        col = 0
        for c in row:
            while (r, col) in taken:
                col += 1
            for dr in range(c.rs):
                for dc in range(c.cs):
                    taken.add((r + dr, col + dc))
            cell = grid[r * width + col]
            if c.rs > 1 or c.cs > 1:
                cell = cell.merge(grid[(r + c.rs - 1) * width + col + c.cs - 1])
            if c.key:
                v = cells.get(c.key)
                text = blank if v is None else str(v)
            else:
                text = c.text
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
            col += c.cs
    return table


def report_docx(r: ReportSpec, path, blank: str = "") -> None:  # type: ignore[no-untyped-def]
    import docx

    d = docx.Document()
    d.add_paragraph(f"{r.body}{r.year}年政府信息公开工作年度报告")
    d.add_paragraph(f"本报告所列数据的统计期限自{r.year}年1月1日起至{r.year}年12月31日止。")
    d.add_paragraph(SECTION_HEADS[0])
    for t in r.overview:
        d.add_paragraph(t)
    d.add_paragraph(SECTION_HEADS[1])
    docx_table(d, t2_table(r.fmt), r.cells, blank)
    d.add_paragraph(SECTION_HEADS[2])
    docx_table(d, t3_table(r.fmt), r.cells, blank)
    d.add_paragraph(SECTION_HEADS[3])
    if has_t4(r.cells):
        docx_table(d, t4_table(), r.cells, blank)
    d.add_paragraph(SECTION_HEADS[4])
    for t in r.problems:
        d.add_paragraph(t)
    d.add_paragraph(SECTION_HEADS[5])
    for t in r.other:
        d.add_paragraph(t)
    d.add_paragraph(r.body)
    d.add_paragraph(r.date)
    d.save(str(path))
