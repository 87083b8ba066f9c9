"""Page analysis for the HTML reader: which part of a web page is the report.

A government web page wraps the report in site chrome (navigation, banners, share bars,
related links, footers), or holds no report at all: an index of links to reports, or a
shell around a PDF/Word attachment. This module answers those questions on the parsed
tree; ``read.html`` decodes and parses the page before, and turns the chosen content into
rows after. Stages, each a small function:

* ``drop_invisible``: scripts, styles, forms, hidden elements never show on the page.
* ``score_page``: report-vocabulary hits per element, link text excluded (``Page``).
* ``main_content``: the element that holds nearly all of the report's vocabulary.
* ``drop_chrome``: navigation, banners and link lists left inside that element.
* ``report_links`` / ``attachment_links``: what an index page or an attachment shell
  points to; with ``has_report_body`` false, the page is refused by name (``ListPage``).

Everything is driven by page structure and the report's own vocabulary, never by a site.
This module does not import ``read.html`` (which imports it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..domain.labels import (
    SECTION_BY_KEY,
    T2_ARTICLE,
    T2_CONTENT,
    T3_APPLICANTS,
    T3_COLUMNS,
    T3_GROUP_TITLES,
    T3_ORGS,
    T3_ROW_BY_KEY,
    T4_COLUMNS,
    T4_LITIGATION,
    T4_REVIEW,
)
from ..errors import UnsupportedFormat
from .grid import Row

MAIN_SHARE = 0.85  # the main content holds at least this share of the report vocabulary

# ------------------------------------------------------------------ vocabulary
# Words that only a report (or its tables) uses; their density locates the main content.
_MARKERS = re.compile(
    "|".join(
        (
            "政府信息公开", "年度报告", "工作报告", SECTION_BY_KEY["overview"].title, "主动公开", "依申请", "收到和处理",
            T4_REVIEW, T4_LITIGATION, "存在的主要问题", "改进情况", "其他需要报告", T2_ARTICLE,
            *(T3_ROW_BY_KEY[r].phrases[0] for r in ("received", "carried_over", "disclosed", "partially_disclosed")),
            *(T3_GROUP_TITLES[g][3:] for g in ("（三）", "（四）", "（五）", "（六）")),
            T3_ROW_BY_KEY["carried_forward"].phrases[0], T3_APPLICANTS, T3_COLUMNS[0].label, T3_ORGS, T2_CONTENT,
            *(c.label for c in T4_COLUMNS if c.key in ("upheld", "corrected", "pending")),
        )
    )
)  # fmt: skip
# The report's own structure: section headings and table labels. Site chrome never has
# these, so all of them must lie inside the element taken for the main content.
_STRUCTURE = re.compile(
    "|".join(
        (
            *(SECTION_BY_KEY[k].phrases[0] for k in ("overview", "proactive", "applications")),
            f"{T4_REVIEW}、{T4_LITIGATION}情况",
            *(SECTION_BY_KEY[k].phrases[0] for k in ("problems", "other")),
            T2_ARTICLE,
            *(T3_ROW_BY_KEY[r].phrases[0] for r in ("received", "carried_over", "carried_forward")),
            T3_APPLICANTS,
        )
    )
)
# A report's title; it names links to reports on an index page too.
_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.{0,30}?(?:政府信息公开|政务公开|信息公开).{0,12}?(?:年度报告|年报|工作报告)")

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
_LINK_BLOCKS = frozenset({"ul", "ol", "dl", "div", "p", "section", "td", "table"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
# A line break in the source between two CJK characters is formatting, not a space.
_CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\r\f\v]*\n\s*(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)
_DOC_EXT = re.compile(r"\.(?:pdf|docx?|wps|rtf|ofd)(?:$|[?#])", re.I)


class ListPage(UnsupportedFormat):
    """An index page that links to reports but holds none."""

    code = "list_page"

    def __init__(self, message: str, path: str | None = None, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message, path)
        self.links = links or []


# ================================================================== shared helpers
# Used here and by ``read.html``'s flow; they live here so that this module needs nothing
# from ``read.html``.
def tag_of(el) -> str | None:  # type: ignore[no-untyped-def]
    """The element's tag in lower case; None for comments and processing instructions."""
    t = el.tag
    return t.lower() if isinstance(t, str) else None


def clean(text: str) -> str:
    """Collapse whitespace as a browser does, but join CJK text broken across source lines."""
    return _SPACE_RUN.sub(" ", _CJK_BREAK.sub("", text)).strip()


def is_title(text: str) -> bool:
    """A line that is a report's title (a breadcrumb that ends in one is not)."""
    t = text.replace(" ", "")
    return 6 <= len(t) <= 80 and bool(_TITLE.search(t)) and not t.startswith(("当前位置", "您的位置", "位置"))


# ================================================================== invisible
def drop_invisible(root) -> None:  # type: ignore[no-untyped-def]
    """Remove what a browser never shows: scripts, styles, forms, hidden elements (where
    injected spam often hides)."""
    doomed = list(root.iter(*_DROP_TAGS))
    doomed += [
        el for el in root.iter() if el.keys() and (el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""))
    ]
    for el in doomed:
        _remove(el)


# characters lxml holds in a parsed tree but refuses to be given back (control characters
# in a hostile page): dropped when a tail moves (fuzzing found the ValueError)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(s: str | None) -> str | None:
    """``s`` as lxml takes it back as an element's text or tail."""
    return _NOT_XML.sub("", s) if s else s


def _remove(el) -> None:  # type: ignore[no-untyped-def]
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = xml_text((prev.tail or "") + tail)
        else:
            parent.text = xml_text((parent.text or "") + tail)
    parent.remove(el)


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
    """Add a text's hits to its owner and every ancestor, unless it is link text."""
    chain = []
    while owner is not None:
        if tag_of(owner) == "a":
            return  # link text: navigation and related links, not the report
        chain.append(owner)
        owner = owner.getparent()
    hits = len(_MARKERS.findall(text))
    structure = len(_STRUCTURE.findall(text))
    for el in chain:
        page.score[el] = page.score.get(el, 0) + hits
        page.structure[el] = page.structure.get(el, 0) + structure


# ================================================================== main content
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
    out += [el for el, n in links.items() if n >= 2 and tag_of(el) in _LINK_BLOCKS]
    return out


def _is_chrome(el) -> bool:  # type: ignore[no-untyped-def]
    """A chrome tag, or a class/id word that names site furniture (nav, footer, share...)."""
    if tag_of(el) in _CHROME_TAGS:
        return True
    words = re.split(r"[\s_\-]+", f"{el.get('class') or ''} {el.get('id') or ''}".lower())
    return any(w in _CHROME_WORDS for w in words if w)


def _holds_title(el) -> bool:  # type: ignore[no-untyped-def]
    """An element (not a link) whose own text is the report's title: class="article-head"."""
    return any(tag_of(d) != "a" and d.text and is_title(clean(d.text)) for d in el.iter())


def _is_link_list(el) -> bool:  # type: ignore[no-untyped-def]
    """A block that is mostly links (related reports, 上一篇/下一篇): not report text."""
    if tag_of(el) not in _LINK_BLOCKS:
        return False
    anchors = list(el.iter("a"))
    if len(anchors) < 2:
        return False
    total = len(clean("".join(el.itertext())))
    linked = sum(len(clean("".join(a.itertext()))) for a in anchors)
    return total > 0 and linked >= 0.7 * total


# ================================================================== list pages and attachments
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


def base_url(root, path: str) -> str | None:  # type: ignore[no-untyped-def]
    """The URL links are relative to: ``<base href>`` (itself relative to the page's URL),
    else the page's URL when it was read from the web, else None."""
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    page_url = path if path.startswith(("http://", "https://")) else None
    if base and page_url:
        return urljoin(page_url, base)
    return base or page_url


def attachment_links(root, base: str | None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(name, url) of documents the page links or embeds that may be the report itself:
    a PDF/Word attachment, or a PDF shown in an iframe/embed/object."""
    out: list[tuple[str, str]] = []
    for el in root.iter("a", "iframe", "embed", "object"):
        href = (el.get("href") or el.get("src") or el.get("data") or "").strip()
        if not href or not _DOC_EXT.search(href):
            continue
        name = clean("".join(el.itertext())) or href.rsplit("/", 1)[-1]
        if tag_of(el) == "a" and not (_TITLE.search(name.replace(" ", "")) or re.search("附件|下载|年报|年度报告|全文", name)):
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
    """The refusal for a page whose report is an attachment, naming the attachments."""
    shown = "\n".join(f"{i}. {t}" + (f"（{u}）" if u else "") for i, (t, u) in enumerate(docs[:10], 1))
    return ListPage(f"网页本身不含报告正文，报告在附件中；请下载并读取附件：\n{shown}", path, docs)


def list_page_error(links: list[tuple[str, str]], path: str) -> ListPage:
    """The refusal for an index page, naming (up to ten of) the reports it links to."""
    shown = "\n".join(f"{i}. {t}" + (f"（{u}）" if u else "") for i, (t, u) in enumerate(links[:10], 1))
    more = f"\n……共 {len(links)} 个链接" if len(links) > 10 else ""
    return ListPage(
        f"这是年度报告的列表（索引）页，页面本身不含报告正文或统计表；请改为读取其中一份报告的网址：\n{shown}{more}",
        path,
        links,
    )


__all__ = [
    "MAIN_SHARE",
    "ListPage",
    "Page",
    "attachment_error",
    "attachment_links",
    "base_url",
    "clean",
    "drop_chrome",
    "drop_invisible",
    "has_report_body",
    "is_title",
    "list_page_error",
    "main_content",
    "report_links",
    "score_page",
    "tag_of",
]
