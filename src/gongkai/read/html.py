"""HTML reader: bytes -> decoded page -> main content -> blocks.

Stages, each a small function:

* ``decode_html``: the declared charset (``<meta charset>``, ``http-equiv``, XML
  declaration), else ``read.text.decode``'s detection; GB2312/GBK are read as GB18030.
* ``parse_html``: lxml's HTML parser (libxml2 bounds nesting depth at 256).
* ``drop_invisible``: scripts, styles, forms, hidden elements never show on the page.
* ``report_links`` / ``ListPage``: an index page of links to reports is refused by name.
* ``main_content``: the element that holds nearly all of the report's vocabulary; site
  chrome (navigation, banners, related links, footers) lies outside it and is dropped,
  except the title and the 索引号/发布日期 box, which are kept when they lie outside.
* ``Flow``: the content as rows: block elements and ``<br>`` end lines, data tables become
  grids (``grid.expand_grid``, shared with the DOCX reader), layout tables are descended into.
* ``first_report``: a page that holds several reports keeps the first (with a finding).

Everything is driven by page structure and the report's own vocabulary, never by a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import DecodeError, InputTooLarge, MissingDependency, UnsupportedFormat
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
from .text import decode

MEDIA_TYPE = "text/html"

# Bounds: a real report page has a few thousand elements and tables of at most ~30 x 20.
MAX_ELEMENTS = 1_000_000  # elements in the parsed page
MAX_FLOW_DEPTH = 300  # recursion guard; libxml2 already stops at depth 256
MAIN_SHARE = 0.85  # the main content holds at least this share of the report vocabulary

# ------------------------------------------------------------------ vocabulary
# Words that only a report (or its tables) uses; their density locates the main content.
_MARKERS = re.compile(
    "政府信息公开|年度报告|工作报告|总体情况|主动公开|依申请|收到和处理|行政复议|行政诉讼|存在的主要问题|"
    "改进情况|其他需要报告|第二十条|本年新收|上年结转|予以公开|部分公开|不予公开|无法提供|不予处理|"
    "其他处理|结转下年度|申请人情况|自然人|法人或其他组织|信息内容|结果维持|结果纠正|尚未审结"
)
# The report's own structure: section headings and table labels. Site chrome never has
# these, so all of them must lie inside the element taken for the main content.
_STRUCTURE = re.compile(
    "总体情况|主动公开政府信息情况|收到和处理政府信息公开申请|行政复议、行政诉讼情况|存在的主要问题|其他需要报告|"
    "第二十条|本年新收|上年结转|结转下年度|申请人情况"
)
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.{0,30}?(?:政府信息公开|政务公开|信息公开).{0,12}?(?:年度报告|年报|工作报告)")
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
_DROP_TAGS = frozenset(
    "script style noscript template iframe frame frameset noframes object embed applet svg canvas math "
    "select option optgroup button input textarea datalist audio video source track map head link meta base".split()
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_WORDS = frozenset(
    "nav navbar navigation menu menus header head foot footer breadcrumb breadcrumbs crumb crumbs sidebar "
    "share bdshare copyright toolbar topbar banner position location weizhi dqwz friendlink links related "
    "relate xgwz xglj print".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody "
    "thead tfoot tr td th caption ul legend".split()
)
_LINK_BLOCKS = frozenset({"ul", "ol", "dl", "div", "p", "section", "td", "table"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
# A line break in the source between two CJK characters is formatting, not a space.
_CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\r\f\v]*\n\s*(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


class ListPage(UnsupportedFormat):
    """An index page that links to reports but holds none."""

    code = "list_page"

    def __init__(self, message: str, path: str | None = None, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message, path)
        self.links = links or []


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
    msg = f"网页有 {bad} 处字节无法按 {enc} 解码，已替换为 �"
    return text, enc, [Finding("ENCODING_ERRORS", "warning", msg, source="extraction")]


# ================================================================== parsing
def parse_html(text: str, path: str = ""):  # type: ignore[no-untyped-def]
    """The page's root element (lxml), or None for a page with no elements."""
    try:
        from lxml import etree
    except ImportError:
        raise MissingDependency("读取 HTML 需要 lxml：pip install 'gongkai[html]'", path) from None
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        return etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnsupportedFormat(f"无法解析 HTML：{e}", path) from None


def _tag(el) -> str | None:  # type: ignore[no-untyped-def]
    t = el.tag
    return t.lower() if isinstance(t, str) else None


def drop_invisible(root) -> None:  # type: ignore[no-untyped-def]
    """Remove what a browser never shows: scripts, styles, forms, hidden elements (where
    injected spam often hides)."""
    doomed = list(root.iter(*_DROP_TAGS))
    doomed += [
        el for el in root.iter() if el.keys() and (el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""))
    ]
    for el in doomed:
        _remove(el)


def _remove(el) -> None:  # type: ignore[no-untyped-def]
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def clean(text: str) -> str:
    """Collapse whitespace as a browser does, but join CJK text broken across source lines."""
    return _SPACE_RUN.sub(" ", _CJK_BREAK.sub("", text)).strip()


# ================================================================== scoring
@dataclass(slots=True)
class Page:
    """Per-element facts about the page, computed once."""

    root: object
    score: dict = field(default_factory=dict)  # element -> report-vocabulary hits, anchors excluded
    structure: dict = field(default_factory=dict)  # element -> section-heading and table-label hits


def score_page(root) -> Page:  # type: ignore[no-untyped-def]
    """Report-vocabulary hits per element (its own text and all below), link text excluded.
    Only the few texts with a hit cost more than a regex scan."""
    page = Page(root)
    page.score[root] = 0
    for el in root.iter():
        text, tail = el.text, el.tail
        if text and _MARKERS.search(text):
            _credit(page, el, text)
        if tail and _MARKERS.search(tail):
            _credit(page, el.getparent(), tail)
    return page


def _credit(page: Page, owner, text: str) -> None:  # type: ignore[no-untyped-def]
    chain = []
    while owner is not None:
        if _tag(owner) == "a":
            return  # link text: navigation and related links, not the report
        chain.append(owner)
        owner = owner.getparent()
    hits = len(_MARKERS.findall(text))
    structure = len(_STRUCTURE.findall(text))
    for el in chain:
        page.score[el] = page.score.get(el, 0) + hits
        page.structure[el] = page.structure.get(el, 0) + structure


def main_content(page: Page):  # type: ignore[no-untyped-def]
    """The deepest element holding at least MAIN_SHARE of the page's report vocabulary and
    all of its structure (a section or table left in a sibling would be lost)."""
    body = next(page.root.iter("body"), page.root)  # type: ignore[attr-defined]
    total = page.score.get(body, 0)
    if total < 3:
        return body
    node = body
    while True:
        whole = page.structure.get(node, 0)
        nxt = next(
            (ch for ch in node if page.score.get(ch, 0) >= MAIN_SHARE * total and page.structure.get(ch, 0) >= whole),
            None,
        )
        if nxt is None:
            return node
        node = nxt


def drop_chrome(container, page: Page) -> None:  # type: ignore[no-untyped-def]
    """Remove navigation, banners, share bars and link lists inside the content, unless
    they carry report text (a guard against a content div that happens to be named so)."""
    doomed = []
    for el in _chrome_candidates(container):
        if el is container or page.score.get(el, 0) >= 3:
            continue
        if (_is_chrome(el) and not _holds_title(el)) or _is_link_list(el):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _remove(el)


def _chrome_candidates(container) -> list:  # type: ignore[type-arg, no-untyped-def]
    """Elements that may be chrome: chrome tags, named elements, and blocks holding two or
    more links (found from the links upwards, so a page without links costs nothing)."""
    out = list(container.iter(*_CHROME_TAGS))
    out += [el for el in container.iter() if el.keys() and (el.get("class") or el.get("id"))]
    links: dict = {}  # type: ignore[type-arg]
    for a in container.iter("a"):
        up = a.getparent()
        while up is not None and up is not container:
            links[up] = links.get(up, 0) + 1
            up = up.getparent()
    out += [el for el, n in links.items() if n >= 2 and _tag(el) in _LINK_BLOCKS]
    return out


def _is_chrome(el) -> bool:  # type: ignore[no-untyped-def]
    if _tag(el) in _CHROME_TAGS:
        return True
    words = re.split(r"[\s_\-]+", f"{el.get('class') or ''} {el.get('id') or ''}".lower())
    return any(w in _CHROME_WORDS for w in words if w)


def _holds_title(el) -> bool:  # type: ignore[no-untyped-def]
    """An element (not a link) whose own text is the report's title: class="article-head"."""
    return any(_tag(d) != "a" and d.text and _is_title(clean(d.text)) for d in el.iter())


def _is_link_list(el) -> bool:  # type: ignore[no-untyped-def]
    """A block that is mostly links (related reports, 上一篇/下一篇): not report text."""
    if _tag(el) not in _LINK_BLOCKS:
        return False
    anchors = list(el.iter("a"))
    if len(anchors) < 2:
        return False
    total = len(clean("".join(el.itertext())))
    linked = sum(len(clean("".join(a.itertext()))) for a in anchors)
    return total > 0 and linked >= 0.7 * total


# ================================================================== list pages
def report_links(root, base: str | None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(title, url) of every link whose text names an annual disclosure report."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for a in root.iter("a"):
        title = clean("".join(a.itertext())) or clean(a.get("title") or "")
        if not _TITLE.search(title.replace(" ", "")):
            continue
        href = (a.get("href") or "").strip()
        url = urljoin(base, href) if base and href else href
        if (title, url) not in seen:
            seen.add((title, url))
            out.append((title, url))
    return out


def _base_url(root, path: str) -> str | None:  # type: ignore[no-untyped-def]
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    page_url = path if path.startswith(("http://", "https://")) else None
    if base and page_url:
        return urljoin(page_url, base)
    return base or page_url


_DOC_EXT = re.compile(r"\.(?:pdf|docx?|wps|rtf|ofd)(?:$|[?#])", re.I)


def attachment_links(root, base: str | None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(name, url) of documents the page links or embeds that may be the report itself:
    a PDF/Word attachment, or a PDF shown in an iframe/embed/object."""
    out: list[tuple[str, str]] = []
    for el in root.iter("a", "iframe", "embed", "object"):
        href = (el.get("href") or el.get("src") or el.get("data") or "").strip()
        if not href or not _DOC_EXT.search(href):
            continue
        name = clean("".join(el.itertext())) or href.rsplit("/", 1)[-1]
        if _tag(el) == "a" and not (_TITLE.search(name.replace(" ", "")) or re.search("附件|下载|年报|年度报告|全文", name)):
            continue
        item = (name, urljoin(base, href) if base else href)
        if item not in out:
            out.append(item)
    return out


def has_report_body(rows: list[Row]) -> bool:
    """Whether content rows are a report rather than a list of links: table labels, several
    section headings, or simply a report's length of text."""
    labels = headings = chars = 0
    for row in rows:
        for text, _ in row:
            t = text.replace(" ", "")
            chars += len(t)
            if len(t) <= 40 and re.search("本年新收|上年结转|第二十条|予以公开|申请人情况|结转下年度|信息内容", t):
                labels += 1
            if len(row) == 1 and len(t) <= 30 and re.match(r"^[一二三四五六七八][、.．]", t):
                headings += 1
    return labels >= 2 or headings >= 3 or chars >= 1500


def attachment_error(docs: list[tuple[str, str]], path: str) -> ListPage:
    shown = "\n".join(f"{i}. {t}" + (f"（{u}）" if u else "") for i, (t, u) in enumerate(docs[:10], 1))
    return ListPage(f"网页本身不含报告正文，报告在附件中；请下载并读取附件：\n{shown}", path, docs)


def list_page_error(links: list[tuple[str, str]], path: str) -> ListPage:
    shown = "\n".join(f"{i}. {t}" + (f"（{u}）" if u else "") for i, (t, u) in enumerate(links[:10], 1))
    more = f"\n……共 {len(links)} 个链接" if len(links) > 10 else ""
    return ListPage(
        f"这是年度报告的列表（索引）页，页面本身不含报告正文或统计表；请改为读取其中一份报告的网址：\n{shown}{more}",
        path,
        links,
    )


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
        tag = _tag(el)
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
        for cap in (c for c in el if _tag(c) == "caption"):
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
        tag = _tag(ch)
        if tag == "tr":
            rows.append(ch)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in ch if _tag(r) == "tr")
    return [[c for c in tr if _tag(c) in ("td", "th")] for tr in rows]


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

    def walk(el, depth: int) -> None:  # type: ignore[no-untyped-def]
        tag = _tag(el)
        if tag is None:
            return
        if tag == "br" or (tag in _BLOCK_TAGS and el is not cell):
            pieces.append("")
        if tag != "br":
            pieces[-1] += el.text or ""
        if depth < MAX_FLOW_DEPTH:
            for ch in el:
                walk(ch, depth + 1)
                pieces[-1] += ch.tail or ""
        if tag in _BLOCK_TAGS and el is not cell:
            pieces.append("")

    walk(cell, 0)
    return [c for c in (clean(p) for p in pieces) if c]


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
def _is_title(text: str) -> bool:
    t = text.replace(" ", "")
    return 6 <= len(t) <= 80 and bool(_TITLE.search(t)) and not t.startswith(("当前位置", "您的位置", "位置"))


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
        main.tail = placeholder_tail


def _context_rows(outside: list[Row], rows: list[Row], head_title: str | None) -> list[Row]:
    """The title and the metadata box (when it dates the report) that lie outside the main
    content, to put in front of it."""
    extra: list[Row] = []
    inside = [r[0][0] for r in rows[:80] if len(r) == 1]
    if not any(_META_DATE.search(t) for t in inside):
        meta = [line for r in outside if len(r) == 1 and _META_LINE.match(r[0][0]) for line in _split_meta(r)]
        if any(_META_DATE.search(r[0][0]) for r in meta):
            extra.extend(meta)
    if not any(_is_title(t) for t in inside):
        title = next((r for r in outside if len(r) == 1 and _is_title(r[0][0])), None)
        if title is not None:
            extra.append(title)
        elif head_title and _is_title(head_title):
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
    cut = next((i for i in range(b, a, -1) if len(rows[i]) == 1 and _is_title(rows[i][0][0])), None)
    if cut is None:
        cut = next((i for i in range(b, a, -1) if len(rows[i]) == 1 and _FIRST_SECTION.match(rows[i][0][0])), None)
    return rows[: cut if cut is not None else b], len(starts)


def read_html(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
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
    base = _base_url(root, path)
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
    found: list[Finding] = []
    if enc not in ("utf-8", "utf-8-sig", "ascii", "us-ascii"):
        found.append(Finding("ENCODING", "info", f"网页编码识别为 {enc}", source="extraction"))
    if out.truncated:
        found.append(Finding("INPUT_TRUNCATED", "warning", "网页内容超过单份报告的上限，只读取了前面部分", source="extraction"))
    if out.tables_cut:
        found.append(
            Finding(
                "TABLE_TRUNCATED",
                "warning",
                f"{out.tables_cut} 个表格的合并单元格或大小异常（超过上限），已截断读取",
                source="extraction",
            )
        )
    if reports >= 2:
        found.append(
            Finding("MULTIPLE_REPORTS", "warning", f"网页包含 {reports} 份年度报告，只读取了第一份", source="extraction")
        )
    return found


__all__ = ["MEDIA_TYPE", "GridCell", "ListPage", "decode_html", "expand_grid", "is_label", "join_pieces", "read_html"]
