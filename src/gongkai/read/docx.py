"""DOCX reader: the zip is checked, ``word/document.xml`` is read with lxml, and the body's
paragraphs and tables come out in document order.

Only the main document part is decompressed (headers, footers, images and the rest are
never read), after the archive's declared sizes and compression ratios are checked, so a
zip bomb is refused before any work. Tables go through ``grid.expand_grid``: ``gridSpan``
and ``vMerge`` become the same merged-cell expansion as HTML ``colspan``/``rowspan``.
Paragraph numbering that Word generates (``一、``, ``（一）``, ``1.``) is rendered, since
the report's section and row labels carry it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from ..domain import extras
from ..errors import CorruptDocument, InputTooLarge, UnsupportedFormat
from ..model import Document, Finding, Origin
from ..settings import DEFAULT, Settings
from .grid import LAYOUT_PROBE_ROWS, LONG_CELL, MAX_COLS, MAX_TABLE_POSITIONS, GridCell, Out, join_pieces, to_blocks
from .legacy import check_ole, convert_to_docx, kind_of

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Bounds. A real report's document.xml is well under 10 MB; Word compresses XML ~10-30x.
MAX_ENTRIES = 10_000  # members of the archive
MAX_TOTAL_UNZIPPED = 1024 * 1024 * 1024  # declared size of all members together
# declared size of one part we read: a report's document.xml is a few MB; a 127 MB one
# parses into ~2 GB of tree, past the document budget (gongkai.guard)
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024
MAX_DEPTH = 200  # nesting of tables and content controls walked

_W_NS = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO "strict" OOXML
)
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFFICE_DOC_REL = re.compile(r"/officeDocument$")
_ODF_TEXT = b"application/vnd.oasis.opendocument.text"


# ================================================================== the archive
def open_archive(data: bytes, path: str) -> zipfile.ZipFile:
    """The zip, after checking it is not a bomb: few members, modest declared sizes."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise CorruptDocument(f"文件以 zip 格式开头，但已损坏或不完整，无法作为 Word 文档读取（{e}）", path) from None
    if len(infos) > MAX_ENTRIES:
        raise InputTooLarge(f"压缩包内含 {len(infos)} 个文件，超过上限 {MAX_ENTRIES}，疑似压缩炸弹，已拒绝读取", path)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNZIPPED:
        raise InputTooLarge(
            f"压缩包声明的解压后大小为 {total // 1048576} MB，超过上限 {MAX_TOTAL_UNZIPPED // 1048576} MB，"
            "疑似压缩炸弹（zip bomb），已拒绝读取",
            path,
        )
    return zf


def read_part(zf: zipfile.ZipFile, name: str, path: str) -> bytes:
    """One member, refused before decompression if its declared size or ratio is absurd;
    zipfile never inflates past the declared size, so the read is bounded too."""
    info = zf.getinfo(name)
    ratio = info.file_size / max(1, info.compress_size)
    if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise InputTooLarge(f"文档部件 {name} 的压缩比为 {ratio:.0f} 倍，远超正常 Word 文档，疑似压缩炸弹，已拒绝读取", path)
    if info.file_size > MAX_PART_BYTES:
        raise InputTooLarge(f"文档部件 {name} 解压后 {info.file_size // 1048576} MB，超过上限，疑似压缩炸弹，已拒绝读取", path)
    try:
        with zf.open(info) as f:
            return f.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]
    except RuntimeError as e:  # an encrypted member
        raise CorruptDocument(f"文档已加密，无法读取（{e}）；请去除密码后再试", path) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as e:
        raise CorruptDocument(f"Word 文档已损坏（{name}：{e}）", path) from None


def main_part(zf: zipfile.ZipFile, path: str) -> str:
    """The name of the main document part, from the package relationships."""
    names = set(zf.namelist())
    if "_rels/.rels" in names:
        from lxml import etree

        try:
            rels = etree.fromstring(read_part(zf, "_rels/.rels", path), _xml_parser())
        except etree.XMLSyntaxError:
            rels = None
        for rel in rels.iter() if rels is not None else ():
            if _OFFICE_DOC_REL.search(rel.get("Type") or "") and rel.get("Target"):
                target = normpath(rel.get("Target", "").lstrip("/"))
                if target in names and "word" in target.lower():
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise _not_word(zf, names, path)


def _not_word(zf: zipfile.ZipFile, names: set[str], path: str) -> UnsupportedFormat:
    if "xl/workbook.xml" in names:
        what = "Excel 表格（.xlsx）"
    elif "ppt/presentation.xml" in names:
        what = "PowerPoint 演示文稿（.pptx）"
    elif "mimetype" in names and read_part(zf, "mimetype", path)[:100].startswith(b"application/vnd.oasis.opendocument"):
        what = "OpenDocument 文档（非文字处理文档）"
    else:
        what = "普通 zip 压缩包"
    return UnsupportedFormat(f"这是{what}，不是 Word 文档（缺少 word/document.xml）；请提供报告本身的 Word、PDF 或网页文件", path)


def _is_odf_text(zf: zipfile.ZipFile, path: str) -> bool:
    names = zf.namelist()
    return "mimetype" in names and read_part(zf, "mimetype", path)[:100].startswith(_ODF_TEXT)


def _xml_parser():  # type: ignore[no-untyped-def]
    from lxml import etree

    # no entities, no network, no huge trees: the XML is untrusted
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)


# ================================================================== numbering
_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (enough for list numbering)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, s in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out += s
            n -= v
    return out


# Word's own bounds on list numbering (ST_DecimalNumber in practice): nine levels, a
# start below 32768; a label pattern of a few placeholders. A numbering part outside them
# is hostile (a label per paragraph of megabytes): clamped, not followed.
MAX_LEVELS = 9
MAX_START = 32767
MAX_LABEL_TEXT = 64
MAX_LETTER_REPEAT = 8  # A..Z, AA..ZZ, ... then plain digits
MAX_ROMAN = 3999


def small_int(v: str | None, default: int, hi: int) -> int:
    """A non-negative decimal attribute (ASCII digits only: '²'.isdigit() is true too),
    clamped to ``hi``; ``default`` when it is not one."""
    if not v or not v.isascii() or not v.isdigit():
        return default
    return min(int(v[:12]), hi)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperLetter", "lowerLetter") and n > 26 * MAX_LETTER_REPEAT:
        return str(n)
    if fmt in ("upperRoman", "lowerRoman") and not 0 < n <= MAX_ROMAN:
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital", "japaneseCounting"):
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass(slots=True)
class Numbering:
    """Word's list numbering: numId -> abstract levels -> (start, format, text pattern)."""

    levels: dict[str, dict[int, tuple[int, str, str]]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def load(cls, xml: bytes | None, w: str) -> Numbering:
        num = cls()
        if not xml:
            return num
        from lxml import etree

        try:
            root = etree.fromstring(xml, _xml_parser())
        except etree.XMLSyntaxError:
            return num
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for a in root.iter(f"{w}abstractNum"):
            lv: dict[int, tuple[int, str, str]] = {}
            for lvl in a.iter(f"{w}lvl"):
                ilvl = small_int(lvl.get(f"{w}ilvl", "0"), -1, MAX_LEVELS)
                if not 0 <= ilvl < MAX_LEVELS:
                    continue
                start = small_int(_val(lvl.find(f"{w}start"), w), 1, MAX_START)
                fmt = _val(lvl.find(f"{w}numFmt"), w) or "decimal"
                text = (_val(lvl.find(f"{w}lvlText"), w) or "")[:MAX_LABEL_TEXT]
                lv[ilvl] = (start, fmt, text)
            abstract[a.get(f"{w}abstractNumId", "")] = lv
        for n in root.iter(f"{w}num"):
            ref = _val(n.find(f"{w}abstractNumId"), w)
            if ref in abstract:
                num.levels[n.get(f"{w}numId", "")] = abstract[ref]
        return num

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of this list at this level, as Word would show it."""
        lv = self.levels.get(num_id)
        if not lv or ilvl not in lv:
            return ""
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, lv[ilvl][0] - 1) + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            self.counters.pop((num_id, deeper), None)  # a new item restarts its sub-levels

        def level_number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in lv:
                return ""
            count = self.counters.get((num_id, k), lv[k][0])
            return _format_number(count, lv[k][1])

        return re.sub(r"%(\d)", level_number, lv[ilvl][2])


def _val(el, w: str) -> str | None:  # type: ignore[no-untyped-def]
    return None if el is None else el.get(f"{w}val")


# ================================================================== the body
class Body:
    """Walks the document body in order, emitting rows: a row per paragraph line (a
    tab-separated line is a row of several blocks) and a grid row per table row."""

    def __init__(self, w: str, numbering: Numbering, out: Out) -> None:
        self.w = w
        self.numbering = numbering
        self.out = out
        self.tables = 0
        self.paragraphs = 0
        self.skipped_chunks = 0

    def walk(self, parent, depth: int = 0) -> None:  # type: ignore[no-untyped-def]
        w = self.w
        for el in parent:
            if self.out.full or depth > MAX_DEPTH:
                return
            tag = el.tag
            if tag == f"{w}p":
                self.paragraph(el)
            elif tag == f"{w}tbl":
                self.table(el, depth)
            elif tag == f"{w}altChunk":
                self.skipped_chunks += 1
            elif tag in (f"{w}sdt", f"{w}sdtContent", f"{w}customXml", f"{w}smartTag", f"{w}ins", f"{w}moveTo"):
                self.walk(el, depth + 1)

    # ---- paragraphs
    def paragraph(self, p) -> None:  # type: ignore[no-untyped-def]
        """A body paragraph: Origin.line is its ordinal among the body's paragraphs."""
        self.paragraphs += 1
        text, boxes = self.paragraph_text(p)
        line = self.paragraphs
        for piece in text.split("\n"):
            fields = [f.strip() for f in piece.split("\t")]
            while fields and not fields[0]:
                fields.pop(0)
            while fields and not fields[-1]:
                fields.pop()
            if fields:
                self.out.add([(f, Origin(line=line)) for f in fields])
        for box in boxes:
            self.walk(box)

    def paragraph_text(self, p, numbered: bool = True) -> tuple[str, list]:  # type: ignore[type-arg, no-untyped-def]
        """A paragraph's text ('\\t' for tabs, '\\n' for line breaks) and its text boxes.
        ``numbered``: render (and count) Word's list number; off for mere inspection."""
        parts: list[str] = [self.number(p) if numbered else ""]
        boxes: list = []  # type: ignore[type-arg]
        for ch in p:
            self._visit(ch, 0, parts, boxes)
        return "".join(parts), boxes

    def _visit(self, el, depth: int, parts: list[str], boxes: list) -> None:  # type: ignore[type-arg, no-untyped-def]
        """``paragraph_text``'s walk over ``el``: its text onto ``parts``, its text boxes onto
        ``boxes``. (A method, not a closure: a closure that calls itself is a reference cycle,
        and the parse runs with the cyclic collector paused, ``tests/test_no_cycles.py``.)"""
        w = self.w
        tag = el.tag
        if tag == f"{w}t":
            parts.append(el.text or "")
        elif tag in (f"{w}tab", f"{w}ptab"):
            parts.append("\t")
        elif tag in (f"{w}br", f"{w}cr"):
            parts.append("\n")
        elif tag == f"{w}noBreakHyphen":
            parts.append("-")
        elif tag == f"{w}txbxContent":
            boxes.append(el)
        elif tag in (f"{w}rt", f"{w}del", f"{w}moveFrom", f"{w}instrText", f"{w}delText", _MC_FALLBACK, f"{w}pPr", f"{w}rPr"):
            return  # ruby (pinyin) text, deletions, field codes, duplicate fallbacks
        elif depth < MAX_DEPTH:
            for ch in el:
                self._visit(ch, depth + 1, parts, boxes)

    def number(self, p) -> str:  # type: ignore[no-untyped-def]
        w = self.w
        num = p.find(f"{w}pPr/{w}numPr")
        if num is None:
            return ""
        num_id = _val(num.find(f"{w}numId"), w)
        ilvl = _val(num.find(f"{w}ilvl"), w) or "0"
        level = small_int(ilvl, -1, MAX_LEVELS)
        if not num_id or num_id == "0" or not 0 <= level < MAX_LEVELS:
            return ""
        label = self.numbering.label(num_id, level)
        # Word separates the number from the text by a tab (the default) or a space; a tab
        # here would split the heading into two fields, so a space stands in where needed
        return label + " " if label and label[-1].isalnum() else label

    # ---- tables
    def table(self, tbl, depth: int) -> None:  # type: ignore[no-untyped-def]
        rows = list(self.own(tbl, "tr"))
        cells = [list(self.own(tr, "tc")) for tr in rows]
        if tbl.find(f".//{self.w}tbl") is not None or self.is_layout(cells):
            for row in cells:
                for tc in row:
                    self.walk(tc, depth + 1)
            return
        grid, cut = self.grid(rows, cells)
        self.out.add_table(grid, self.tables, cut)
        self.tables += 1

    def own(self, parent, name: str) -> Iterator:  # type: ignore[type-arg, no-untyped-def]
        """Children named ``name``, looking through content controls and custom XML."""
        w = self.w
        for el in parent:
            if el.tag == f"{w}{name}":
                yield el
            elif el.tag in (f"{w}sdt", f"{w}sdtContent", f"{w}customXml"):
                yield from self.own(el, name)

    def is_layout(self, cells: list[list]) -> bool:  # type: ignore[type-arg]
        """A narrow table used as a frame around long flowing text (nested tables are
        checked by the caller)."""
        w = self.w
        if max((len(r) for r in cells), default=0) > 3:
            return False
        for row in cells[:LAYOUT_PROBE_ROWS]:
            for tc in row:
                paras = [self.paragraph_text(p, numbered=False)[0] for p in tc.iter(f"{w}p")]
                lines = [x for x in paras if x.strip()]
                if len(lines) >= 3 or sum(len(x) for x in lines) > LONG_CELL:
                    return True
        return False

    def cell_text(self, tc) -> str:  # type: ignore[no-untyped-def]
        pieces: list[str] = []
        for p in self.own(tc, "p"):
            text, _ = self.paragraph_text(p)
            pieces.extend(x.replace("\t", " ").strip() for x in text.split("\n"))
        return join_pieces(" ".join(x.split()) for x in pieces)

    def grid(self, rows: list, cells: list[list]) -> tuple[list[list[GridCell]], bool]:  # type: ignore[type-arg]
        """Source cells as GridCells: a vMerge run becomes one cell's rowspan, gridBefore a
        phantom. One pass, and bounded: a hostile table is cut, not walked to its end."""
        w = self.w
        out: list[list[GridCell]] = []
        active: dict[int, GridCell] = {}  # column -> the cell that restarted a vertical merge there
        count = 0
        for tr, row in zip(rows, cells, strict=True):
            if count + len(row) > MAX_TABLE_POSITIONS:
                return out, True
            col = _int(_val(tr.find(f"{w}trPr/{w}gridBefore"), w), 0)
            row_cells = [GridCell("", colspan=col, phantom=True)] if col else []
            present: set[int] = set()
            for tc in row[:MAX_COLS]:
                span = max(1, _int(_val(tc.find(f"{w}tcPr/{w}gridSpan"), w), 1))
                vm = tc.find(f"{w}tcPr/{w}vMerge")
                vmerge = None if vm is None else (vm.get(f"{w}val") or "continue")
                if vmerge == "continue" and col in active:
                    active[col].rowspan += 1  # covered: the merged cell reaches down here
                else:
                    cell = GridCell(self.cell_text(tc), colspan=span)
                    row_cells.append(cell)
                    if vmerge == "restart":
                        active[col] = cell
                    else:
                        active.pop(col, None)
                present.add(col)
                col += span
            for c in [c for c in active if c not in present]:
                del active[c]  # a merge ends where its column has no cell
            count += len(row)
            out.append(row_cells)
        return out, any(len(r) > MAX_COLS for r in cells)


def _int(v: str | None, default: int) -> int:
    return small_int(v, default, MAX_COLS)


# ================================================================== entry point
def read_docx(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    try:
        from lxml import etree
    except ImportError:
        raise extras.missing("docx", path, modules=("lxml",)) from None
    zf = open_archive(data, path)
    if _is_odf_text(zf, path):
        return read_legacy_office(data, path, settings)
    name = main_part(zf, path)
    try:
        root = etree.fromstring(read_part(zf, name, path), _xml_parser())
    except etree.XMLSyntaxError as e:
        raise CorruptDocument(f"Word 文档的正文（{name}）已损坏，无法解析：{e}", path) from None
    w = _namespace(root)
    body = root.find(f"{w}body")
    if body is None:
        raise CorruptDocument("Word 文档没有正文（document.xml 中缺少 body）", path)
    numbering = Numbering.load(_related_part(zf, name, "numbering.xml", path), w)
    out = Out(max_chars=settings.max_text_chars)
    walker = Body(w, numbering, out)
    walker.walk(body)
    return Document(
        path=path,
        media_type=MEDIA_TYPE,
        blocks=to_blocks(out.rows),
        findings=_findings(out, walker),
        meta={"tables": walker.tables, "paragraphs": walker.paragraphs},
    )


def _namespace(root) -> str:  # type: ignore[no-untyped-def]
    tag = root.tag if isinstance(root.tag, str) else ""
    ns = tag[1:].split("}")[0] if tag.startswith("{") else _W_NS[0]
    return f"{{{ns}}}"


def _related_part(zf: zipfile.ZipFile, main: str, name: str, path: str) -> bytes | None:
    """A part beside the main document (numbering.xml), or None."""
    target = normpath(join(dirname(main), name))
    if target not in zf.namelist():
        return None
    try:
        return read_part(zf, target, path)
    except (InputTooLarge, CorruptDocument):
        return None  # numbering is a nicety; the text is still readable without it


def _findings(out: Out, walker: Body) -> list[Finding]:
    found: list[Finding] = out.limit_findings("Word 文档")
    if walker.skipped_chunks:
        found.append(Finding.of("EMBEDDED_CONTENT", count=walker.skipped_chunks))
    return found


def read_legacy_office(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    """A .doc, .wps, .rtf or .odt file: converted to DOCX by LibreOffice (``legacy``), then read."""
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    check_ole(data, path)
    suffix, media_type = kind_of(data)
    converted = convert_to_docx(data, suffix, path)
    doc = read_docx(converted, path, settings)
    doc.media_type = media_type
    doc.meta["converted_with"] = "libreoffice"
    doc.findings.append(Finding.of("CONVERTED", suffix=suffix))
    return doc


__all__ = ["MEDIA_TYPE", "main_part", "open_archive", "read_docx", "read_legacy_office", "read_part"]
