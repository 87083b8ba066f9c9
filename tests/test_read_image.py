"""The image reader: oversized images refused from the header, broken ones named, the OCR
extra asked for by its install command, and a scanned table read back to its cells."""

from __future__ import annotations

import importlib.util
import io
import struct
import sys
import time
import zlib
from pathlib import Path

import pytest

from gongkai.api import parse_bytes
from gongkai.errors import CorruptDocument, InputTooLarge, MissingDependency
from gongkai.read.image import read_image
from gongkai.settings import Settings

PIL = pytest.importorskip("PIL")
FILES = Path(__file__).resolve().parent / "files" / "pdf"
REAL = Path(__file__).parents[2] / "shared" / "corpus" / "real"
HAS_OCR = importlib.util.find_spec("rapidocr_onnxruntime") is not None
HAS_PDFIUM = importlib.util.find_spec("pypdfium2") is not None


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height but holds almost no data: only its header is true."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def _png(width: int = 64, height: int = 48) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, format="PNG")
    return out.getvalue()


def test_huge_png_is_refused_from_its_header() -> None:
    data = _png_header(20000, 20000)
    assert len(data) < 200
    t = time.perf_counter()
    with pytest.raises(InputTooLarge, match="像素") as e:
        parse_bytes(data, "huge.png")
    assert time.perf_counter() - t < 1.0
    assert e.value.path == "huge.png"


def test_pixel_limit_comes_from_settings() -> None:
    with pytest.raises(InputTooLarge, match="64×48"):
        read_image(_png(), "small.png", Settings(max_image_pixels=1000))


@pytest.mark.skipif(not HAS_OCR, reason="without OCR the missing extra is reported before decoding")
def test_truncated_image_is_corrupt() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(out, format="PNG")  # noise: the data really is cut
    data = out.getvalue()
    with pytest.raises(CorruptDocument, match=r"不完整|损坏"):
        read_image(data[: len(data) // 2], "cut.png")


def test_garbage_after_a_png_signature_is_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="图像"):
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "junk.png")


def test_missing_ocr_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now fails
    with pytest.raises(MissingDependency, match=r"pip install 'gongkai\[ocr\]'") as e:
        parse_bytes(_png(), "scan.png")
    assert "rapidocr-onnxruntime" in e.value.message


def test_ocr_switched_off_gives_an_empty_document_with_a_finding() -> None:
    doc = read_image(_png(), "scan.png", Settings(ocr=False))
    assert doc.blocks == [] and [f.rule for f in doc.findings] == ["OCR_SKIPPED"]
    assert doc.media_type == "image/png"


@pytest.mark.skipif(not HAS_OCR, reason="rapidocr-onnxruntime not installed")
def test_scanned_table_is_read_back_to_its_cells() -> None:
    """tests/files/pdf/scan-t3.png: table 3 of a generated report, rendered with pypdfium2."""
    report = parse_bytes((FILES / "scan-t3.png").read_bytes(), "scan-t3.png")
    want = {
        "t3.received": [95, 3, 0, 0, 1, 0, 99],
        "t3.carried_over": [2, 0, 0, 0, 0, 0, 2],
        "t3.disclosed": [50, 1, 0, 0, 1, 0, 52],
        "t3.partially_disclosed": [9, 0, 0, 0, 0, 0, 9],
        "t3.withheld.third_party": [2, 0, 0, 0, 0, 0, 2],
        "t3.withheld.inquiry": [3, 0, 0, 0, 0, 0, 3],
        "t3.unavailable.not_held": [20, 1, 0, 0, 0, 0, 21],
    }
    cols = ["natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
    got = {row: [report.value(f"{row}.{c}") for c in cols] for row in want}
    assert got == want
    cell = report.cells["t3.received.total"]
    assert cell.origin is not None and cell.origin.page == 1
    x0, top, x1, bottom = cell.origin.bbox  # type: ignore[misc]
    assert 1000 < x0 < x1 < 1240 and 300 < top < bottom < 420  # pixels of the 1240 px wide image
    assert report.media_type == "image/png"


@pytest.mark.skipif(not (HAS_OCR and HAS_PDFIUM), reason="rapidocr-onnxruntime / pypdfium2 not installed")
def test_rendered_real_page_is_read_back() -> None:
    path = REAL / "huaian-city-gov-2024.pdf"
    if not path.exists():
        pytest.skip("shared corpus absent")
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(path.read_bytes())[3]
    out = io.BytesIO()
    page.render(scale=150 / 72).to_pil().convert("L").save(out, format="PNG")
    doc = read_image(out.getvalue(), "page4.png")
    assert doc.meta["ocr"] is True and doc.meta["ocr_confidence"] > 0.8
    rows = [[b.text for b in r] for r in doc.rows()]
    assert ["行政处罚", "3985758"] in rows
    assert ["行政事业性收费", "96171.6"] in rows
    t3 = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert t3[-7:] == ["3001", "53", "0", "0", "61", "4", "3119"]
