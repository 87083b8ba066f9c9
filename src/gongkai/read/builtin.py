"""The built-in readers, registered through the same hook as any plugin's (``gongkai.hooks``).

Sniffing is by content (magic bytes, markup), never by file name. Each format's reader
lives in its own module and is imported only when used, so a missing optional extra
(pdfplumber, lxml, python-docx, rapidocr) costs nothing until a file needs it.
"""

from __future__ import annotations

import importlib
import re

from ..guard.structure import check_html, check_pdf
from ..hooks import hookimpl
from ..model import Document
from ..settings import Settings
from . import Reader
from .text import read_text

_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|table|div|p|title)[\s>/]", re.I)


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _is_ole(head: bytes) -> bool:  # legacy .doc / .wps (Compound File Binary)
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_image(head: bytes) -> bool:
    return (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith(b"\xff\xd8\xff")
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or head.startswith(b"BM")
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
    )


def _is_rtf(head: bytes) -> bool:
    return head.startswith(b"{\\rtf")


def _is_html(head: bytes) -> bool:
    sample = head[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 HTML
        sample = sample.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    # (no tag without a "<": one byte scan spares plain text the case-blind regex search)
    return b"<" in sample and bool(_HTML.search(sample))


def _lazy(module: str, func: str, check=None):  # type: ignore[no-untyped-def]
    """The reader ``module.func``, imported on first use; ``check(data, path)`` first (a
    hostile structure refused before the reader starts: ``gongkai.guard.structure``)."""

    def read(data: bytes, path: str, settings: Settings) -> Document:
        if check is not None:
            check(data, path)
        mod = importlib.import_module(f"gongkai.read.{module}")
        return getattr(mod, func)(data, path, settings)

    read.__name__ = f"{module}.{func}"
    return read


@hookimpl
def register_readers() -> list[Reader]:
    return [
        Reader("pdf", "application/pdf", _is_pdf, _lazy("pdf", "read_pdf", check_pdf), priority=10),
        Reader(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _is_zip,
            _lazy("docx", "read_docx"),
            priority=20,
        ),
        Reader("legacy-office", "application/msword", _is_ole, _lazy("docx", "read_legacy_office"), priority=20),
        Reader("rtf", "application/rtf", _is_rtf, _lazy("docx", "read_legacy_office"), priority=20),
        Reader("image", "image/*", _is_image, _lazy("image", "read_image"), priority=30),
        Reader("html", "text/html", _is_html, _lazy("html", "read_html", check_html), priority=40),
        Reader("text", "text/plain", lambda head: True, read_text, priority=100),
    ]
