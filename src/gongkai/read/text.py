"""Plain-text reader: bytes -> decoded text -> blocks.

Three layouts real text extractions have, told apart line by line:

* tab-separated rows (PDF text): a line with tabs is one row, its fields the blocks;
* one cell per line (HTML text): lines that start with a single tab are cells, and a run of
  them not broken by an empty line is one table row;
* anything else: a line is a row of one block.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import DecodeError, InputTooLarge
from ..model import Block, Document, Finding, Origin
from ..settings import DEFAULT, Settings

_CELL_LINE = re.compile(r"^\t[^\t]*$")
_SENTENCE = re.compile(r"[。；;：:]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _cjk_share(text: str) -> float:
    """Share of characters that are common CJK, ASCII or CJK punctuation: plausible text."""
    if not text:
        return 1.0
    sample = text[:20000]
    good = 0
    for ch in sample:
        o = ord(ch)
        if o < 0x80 or 0x4E00 <= o <= 0x9FA5 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif ch in "“”‘’—…·":
            good += 1
    return good / len(sample)


def decode(data: bytes, path: str = "", encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes; return (text, encoding name). Never guesses silently wrong:
    a decoding that does not look like Chinese text is refused with a hint."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as e:
            raise DecodeError(f"无法按指定编码 {encoding} 解码：{e}", path) from e
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError as e:
                raise DecodeError(f"文件以 {name} 标记开头，但内容无法按此编码解码", path) from e
    head = data[:4096]
    if head.count(0) > len(head) // 8:
        # UTF-16 without a BOM: every other byte of ASCII/CJK text is often zero
        even_zero = head[0::2].count(0)
        odd_zero = head[1::2].count(0)
        for name in (("utf-16-le", "utf-16-be") if odd_zero >= even_zero else ("utf-16-be", "utf-16-le")):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) > 0.9:
                return text, name
        raise DecodeError("文件含有二进制内容，不是可识别的文本、PDF、HTML 或 Word 文档", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _cjk_share(text) > 0.9:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        best = from_bytes(data[:200000]).best()
    except Exception:  # a detector failure is not the user's problem; fall through
        best = None
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            text = ""
        if text and _cjk_share(text) > 0.9:
            return text, best.encoding
    raise DecodeError("无法确定文本编码（不是 UTF-8、GB18030/GBK 或 UTF-16），请用 --encoding 指定，例如 --encoding gbk", path)


_PIPE_RULE = re.compile(r"^[|:\s]*-[|:\-\s]*$")  # |---|---| (a row of empty cells, | | |, has no -)
# A row flattened without its opening pipe: cells separated by " | ", closed by a pipe.
_OPEN_PIPE_ROW = re.compile(r"^[^|]+ \| .*\|$")


def _pipe_fields(line: str, start: int, row: int, lineno: int, append) -> None:  # type: ignore[no-untyped-def]
    """The cells of a pipe-table row as blocks: between its pipes, the outer ones dropped
    (a row without its opening pipe starts with its first cell)."""
    first = line.index("|")
    if line[:first].strip():
        first = -1  # "规章 | 0 | 0 | 0 |": the first cell opens the line
    last = line.rindex("|")
    inner = line[first + 1 : last] if last > first else line[first + 1 :]
    col_start = start + first + 1
    for field in inner.split("|"):
        end = col_start + len(field)
        append(Block(field.strip(), row, Origin(col_start, end, lineno)))
        col_start = end + 1
    tail = line[last + 1 :].strip() if last > first else ""
    if tail:  # text after the last pipe: one more cell
        append(Block(tail, row, Origin(start + last + 1, start + len(line), lineno)))


def text_to_blocks(text: str) -> list[Block]:
    """Split decoded text into blocks with character offsets and line numbers.

    Each block's ``Origin(start, end, line)`` is made by position, the three fields in their
    order: a keyword argument to a class makes CPython 3.11 build a dict per call, and this
    loop makes one per field (the reader's time down by a third, ``docs/architecture.md``)."""
    blocks: list[Block] = []
    append = blocks.append
    row = 0
    pos = 0
    in_cells = False  # inside a run of one-cell-per-line rows
    crlf = "\r" in text
    for lineno, line in enumerate(text.split("\n"), 1):
        start = pos
        pos += len(line) + 1
        if crlf and line[-1:] == "\r":
            line = line[:-1]
        if "\t" not in line:
            stripped = line.strip()
            if not stripped:
                if in_cells:
                    row += 1
                    in_cells = False
                continue
            if in_cells and blocks and len(stripped) <= 15 and not _SENTENCE.search(line):
                # a wrapped cell ("本年新\n公开数量"): continue the last cell
                last = blocks[-1]
                last.text += stripped
                last.origin = Origin(last.origin.start, start + len(line), last.origin.line)
                continue
            in_cells = False
            if stripped.count("|") >= 3 and (stripped[0] == "|" or _OPEN_PIPE_ROW.match(stripped)):
                # a pipe table's row (Markdown, or a page's table flattened with pipes, with
                # or without its opening pipe: "规章 | 0 | 0 | 0 |"): its cells as fields, as
                # a tab-separated row's; the |---|---| rule under the header is no row at all
                if not _PIPE_RULE.match(stripped):
                    row += 1
                    _pipe_fields(line, start, row, lineno, append)
                    row += 1
                continue
            append(Block(stripped, row + 1, Origin(start, start + len(line), lineno)))
            row += 2
            continue
        if line[0] == "\t" and line.count("\t") == 1:
            # one cell per line: "\t" alone is an empty cell of the row, not a blank line
            if not in_cells:
                row += 1
                in_cells = True
            append(Block(line[1:].strip(), row, Origin(start + 1, start + len(line), lineno)))
            continue
        if line.isspace() and line.count("\t") < 2:
            if in_cells:
                row += 1
                in_cells = False
            continue
        in_cells = False
        row += 1
        col_start = start
        for field in line.split("\t"):
            end = col_start + len(field)
            append(Block(field.strip(), row, Origin(col_start, end, lineno)))
            col_start = end + 1
        row += 1
    return blocks


def read_text(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    text, enc = decode(data, path, settings.encoding)
    findings: list[Finding] = []
    if len(text) > settings.max_text_chars:
        findings.append(Finding.of("INPUT_TRUNCATED", "text", length=len(text), limit=settings.max_text_chars))
        text = text[: settings.max_text_chars]
    if enc not in ("utf-8", "utf-8-sig"):
        findings.append(Finding.of("ENCODING", encoding=enc))
    return Document(path=path, media_type="text/plain", blocks=text_to_blocks(text), encoding=enc, findings=findings)
