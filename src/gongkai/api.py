"""The library API: what the CLI, the store and the web app call."""

from __future__ import annotations

import os

from .errors import GongkaiError, InputTooLarge
from .extract import extract
from .gc_pause import gc_paused
from .guard.files import read_regular, regular_file
from .guard.worker import run
from .model import Document, Report
from .normalize import normalize
from .read import read_document, reader_for
from .read.url import fetch
from .settings import DEFAULT, Settings
from .validate import validate


def read_bytes(data: bytes, path: str = "<bytes>", settings: Settings = DEFAULT) -> Document:
    return read_document(data, path, settings)


# A path longer than this, or one with a line break, is report text passed by mistake.
MAX_PATH_CHARS = 4096


def _shown(s: str, n: int = 40) -> str:
    """A name as an error may show it: short, on one line."""
    one = " ".join(s.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _load(source: str | os.PathLike[str], settings: Settings) -> tuple[bytes, str]:
    s = str(source)
    if s.startswith(("http://", "https://")):
        return fetch(s, settings), s
    if isinstance(source, str) and ("\n" in s or len(s) > MAX_PATH_CHARS):
        raise GongkaiError(
            f"需要文件路径、网址或 bytes，收到的是一段 {len(s)} 个字符的文本（{_shown(s)}）；"
            "报告的文字请用 gongkai.parse_text(text)",
            "<文本>",
        )
    return read_regular(s, settings.max_input_bytes), s


def read_file(source: str | os.PathLike[str], settings: Settings = DEFAULT) -> Document:
    """A path or URL -> Document (the read stage alone)."""
    data, path = _load(source, settings)
    return read_document(data, path, settings)


def parse_bytes(data: bytes, path: str = "<bytes>", settings: Settings = DEFAULT) -> Report:
    """bytes -> validated Report. Raises GongkaiError only when nothing can be read."""
    # the readers and stages make no reference cycles (tests/test_no_cycles.py), so the
    # cyclic collector's passes over their thousands of short-lived objects would find nothing
    with gc_paused():
        doc = reader_for(data, path).read(data, path, settings)
        report = extract(normalize(doc), settings.format)
        # the document dies here, inside the pause: alive at its end, its blocks would be
        # young objects for the collector's next pass to walk (a fortieth of a text parse)
        del doc
        report.findings.extend(validate(report))
    if settings.strict:
        bad = [f for f in report.findings if f.source == "extraction" and f.severity != "info"]
        if bad:
            raise GongkaiError("严格模式：" + "；".join(f.message for f in bad[:3]), path)
    return report


def parse_text(text: str, path: str = "<文本>", settings: Settings = DEFAULT) -> Report:
    """The text of a report (a ``str``) -> validated Report."""
    if not isinstance(text, str):
        raise TypeError(f"parse_text 需要 str，收到 {type(text).__name__}；文件请用 gongkai.parse(path)")
    return parse_bytes(text.encode("utf-8"), path, settings)


def parse(source: str | os.PathLike[str] | bytes, settings: Settings = DEFAULT) -> Report:
    """A path, URL or bytes -> validated Report, in this process (the pipeline's own caps only).
    (Report text as a ``str``: ``parse_text``.)"""
    if isinstance(source, bytes):
        return parse_bytes(source, "<bytes>", settings)
    data, path = _load(source, settings)
    return parse_bytes(data, path, settings)


def parse_bounded(source: str | os.PathLike[str] | bytes, settings: Settings = DEFAULT, path: str | None = None) -> Report:
    """``parse`` under the document budget (``settings.max_seconds``, ``max_memory_bytes``):
    in a reusable worker process that is killed at the bound (``gongkai.guard``). A document
    over a bound raises ``Timeout`` or ``OutOfMemory`` naming it. ``max_seconds=0`` parses
    here, unbounded. What the CLI and the web app's uploads call."""
    if settings.max_seconds == 0:
        return parse_bytes(source, path or "<bytes>", settings) if isinstance(source, bytes) else parse(source, settings)
    if isinstance(source, bytes):
        return run("gongkai.api", "parse_bytes", (source, path or "<bytes>", settings), settings, path or "<bytes>")
    s = str(source)
    if not s.startswith(("http://", "https://")):
        # what is refused by its type or size needs no worker (the worker checks it again)
        st = regular_file(s)
        if st.st_size > settings.max_input_bytes:
            raise InputTooLarge(f"文件大小 {st.st_size // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", s)
    return run("gongkai.api", "parse", (s, settings), settings, s)
