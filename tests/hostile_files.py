"""Hostile inputs, made small and on demand (issue 12's table): each function returns the
bytes of one file. Used by tests/test_hostile.py, tests/test_fuzz.py and scripts/fuzz.py."""

from __future__ import annotations

import io
import zipfile

REPORT_HEAD = "XX县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n"


def pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with these numbered objects and a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (num, objects[num]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref))
    return out.getvalue()


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _content(text: bytes) -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)


def pdf_cycle(where: str) -> bytes:
    """A one-page PDF whose ``where`` (Count, Resources, Contents, Rotate, Kids) is an
    object that refers to itself through another: 7 -> 8 -> 7."""
    page = {
        "Resources": b"<< /Font << /F1 5 0 R >> >>",
        "Contents": b"4 0 R",
        "Rotate": b"0",
    }
    count = b"1"
    kids = b"[3 0 R]"
    if where == "Count":
        count = b"7 0 R"
    elif where == "Kids":
        kids = b"[3 0 R 2 0 R]"  # the page tree holds itself
    else:
        page[where] = b"7 0 R"
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids %s /Count %s >>" % (kids, count),
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        + b" ".join(b"/" + k.encode() + b" " + v for k, v in page.items())
        + b" >>",
        4: _content(b"2021 report"),
        5: _FONT,
    }
    if where != "Kids":
        objs[7], objs[8] = b"8 0 R", b"7 0 R"
    return pdf(objs)


def pdf_self_reference() -> bytes:
    """An object that is a reference to itself (``7 0 obj 7 0 R endobj``) as /Count."""
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 7 0 R >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        4: _content(b"2021"),
        5: _FONT,
        7: b"7 0 R",
    }
    return pdf(objs)


def pdf_dense(pages: int, glyphs: int = 20000) -> bytes:
    """Pages each holding ``glyphs`` separately placed glyphs (the glyph-dense PDF)."""
    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 5: _FONT}
    kids = []
    ops = b" ".join(b"1 0 0 1 %d %d Tm (%d) Tj" % (10 + (i % 100) * 6, 10 + (i // 100) % 130 * 6, i % 10) for i in range(glyphs))
    stream = b"BT /F1 4 Tf " + ops + b" ET"
    content = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    for p in range(pages):
        page, cont = 10 + 2 * p, 11 + 2 * p
        kids.append(b"%d 0 R" % page)
        objs[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            % cont
        )
        objs[cont] = content
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return pdf(objs)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/></Relationships>'
)


def docx(body: str, numbering: str | None = None, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal DOCX whose body is ``body`` (WordprocessingML, prefix ``w``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        )
        if numbering is not None:
            z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
            z.writestr(
                "word/numbering.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{numbering}</w:numbering>',
            )
    return out.getvalue()


def _p(text: str, num: str | None = None, ilvl: str = "0") -> str:
    pr = f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>' if num else ""
    return f"<w:p>{pr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_numbering_bomb(paragraphs: int = 200, fmt: str = "upperLetter") -> bytes:
    """List numbering that would make each paragraph's label megabytes long: a huge start
    in a letter (or roman) format, a label pattern of thousands of placeholders, levels
    numbered far past Word's nine."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="999999999"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{"%1" * 5000}"/></w:lvl>'
        for i in (0, 1, 99999999)
    )
    numbering = (
        f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = _p(REPORT_HEAD.split("\n")[0]) + "".join(_p(f"第{i}项", "1", "0" if i % 2 else "1") for i in range(paragraphs))
    return docx(body, numbering)


def docx_odd_numbers() -> bytes:
    """Numbering attributes that are not plain digits: '²' (isdigit() is true), 'x', a huge ilvl."""
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="²"><w:start w:val="³"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="0"><w:start w:val="¹"/><w:numFmt w:val="upperRoman"/>'
        '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = (
        _p(REPORT_HEAD.split("\n")[0]) + _p("一", "1", "²") + _p("二", "1", "x") + _p("三", "1", "0") + _p("四", "1", "9" * 5000)
    )
    return docx(body, numbering)


def docx_corrupt_deflate() -> bytes:
    """A DOCX whose document.xml deflate stream is damaged (zlib.error on reading it)."""
    data = bytearray(docx(_p(REPORT_HEAD) * 50))
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    return bytes(data)


def docx_many_elements(n: int) -> bytes:
    """A DOCX of ``n`` empty paragraphs: tiny compressed, a large tree."""
    return docx("<w:p/>" * n)


def html_tag_flood(n: int) -> bytes:
    return b"<html><body><p>" + REPORT_HEAD.encode() + b"<br>" * n + b"</p></body></html>"


def rtf_rows(n: int) -> bytes:
    row = rb"\trowd\cellx1000\cellx2000 1\cell 2\cell\row" + b"\n"
    return rb"{\rtf1\ansi{\fonttbl\f0 Arial;}\f0 2021\par " + row * n + b"}"


def digits(n: int) -> bytes:
    return (REPORT_HEAD + "1" * n + "\n" + "²³¹" + "\n").encode()
