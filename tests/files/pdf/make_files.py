"""Regenerate the PDF and image fixtures of tests/test_read_pdf.py and tests/test_read_image.py.

    .venv/bin/python tests/files/pdf/make_files.py      (needs reportlab and pypdfium2)

The PDFs use reportlab's built-in STSong-Light (a CID font that is not embedded: the text
layer is complete, which is all the text tests need, and the files stay a few KB). The
scan fixture embeds a subset of a system CJK TrueType font so that it renders anywhere.

* ``report-ruled.pdf``: a whole 2021-format report, tables drawn with rules, T3 split
  across a page break inside （四）无法提供 (its label cut in two), a wrapped
  （二）部分公开 label, the 三、本年度办理结果 group set one character per line, page numbers
  ("- 1 -") and a running header on every page;
* ``report-unruled.pdf``: the same report with no rules at all: labels wrap above and below
  the numbers of their row;
* ``report-sideways.pdf``: the ruled report set on landscape frames turned onto portrait
  pages (its text runs up the page);
* ``encrypted.pdf``: a user password is needed to open it;
* ``scan-t3.png``: table 3 of the ruled report, rendered at 150 dpi (greyscale);
* ``screenshot.pdf``: a text page with ``scan-t3.png`` pasted in as a picture.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
W, H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 72.0, 523.0, 70.0, 780.0  # text area, top-down
FONT = "STSong-Light"

T3_ROWS: list[tuple[str, str | None, str | None, list[int | None]]] = [
    # (group label, subgroup label, item label, values; None: an empty cell)
    ("一、本年新收政府信息公开申请数量", None, None, [95, 3, 0, 0, 1, 0, 99]),
    ("二、上年结转政府信息公开申请数量", None, None, [2, 0, 0, 0, 0, 0, 2]),
    ("三、本年度办理结果", "（一）予以公开", None, [50, 1, 0, 0, 1, 0, 52]),
    ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, [9, 0, 0, 0, 0, 0, 9]),
    ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", [2, 0, 0, 0, 0, 0, 2]),
    ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项", [3, 0, 0, 0, 0, 0, 3]),
    ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息", [20, 1, 0, 0, 0, 0, 21]),
    ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请", [2, 0, 0, 0, 0, 0, 2]),
    ("三、本年度办理结果", "（五）不予处理", "2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物", [3, None, None, None, None, None, 3]),
    ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [3, 0, 0, 0, 0, 0, 3],
    ),
    (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    ("三、本年度办理结果", "（六）其他处理", "3.其他", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果", "（七）总计", None, [97, 2, 0, 0, 1, 0, 100]),
    ("四、结转下年度继续办理", None, None, [0, 1, 0, 0, 0, 0, 1]),
]
T3_KEYS = [
    "received",
    "carried_over",
    "disclosed",
    "partially_disclosed",
    "withheld.state_secret",
    "withheld.prohibited_by_law",
    "withheld.security_stability",
    "withheld.third_party",
    "withheld.internal_affairs",
    "withheld.process_info",
    "withheld.enforcement_file",
    "withheld.inquiry",
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.unclear",
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
    "other.no_correction",
    "other.unpaid_fee",
    "other.other",
    "total_handled",
    "carried_forward",
]
T3_COLS = ["natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
T4_VALUES = [3, 1, 0, 1, 5, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1]
T4_KEYS = [
    f"t4.{g}.{c}"
    for g in ("review", "litigation_direct", "litigation_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]
T2 = {
    "t2.regulations.issued": 0,
    "t2.regulations.repealed": 0,
    "t2.regulations.in_force": 2,
    "t2.normative_docs.issued": 5,
    "t2.normative_docs.repealed": 1,
    "t2.normative_docs.in_force": 37,
    "t2.licensing.decisions": 1520,
    "t2.punishment.decisions": 312,
    "t2.enforcement.decisions": 8,
    "t2.fees.amount": 12.5,
}


def expected_cells() -> dict[str, float | None]:
    """The cells a parser must read from the generated reports."""
    out: dict[str, float | None] = dict(T2)
    for key, (_, _, _, vals) in zip(T3_KEYS, T3_ROWS, strict=True):
        for col, v in zip(T3_COLS, vals, strict=True):
            out[f"t3.{key}.{col}"] = v
    out.update(zip(T4_KEYS, T4_VALUES, strict=True))
    return out


# ---------------------------------------------------------------------- a tiny page writer
@dataclass
class Cell:
    r0: int
    r1: int
    c0: int
    c1: int
    text: str
    size: float = 9.0


class Writer:
    """Top-down page writer over a reportlab canvas, with page numbers and a running header."""

    def __init__(self, font: str = FONT, ruled: bool = True, encrypt: object = None, sideways: bool = False) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        if font == "STSong-Light":
            pdfmetrics.registerFont(UnicodeCIDFont(font))
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=(W, H), encrypt=encrypt, invariant=1)
        self.font = font
        self.ruled = ruled
        # sideways: a landscape frame drawn turned on portrait pages (text runs up the page)
        self.sideways = sideways
        self.fw, self.fh = (H, W) if sideways else (W, H)
        self.bottom = self.fh - (H - BOTTOM)
        self.page = 1
        self.y = TOP
        self._chrome()

    def _chrome(self) -> None:
        if self.sideways:
            self.c.translate(W, 0)
            self.c.rotate(90)
        self.text(self.fw / 2, 40, "某某县人民政府办公室", 8, center=True)
        self.text(self.fw / 2, self.fh - 30, f"- {self.page} -", 9, center=True)

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = TOP
        self._chrome()

    def text(self, x: float, top: float, s: str, size: float, center: bool = False) -> None:
        self.c.setFont(self.font, size)
        base = self.fh - top - size * 0.88
        if center:
            self.c.drawCentredString(x, base, s)
        else:
            self.c.drawString(x, base, s)

    def para(self, s: str, size: float = 12, indent: bool = True, center: bool = False) -> None:
        per_line = int((RIGHT - LEFT) / size)
        first = "\u3000\u3000" + s if indent else s
        lines = [first[i : i + per_line] for i in range(0, len(first), per_line)]
        for ln in lines:
            if self.y + size * 1.6 > self.bottom:
                self.new_page()
            self.text(self.fw / 2 if center else LEFT, self.y, ln, size, center=center)
            self.y += size * 1.6

    def table(
        self,
        widths: list[float],
        heights: list[float],
        cells: list[Cell],
        break_before: int | None = None,
        cut: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        """Draw a grid table; rows go on to the next page when they do not fit, or at
        ``break_before``. ``cut``: a label cut by the page break -> (first part, rest)."""
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        r = 0
        while r < len(heights):
            start = r
            ys = [self.y]
            while r < len(heights) and ys[-1] + heights[r] <= self.bottom and (r != break_before or r == start):
                ys.append(ys[-1] + heights[r])
                r += 1
            self._draw_part(xs, ys, start, r, cells, cut or {})
            self.y = ys[-1] + 14
            if r < len(heights):
                self.new_page()

    def _draw_part(
        self, xs: list[float], ys: list[float], a: int, b: int, cells: list[Cell], cut: dict[str, tuple[str, str]]
    ) -> None:
        for cell in cells:
            r0, r1 = max(cell.r0, a), min(cell.r1, b)
            if r0 >= r1:
                continue
            x0, x1 = xs[cell.c0], xs[cell.c1]
            top, bottom = ys[r0 - a], ys[r1 - a]
            if self.ruled:
                self.c.setLineWidth(0.5)
                self.c.rect(x0, self.fh - bottom, x1 - x0, bottom - top)
            text = cell.text
            if cell.r0 < a:
                text = cut[cell.text][1] if cell.text in cut else ""
            elif cell.r1 > b and cell.text in cut:
                text = cut[cell.text][0]
            self._cell_text(x0, top, x1, bottom, text, cell.size)

    def _cell_text(self, x0: float, top: float, x1: float, bottom: float, text: str, size: float) -> None:
        if not text:
            return
        per_line = max(1, int((x1 - x0 - 4) / size))
        lines = [text[i : i + per_line] for i in range(0, len(text), per_line)]
        block = len(lines) * size * 1.25
        y = top + (bottom - top - block) / 2 + size * 0.12
        for ln in lines:
            self.text((x0 + x1) / 2, y, ln, size, center=True)
            y += size * 1.25

    def save(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


# ---------------------------------------------------------------------- the report
def _t2(wr: Writer) -> None:
    widths = [140, 104, 104, 103]
    heights = [22] * 12
    cells = [
        Cell(0, 1, 0, 4, "第二十条第（一）项"),
        Cell(1, 2, 0, 1, "信息内容"),
        Cell(1, 2, 1, 2, "本年制发件数"),
        Cell(1, 2, 2, 3, "本年废止件数"),
        Cell(1, 2, 3, 4, "现行有效件数"),
        Cell(2, 3, 0, 1, "规章"),
        Cell(2, 3, 1, 2, "0"),
        Cell(2, 3, 2, 3, "0"),
        Cell(2, 3, 3, 4, "2"),
        Cell(3, 4, 0, 1, "行政规范性文件"),
        Cell(3, 4, 1, 2, "5"),
        Cell(3, 4, 2, 3, "1"),
        Cell(3, 4, 3, 4, "37"),
        Cell(4, 5, 0, 4, "第二十条第（五）项"),
        Cell(5, 6, 0, 1, "信息内容"),
        Cell(5, 6, 1, 4, "本年处理决定数量"),
        Cell(6, 7, 0, 1, "行政许可"),
        Cell(6, 7, 1, 4, "1520"),
        Cell(7, 8, 0, 4, "第二十条第（六）项"),
        Cell(8, 9, 0, 1, "信息内容"),
        Cell(8, 9, 1, 4, "本年处理决定数量"),
        Cell(9, 10, 0, 1, "行政处罚"),
        Cell(9, 10, 1, 4, "312"),
        Cell(10, 11, 0, 1, "行政强制"),
        Cell(10, 11, 1, 4, "8"),
        Cell(11, 12, 0, 4, "第二十条第（八）项"),
    ]
    wr.table(widths, heights, cells)
    wr.table(
        widths,
        [22, 22],
        [
            Cell(0, 1, 0, 1, "信息内容"),
            Cell(0, 1, 1, 4, "本年收费金额（单位：万元）"),
            Cell(1, 2, 0, 1, "行政事业性收费"),
            Cell(1, 2, 1, 4, "12.5"),
        ],
    )


def _t3(wr: Writer) -> None:
    widths = [22, 50, 127] + [36] * 6 + [36]
    n = len(T3_ROWS)
    heights = [24, 24, 36] + [22] * n
    heights[3 + 3] = 34  # （二）部分公开 wraps onto a second line
    for i in (20, 21):
        if i < n:
            heights[3 + i] = 34
    cells = [
        Cell(0, 3, 0, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 8),
        Cell(0, 1, 3, 10, "申请人情况"),
        Cell(1, 3, 3, 4, "自然人"),
        Cell(1, 2, 4, 9, "法人或其他组织"),
        Cell(1, 3, 9, 10, "总计"),
        Cell(2, 3, 4, 5, "商业企业", 8),
        Cell(2, 3, 5, 6, "科研机构", 8),
        Cell(2, 3, 6, 7, "社会公益组织", 8),
        Cell(2, 3, 7, 8, "法律服务机构", 8),
        Cell(2, 3, 8, 9, "其他", 8),
    ]
    groups: dict[str, list[int]] = {}
    subgroups: dict[str, list[int]] = {}
    for i, (g, sg, item, vals) in enumerate(T3_ROWS):
        r = 3 + i
        if sg is None:
            cells.append(Cell(r, r + 1, 0, 3, g))
        else:
            groups.setdefault(g, []).append(r)
            if item is None:
                cells.append(Cell(r, r + 1, 1, 3, sg))
            else:
                subgroups.setdefault(sg, []).append(r)
                cells.append(Cell(r, r + 1, 2, 3, item, 8))
        cells.extend(Cell(r, r + 1, 3 + k, 4 + k, "" if v is None else str(v)) for k, v in enumerate(vals))
    for g, rs in groups.items():
        cells.append(Cell(rs[0], rs[-1] + 1, 0, 1, g))
    for sg, rs in subgroups.items():
        cells.append(Cell(rs[0], rs[-1] + 1, 1, 2, sg))
    wr.table(
        widths,
        heights,
        cells,
        break_before=3 + 13 if len(T3_ROWS) > 13 + 2 else None,
        cut={"（四）无法提供": ("（四）无", "法提供")},
    )


def _t4(wr: Writer) -> None:
    widths = [30] * 15
    cells = [
        Cell(0, 1, 0, 5, "行政复议"),
        Cell(0, 1, 5, 15, "行政诉讼"),
        Cell(1, 2, 5, 10, "未经复议直接起诉"),
        Cell(1, 2, 10, 15, "复议后起诉"),
    ]
    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells.extend(Cell(1, 3, k, k + 1, names[k], 8) for k in range(5))
    cells.extend(Cell(2, 3, 5 + k, 6 + k, names[k % 5], 8) for k in range(10))
    cells.extend(Cell(3, 4, k, k + 1, str(v)) for k, v in enumerate(T4_VALUES))
    wr.table(widths, [22, 22, 34, 22], cells)


def report(ruled: bool, sideways: bool = False) -> bytes:
    wr = Writer(ruled=ruled, sideways=sideways)
    wr.para("某某县人民政府", 18, indent=False, center=True)
    wr.para("2023年政府信息公开工作年度报告", 18, indent=False, center=True)
    wr.para("本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为2023年1月1日至12月31日。")
    wr.para("一、总体情况", indent=False)
    wr.para("2023年，我县认真贯彻落实《条例》，全年主动公开政府信息1200条，受理政府信息公开申请99件。" * 3)
    wr.para("二、主动公开政府信息情况", indent=False)
    _t2(wr)
    wr.para("三、收到和处理政府信息公开申请情况", indent=False)
    _t3(wr)
    wr.para("四、政府信息公开行政复议、行政诉讼情况", indent=False)
    _t4(wr)
    wr.para("五、存在的主要问题及改进情况", indent=False)
    wr.para("政策解读形式还不够丰富，下一步将加强培训。")
    wr.para("六、其他需要报告的事项", indent=False)
    wr.para("本年度未收取信息处理费。")
    return wr.save()


def encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    wr = Writer(encrypt=StandardEncryption("user-secret", "owner-secret", strength=128))
    wr.para("加密文件", indent=False)
    return wr.save()


def scan_png() -> bytes:
    """Table 3, rendered from a PDF that embeds its font, as a 150 dpi greyscale PNG."""
    import pypdfium2 as pdfium
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Zen", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    global FONT
    old, FONT = FONT, "Zen"
    try:
        wr = Writer(font="Zen")
        wr.y = 60
        wr.para("三、收到和处理政府信息公开申请情况", 12, indent=False)
        t3_rows = T3_ROWS[:14]
        _t3_part(wr, t3_rows)
        pdf = pdfium.PdfDocument(wr.save())
    finally:
        FONT = old
    img = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    img = img.crop((0, 0, img.width, int(img.height * 0.62)))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _t3_part(wr: Writer, rows: list[tuple[str, str | None, str | None, list[int | None]]]) -> None:
    global T3_ROWS
    saved = T3_ROWS
    T3_ROWS = rows
    try:
        _t3(wr)
    finally:
        T3_ROWS = saved


def screenshot_report(png: bytes) -> bytes:
    """A text page whose table 3 is a picture (a screenshot pasted into the document)."""
    from reportlab.lib.utils import ImageReader

    wr = Writer()
    wr.para("某某县人民政府", 18, indent=False, center=True)
    wr.para("2023年政府信息公开工作年度报告", 18, indent=False, center=True)
    wr.para("本年度共受理政府信息公开申请99件，具体情况见下表。")
    img = ImageReader(io.BytesIO(png))
    w, h = img.getSize()
    width = RIGHT - LEFT
    height = width * h / w
    wr.c.drawImage(img, LEFT, H - wr.y - height, width, height)
    return wr.save()


def main() -> None:
    (HERE / "report-ruled.pdf").write_bytes(report(True))
    (HERE / "report-unruled.pdf").write_bytes(report(False))
    (HERE / "report-sideways.pdf").write_bytes(report(True, sideways=True))
    (HERE / "encrypted.pdf").write_bytes(encrypted())
    if "--no-scan" not in sys.argv:
        (HERE / "scan-t3.png").write_bytes(scan_png())
    (HERE / "screenshot.pdf").write_bytes(screenshot_report((HERE / "scan-t3.png").read_bytes()))
    for p in sorted(HERE.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
