"""HTML reader: bytes -> decoded page -> main content -> blocks.

Stages, each a small function; the page analysis (which part of the page is the report)
lives in ``read.html_page``:

* ``decode_html``: the declared charset (``<meta charset>``, ``http-equiv``, XML
  declaration), else ``read.text.decode``'s detection; GB2312/GBK are read as GB18030.
* ``parse_html``: lxml's HTML parser (libxml2 bounds nesting depth at 256).
* ``html_page``: drop what never shows, find the main content and drop site chrome in it;
  an index page of links to reports, or a shell around an attachment, is refused by name.
* ``Flow``: the content as rows: block elements and ``<br>`` end lines, data tables become
  grids (``grid.expand_grid``, shared with the DOCX reader), layout tables are descended into,
  the 索引号/发布日期 box becomes ``key：value`` lines.
* ``read_html``: the title and the metadata box are kept when they lie outside the main
  content; ``first_report``: a page that holds several reports keeps the first (with a finding).

Everything is driven by page structure and the report's own vocabulary, never by a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..domain import extras
from ..errors import DecodeError, InputTooLarge, UnsupportedFormat
from ..model import Document, Finding, Origin
from ..settings import DEFAULT, Settings
from .grid import (
    LAYOUT_PROBE_ROWS,
    LONG_CELL,
    MAX_COLS,
    MAX_TABLE_POSITIONS,
    GridCell,
    Out,
    Row,
    expand_grid,
    is_label,
    join_pieces,
    to_blocks,
)
from .html_page import (
    ListPage,  # re-exported: callers catch it from this module
    attachment_error,
    attachment_links,
    base_url,
    clean,
    drop_chrome,
    drop_invisible,
    has_report_body,
    is_title,
    list_page_error,
    main_content,
    report_links,
    score_page,
    tag_of,
    xml_text,
)
from .text import decode

MEDIA_TYPE = "text/html"

# Bounds: a real report page has a few thousand elements and tables of at most ~30 x 20.
MAX_ELEMENTS = 1_000_000  # elements in the parsed page
MAX_FLOW_DEPTH = 300  # recursion guard; libxml2 already stops at depth 256

# ------------------------------------------------------------------ vocabulary
_T3_FIRST_ROW = re.compile(r"^(?:一[、.．]?)?本年新收政府信息公开申请")
_FIRST_SECTION = re.compile(r"^一[、.．]\s*(?:总体情况|概述|概况)")
_META_KEYS = (
    "索引号|发布机构|发文机关|发文单位|发布日期|发布时间|成文日期|生成日期|印发日期|文号|发文字号|信息分类|"
    "主题分类|公开方式|公开范围|公开时限|有效性|时效|标题|信息来源|来源|所属机构|主题词|关键词|公开日期"
)
_META_KEY_AT = re.compile(rf"(?:{_META_KEYS})\s*[:：]")
_META_KEY_ONLY = re.compile(rf"^(?:{_META_KEYS})\s*[:：]?$")
_META_LINE = re.compile(rf"^(?:{_META_KEYS})\s*[:：]")
_META_DATE = re.compile(r"(?:发布日期|发布时间|成文日期|公开日期|生成日期|印发日期)\s*[:：]\s*(?:19|20)\d{2}\s*[-年./]")

# ------------------------------------------------------------------ markup
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody "
    "thead tfoot tr td th caption ul legend".split()
)


# ================================================================== decoding
_BOM_UTF8 = b"\xef\xbb\xbf"
_CHARSET_DECL = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_GB_NAMES = frozenset(
    "gb2312 gbk gb_2312-80 gb_2312 x-gbk cp936 ms936 csgb2312 euc-cn x-euc-cn gb18030 chinese iso-ir-58".split()
)
_BIG5_NAMES = frozenset({"big5", "big5-hkscs", "cp950", "x-x-big5", "csbig5"})
# Declarations pages get wrong all the time (D13): a Western single-byte charset on a
# Chinese page is never believed over the bytes themselves.
_WESTERN = frozenset({"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii", "iso8859-1"})


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 64 KiB, as a Python codec name."""
    head = data[:65536]
    m = _XML_DECL.match(head) or _CHARSET_DECL.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").strip().lower()
    if name in _GB_NAMES:
        return "gb18030"  # a superset: pages that say gb2312 routinely use GBK characters
    if name in _BIG5_NAMES:
        return "big5hkscs"
    if name in ("utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be"):
        return "utf-8"  # a meta tag can only be read if the page is ASCII-compatible
    return name


def decode_html(data: bytes, path: str = "", settings: Settings = DEFAULT) -> tuple[str, str, list[Finding]]:
    """(text, encoding, findings). A forced encoding wins, then a BOM, then the page's
    declaration, then detection; a declaration the bytes contradict is not trusted."""
    if settings.encoding:
        text, enc = decode(data, path, settings.encoding)
        return text, enc, []
    if data.startswith((_BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        text, enc = decode(data, path)
        return text, enc, []
    if not data.isascii():
        try:  # valid UTF-8 with non-ASCII text is UTF-8 whatever the page declares
            return data.decode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            pass
    declared = declared_charset(data)
    if declared and declared not in _WESTERN:
        try:
            return data.decode(declared), declared, []
        except LookupError:
            pass  # an unknown charset name: detect instead
        except UnicodeDecodeError:
            got = _decode_lossy(data, declared)
            if got is not None:
                return got
    try:
        text, enc = decode(data, path)
        return text, enc, []
    except DecodeError:
        # a mostly-GBK page with a few broken bytes is still worth reading
        for enc in [e for e in (declared, "gb18030", "utf-8") if e and e not in _WESTERN]:
            got = _decode_lossy(data, enc)
            if got is not None:
                return got
        raise


def _decode_lossy(data: bytes, enc: str) -> tuple[str, str, list[Finding]] | None:
    """Decode with replacement when only a handful of bytes are broken."""
    try:
        text = data.decode(enc, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 1000):
        return None
    return text, enc, [Finding.of("ENCODING_ERRORS", count=bad, encoding=enc)]


# ================================================================== parsing
def parse_html(text: str, path: str = ""):  # type: ignore[no-untyped-def]
    """The page's root element (lxml), or None for a page with no elements."""
    try:
        from lxml import etree
    except ImportError:
        raise extras.missing("html", path) from None
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        return etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnsupportedFormat(f"无法解析 HTML：{e}", path) from None


# ================================================================== flow: content -> rows
class Flow:
    """Walks content in document order and emits rows: a line per block element or
    ``<br>``, a grid row per data-table row."""

    def __init__(self, out: Out, skip_links: bool = False) -> None:
        self.out = out
        self.skip_links = skip_links  # outside the content, link text is navigation
        self.parts: list[str] = []
        self.line: int | None = None
        self.tables = 0

    # ---- lines
    def text(self, s: str | None, line: int | None) -> None:
        if s:
            if not self.parts:
                self.line = line
            self.parts.append(s)

    def flush(self) -> None:
        if self.parts:
            t = clean("".join(self.parts))
            if t:
                self.out.add([(t, Origin(line=self.line))])
        self.parts = []

    def walk(self, el, depth: int = 0) -> None:  # type: ignore[no-untyped-def]
        if self.out.full:
            return
        tag = tag_of(el)
        if tag is None:
            return
        if depth > MAX_FLOW_DEPTH:
            self.text("".join(el.itertext()), el.sourceline)
            return
        if tag == "br":
            self.flush()
            return
        if tag == "a" and self.skip_links:
            return
        if tag == "table":
            self.flush()
            self.table(el, depth)
            return
        if tag == "pre":
            self.pre(el)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self.text(el.text, el.sourceline)
        for ch in el:
            self.walk(ch, depth + 1)
            self.text(ch.tail, el.sourceline)
        if block:
            self.flush()

    def pre(self, el) -> None:  # type: ignore[no-untyped-def]
        """Preformatted text keeps its lines (and its tabs, as fields of a row)."""
        self.flush()
        for k, line in enumerate("".join(el.itertext()).split("\n")):
            fields = [clean(f) for f in line.split("\t")]
            while fields and not fields[-1]:
                fields.pop()
            while fields and not fields[0]:
                fields.pop(0)
            origin = Origin(line=el.sourceline + k if el.sourceline else None)
            self.out.add([(f, origin) for f in fields])

    # ---- tables
    def table(self, el, depth: int) -> None:  # type: ignore[no-untyped-def]
        if self.out.full:
            return
        rows = _own_rows(el)
        for cap in (c for c in el if tag_of(c) == "caption"):
            self.walk(cap, depth + 1)
        if el.find(".//table") is not None or _is_layout(rows):
            for tr in rows:
                for cell in tr:
                    self.walk(cell, depth + 1)
            return
        grid, cut = _read_cells(rows)
        if _is_metadata(grid):
            for line in _metadata_lines(grid):
                self.out.add([line])
            return
        self.out.add_table(grid, self.tables, cut)
        self.tables += 1


def _read_cells(rows: list[list]) -> tuple[list[list[GridCell]], bool]:  # type: ignore[type-arg]
    """GridCells of a table's rows, stopping at the size bound (a hostile table is cut
    before its cells cost anything)."""
    grid: list[list[GridCell]] = []
    n = 0
    cut = False
    for tr in rows:
        cells = tr[:MAX_COLS]
        cut = cut or len(cells) < len(tr)
        if n + len(cells) > MAX_TABLE_POSITIONS:
            return grid, True
        grid.append([_grid_cell(td) for td in cells])
        n += len(cells)
    return grid, cut


def _own_rows(table) -> list[list]:  # type: ignore[type-arg, no-untyped-def]
    """The table's own rows (not those of tables nested in its cells), as lists of cells."""
    rows = []
    for ch in table:
        tag = tag_of(ch)
        if tag == "tr":
            rows.append(ch)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in ch if tag_of(r) == "tr")
    return [[c for c in tr if tag_of(c) in ("td", "th")] for tr in rows]


def _is_layout(rows: list[list]) -> bool:  # type: ignore[type-arg]
    """A narrow table used to lay out long flowing text (nested tables are checked by the
    caller: a table holding tables is layout too)."""
    widest = max((len(tr) for tr in rows), default=0)
    if widest > 3:
        return False
    for tr in rows[:LAYOUT_PROBE_ROWS]:
        for cell in tr:
            pieces = _cell_pieces(cell)
            if len(pieces) >= 3 or sum(len(p) for p in pieces) > LONG_CELL:
                return True
    return False


def _cell_pieces(cell) -> list[str]:  # type: ignore[no-untyped-def]
    """The lines of one cell (split at <br> and block elements), cleaned."""
    pieces: list[str] = [""]
    _cell_walk(cell, cell, 0, pieces)
    return [c for c in (clean(p) for p in pieces) if c]


def _cell_walk(el, cell, depth: int, pieces: list[str]) -> None:  # type: ignore[no-untyped-def]
    """``_cell_pieces``' walk over ``el`` inside ``cell``: its text onto the last piece, a
    new piece at each <br> and around each block element. (A function of its own, not a
    closure: a closure that calls itself is a reference cycle, and the parse runs with the
    cyclic collector paused, ``tests/test_no_cycles.py``.)"""
    tag = tag_of(el)
    if tag is None:
        return
    if tag == "br" or (tag in _BLOCK_TAGS and el is not cell):
        pieces.append("")
    if tag != "br":
        pieces[-1] += el.text or ""
    if depth < MAX_FLOW_DEPTH:
        for ch in el:
            _cell_walk(ch, cell, depth + 1, pieces)
            pieces[-1] += ch.tail or ""
    if tag in _BLOCK_TAGS and el is not cell:
        pieces.append("")


def _span(value: str | None) -> int:
    m = re.match(r"\s*(\d{1,9})", value or "")
    return int(m.group(1)) if m else 1


def _grid_cell(td) -> GridCell:  # type: ignore[no-untyped-def]
    rowspan = _span(td.get("rowspan"))
    return GridCell(join_pieces(_cell_pieces(td)), rowspan, max(1, _span(td.get("colspan"))), td.sourceline)


def _is_metadata(grid: list[list[GridCell]]) -> bool:
    """The 索引号 / 发布机构 / 发布日期 box: key and value cells, not statistics."""
    texts = [c.text.replace(" ", "") for row in grid for c in row if c.text]
    keys = sum(1 for t in texts if _META_KEY_ONLY.match(t) or _META_LINE.match(t))
    return keys >= 2 and keys * 3 >= len(texts)


def _metadata_lines(grid: list[list[GridCell]]) -> Iterator[tuple[str, Origin]]:
    """'发布日期：' + '2023-01-31' in two cells -> one line '发布日期：2023-01-31'."""
    for row in grid:
        texts = [
            c.text.replace(" ", "")
            if _META_KEY_AT.match(c.text.replace(" ", "")) or _META_KEY_ONLY.match(c.text.replace(" ", ""))
            else c.text
            for c in row
        ]
        i = 0
        while i < len(row):
            text, line = texts[i], row[i].line
            if _META_KEY_ONLY.match(text) and i + 1 < len(row) and not _META_KEY_ONLY.match(texts[i + 1]):
                yield text.rstrip(":：") + "：" + texts[i + 1], Origin(line=line)
                i += 2
                continue
            if text:
                yield text, Origin(line=line)
            i += 1


# ================================================================== whole-page assembly
def _outside_rows(body, main, out_limit: int) -> list[Row]:  # type: ignore[no-untyped-def]
    """The page's lines outside the main content, link text left out (to find the title or
    the metadata box there, never a related report's title)."""
    parent = main.getparent()
    if parent is None or main is body:
        return []
    placeholder_tail = main.tail
    index = parent.index(main)
    parent.remove(main)
    try:
        out = Out(max_chars=out_limit)
        flow = Flow(out, skip_links=True)
        flow.walk(body)
        flow.flush()
        return out.rows
    finally:
        parent.insert(index, main)
        main.tail = xml_text(placeholder_tail)


def _context_rows(outside: list[Row], rows: list[Row], head_title: str | None) -> list[Row]:
    """The title and the metadata box (when it dates the report) that lie outside the main
    content, to put in front of it."""
    extra: list[Row] = []
    inside = [r[0][0] for r in rows[:80] if len(r) == 1]
    if not any(_META_DATE.search(t) for t in inside):
        meta = [line for r in outside if len(r) == 1 and _META_LINE.match(r[0][0]) for line in _split_meta(r)]
        if any(_META_DATE.search(r[0][0]) for r in meta):
            extra.extend(meta)
    if not any(is_title(t) for t in inside):
        title = next((r for r in outside if len(r) == 1 and is_title(r[0][0])), None)
        if title is not None:
            extra.append(title)
        elif head_title and is_title(head_title):
            extra.append([(head_title, Origin())])
    return extra


def _split_meta(row: Row) -> list[Row]:
    """'索引号：X发布机构：Y发布日期：Z' (spans run together) -> one row per field."""
    text, origin = row[0]
    starts = [m.start() for m in _META_KEY_AT.finditer(text)] or [0]
    starts[0] = 0
    ends = [*starts[1:], len(text)]
    return [[(text[a:b].strip(), origin)] for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


def _is_t3_first_label(text: str) -> bool:
    """The label of table 3's first row (not a sentence that begins the same way)."""
    t = text.replace(" ", "")
    return len(t) <= 24 and bool(_T3_FIRST_ROW.match(t))


def first_report(rows: list[Row]) -> tuple[list[Row], int]:
    """Cut a page holding several reports after the first. Returns (rows, reports seen)."""
    starts = [i for i, row in enumerate(rows) if any(_is_t3_first_label(t) for t, _ in row)]
    if len(starts) < 2:
        return rows, len(starts)
    a, b = starts[0], starts[1]
    cut = next((i for i in range(b, a, -1) if len(rows[i]) == 1 and is_title(rows[i][0][0])), None)
    if cut is None:
        cut = next((i for i in range(b, a, -1) if len(rows[i]) == 1 and _FIRST_SECTION.match(rows[i][0][0])), None)
    return rows[: cut if cut is not None else b], len(starts)


def read_html(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    """Read one report from a web page; an index page or an attachment shell raises
    ``ListPage`` naming the links to read instead."""
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(
            f"网页大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB，不是单份年度报告", path
        )
    text, enc, findings = decode_html(data, path, settings)
    root = parse_html(text, path)
    if root is None:
        return Document(path=path, media_type=MEDIA_TYPE, blocks=[], encoding=enc, findings=findings)
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise InputTooLarge(f"网页含 {count} 个元素，超过上限 {MAX_ELEMENTS}，不是单份年度报告", path)
    head_title = next((clean("".join(t.itertext())) for t in root.iter("title")), None)
    base = base_url(root, path)
    docs = attachment_links(root, base)  # before iframes and embeds are dropped
    drop_invisible(root)
    page = score_page(root)
    links = report_links(root, base)
    main = main_content(page)
    body = next(root.iter("body"), root)
    outside = _outside_rows(body, main, settings.max_text_chars)
    drop_chrome(main, page)
    out = Out(max_chars=settings.max_text_chars)
    flow = Flow(out)
    flow.walk(main)
    flow.flush()
    if not has_report_body(out.rows):
        if len(links) >= 2:
            raise list_page_error(links, path)
        if docs:
            raise attachment_error(docs, path)
    rows = _context_rows(outside, out.rows, head_title) + out.rows
    rows, reports = first_report(rows)
    findings.extend(_findings(enc, out, reports))
    return Document(
        path=path,
        media_type=MEDIA_TYPE,
        blocks=to_blocks(rows),
        encoding=enc,
        findings=findings,
        meta={"reports_on_page": reports},
    )


def _findings(enc: str, out: Out, reports: int) -> list[Finding]:
    """Findings about how the page was read: its encoding, and anything cut or left out."""
    found: list[Finding] = []
    if enc not in ("utf-8", "utf-8-sig", "ascii", "us-ascii"):
        found.append(Finding.of("ENCODING", "html", encoding=enc))
    found += out.limit_findings("网页")
    if reports >= 2:
        found.append(Finding.of("MULTIPLE_REPORTS", count=reports))
    return found


__all__ = ["MEDIA_TYPE", "GridCell", "ListPage", "decode_html", "expand_grid", "is_label", "join_pieces", "read_html"]
