"""Read: bytes -> Document. One reader per format, chosen by content, not by file name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import GongkaiError, UnsupportedFormat
from ..hooks import gathered
from ..model import Document
from ..settings import Settings


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    media_type: str
    sniff: Callable[[bytes], bool]  # does this reader take these bytes? (first 64 KiB)
    read: Callable[[bytes, str, Settings], Document]
    priority: int = 50  # lower is tried first; the text reader is last


def readers() -> list[Reader]:
    return sorted(gathered("register_readers"), key=lambda r: r.priority)


def sniff(data: bytes) -> Reader:
    head = data[:65536]
    for r in readers():
        if r.sniff(head):
            return r
    raise UnsupportedFormat("无法识别的文件格式")


def reader_for(data: bytes, path: str) -> Reader:
    """The reader that takes these bytes; a Chinese error naming ``path`` when none does."""
    if not data.strip():
        raise GongkaiError("文件为空", path)
    try:
        return sniff(data)
    except UnsupportedFormat as e:
        raise UnsupportedFormat(e.message, path) from None


def read_document(data: bytes, path: str, settings: Settings) -> Document:
    return reader_for(data, path).read(data, path, settings)
