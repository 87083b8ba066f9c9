"""gongkai's readers and stages make no reference cycles, so ``gc_pause.gc_paused`` is safe.

``parse_bytes`` reads, normalizes, extracts and validates with the cyclic collector off:
anything left in a cycle would stay in memory until the collector next runs. Each input is
read, and its stages run, with the collector off, and a collection afterwards must find
nothing unreachable.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from gongkai.api import read_bytes
from gongkai.extract import extract
from gongkai.normalize import normalize
from gongkai.read.text import text_to_blocks
from gongkai.validate import validate
from helpers import CORPUS, FILES

SEEDS = CORPUS / "seeds"

INPUTS = [
    *sorted(SEEDS.glob("*.txt")),
    FILES / "html" / "official-2021-gbk.html",
    FILES / "docx" / "official-2019.docx",
    FILES / "pdf" / "report-ruled.pdf",
    FILES / "text" / "template_2021.tsv.txt",
]


def _unreachable_after(run) -> int:  # type: ignore[no-untyped-def]
    gc.collect()
    gc.disable()
    try:
        run()
        gc.set_debug(gc.DEBUG_SAVEALL)
        found = gc.collect()
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_stages_leave_no_cycles(path: Path) -> None:
    if path.suffix == ".pdf":
        pytest.importorskip("pypdfium2")
    doc = read_bytes(path.read_bytes(), str(path))

    def run() -> None:
        for fmt in (None, "2019", "2021"):  # the forced formats take other paths through align
            report = extract(normalize(doc), fmt)
            report.findings.extend(validate(report))

    assert _unreachable_after(run) == 0


@pytest.mark.parametrize("path", [p for p in INPUTS if p.suffix != ".pdf"], ids=lambda p: p.name)
def test_readers_leave_no_cycles(path: Path) -> None:
    """The HTML and Word readers walk lxml trees with functions of their own (a closure
    that calls itself is a cycle, and kept every cell of a page until the next collection)."""
    data = path.read_bytes()
    read_bytes(data, str(path))  # one-time set-up (lxml's parsers, the encodings) outside the count
    assert _unreachable_after(lambda: read_bytes(data, str(path))) == 0


def test_text_reader_leaves_no_cycles() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert _unreachable_after(lambda: [text_to_blocks(t) for t in texts]) == 0


@pytest.mark.parametrize("name", ["report-ruled.pdf", "report-sideways.pdf"])
def test_pdf_reader_leaves_no_cycles(name: str) -> None:
    """The PDF reader pauses the collector around its own stages (pages, layout): they must
    leave nothing in a cycle either (a closure walking form XObjects once kept every rule)."""
    pytest.importorskip("pypdfium2")
    from gongkai.read.pdf import read_pdf

    data = (FILES / "pdf" / name).read_bytes()
    read_pdf(data, name)  # ctypes' and PDFium's one-time set-up outside the count
    assert _unreachable_after(lambda: read_pdf(data, name)) == 0
