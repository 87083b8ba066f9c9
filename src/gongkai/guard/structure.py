"""Structures that would make a reader go round or balloon, refused before it starts
(the fast path in front of the document budget, which bounds whatever gets past these).

* PDF: an object whose whole body is a reference to another object (``7 0 obj 8 0 R
  endobj``), in a chain that comes back to itself. A reader resolving ``/Count``,
  ``/Resources``, ``/Contents`` or ``/Rotate`` through such a chain never stops.
* HTML: a page of millions of tags (16 M ``<br>`` in 63 MB) whose tree needs gigabytes;
  a report's page has tens of thousands.
"""

from __future__ import annotations

import re

from ..errors import CorruptDocument, InputTooLarge

MAX_HTML_TAGS = 1_000_000
# (the body first, from the literal "obj": a pattern opening with digits is tried at every digit)
_ALIAS = re.compile(rb"obj\s*(\d{1,10})\s+(\d{1,5})\s+R\s*endobj")
_HEAD = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+$")


def pdf_reference_cycle(data: bytes) -> list[str] | None:
    """The objects of a reference cycle among the PDF's alias objects, or None."""
    if b"R" not in data:
        return None
    alias: dict[tuple[int, int], tuple[int, int]] = {}
    for m in _ALIAS.finditer(data):
        head = _HEAD.search(data, max(0, m.start() - 24), m.start())
        if head is not None:
            alias[int(head[1]), int(head[2])] = (int(m[1]), int(m[2]))
    done: set[tuple[int, int]] = set()  # chains already followed to their end: linear in all
    for start in alias:
        seen = {start: 0}
        order = [start]
        cur = alias[start]
        while cur in alias and cur not in done:
            if cur in seen:
                return [f"{n} {g} R" for n, g in [*order[seen[cur] :], cur]]
            seen[cur] = len(order)
            order.append(cur)
            cur = alias[cur]
        done.update(order)
    return None


def check_pdf(data: bytes, path: str) -> None:
    loop = pdf_reference_cycle(data)
    if loop:
        raise CorruptDocument(f"PDF 的对象引用形成循环（{' → '.join(loop)}），疑似恶意构造，已拒绝读取", path)


def check_html(data: bytes, path: str) -> None:
    tags = data.count(b"<")
    if tags > MAX_HTML_TAGS:
        raise InputTooLarge(f"网页含有 {tags:,} 个标记，超过上限 {MAX_HTML_TAGS:,}，疑似恶意构造，已拒绝读取", path)
