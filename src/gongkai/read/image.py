"""Image reader (PNG, JPEG, TIFF, BMP, WebP, GIF scans): OCR -> the layout shared with the PDF reader.

The pixel count is checked from the header before anything is decoded, so a 20000 x 20000
PNG of a few KB is refused at once. A multi-page TIFF is read page by page. Coordinates
are worked in points of a page 595 pt wide (A4), so the PDF geometry's tolerances hold;
``Origin.bbox`` is given back in pixels of the image.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import CorruptDocument, GongkaiError, InputTooLarge
from ..model import Document, Finding, Origin
from ..settings import DEFAULT, Settings
from . import ocr
from .layout import OCR_SECONDS_PER_PAGE, Budget, assemble
from .layout_geom import PageGeom

PAGE_WIDTH_PT = 595.0  # an A4 page: images are scaled to it for the layout tolerances
MAX_SIDE_PX = 3600  # larger scans are scaled down first (A4 at 300 dpi is 3508 px high)
_MEDIA = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}


def read_image(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    im = _open(data, path, settings)
    media = _MEDIA.get(str(im.format), "image/*")
    if not settings.ocr:
        doc = Document(path=path, media_type=media, blocks=[])
        doc.findings.append(Finding.of("OCR_SKIPPED", "image"))
        return doc
    ocr.require(path, "图像文件")
    frames = int(getattr(im, "n_frames", 1) or 1)
    budget = Budget(settings.max_pdf_seconds, path)
    budget.extend(OCR_SECONDS_PER_PAGE * min(frames, settings.max_pdf_pages))
    pages: list[PageGeom] = []
    scales: list[float] = []
    for n, rgb in _frames(im, path, settings):
        budget.check()
        k = PAGE_WIDTH_PT / rgb.shape[1]
        glyphs, rules = _recognise(rgb, k, path)
        pages.append(PageGeom(n, rgb.shape[1] * k, rgb.shape[0] * k, glyphs, rules, ocr=True))
        scales.append(k)
    doc = assemble(pages, path, media)
    _to_pixels(doc, scales)
    confs = [g.conf for p in pages for g in p.glyphs]
    doc.meta.update(ocr=True, bbox_unit="px")
    if confs:
        doc.meta["ocr_confidence"] = round(sum(confs) / len(confs), 3)
        doc.meta["ocr_low_confidence"] = sum(1 for c in confs if c < 0.8)
    doc.findings.append(Finding.of("OCR"))
    return doc


def _open(data: bytes, path: str, settings: Settings) -> Any:
    """Open lazily (header only) and refuse an oversized image before decoding it."""
    try:
        from PIL import Image
    except ImportError:
        ocr.require(path, "图像文件")
        raise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise InputTooLarge("图像像素数过大（疑似图像炸弹），拒绝读取", path) from None
    except Exception as e:  # Pillow's UnidentifiedImageError, SyntaxError from plugins, ...
        raise CorruptDocument(f"图像文件已损坏或格式无法识别（{type(e).__name__}）", path) from None
    w, h = im.size
    ocr.check_pixels(w, h, settings.max_image_pixels, path)
    return im


def _frames(im: Any, path: str, settings: Settings) -> Iterator[tuple[int, Any]]:
    """Each page of the image, decoded, upright (EXIF), at most MAX_SIDE_PX, as RGB."""
    n_frames = int(getattr(im, "n_frames", 1) or 1)
    if n_frames > settings.max_pdf_pages:
        raise InputTooLarge(f"图像共 {n_frames} 页，超过上限 {settings.max_pdf_pages} 页", path)
    for i in range(n_frames):
        try:
            with _strict_decoding():
                rgb = _frame(im, i, path, settings)
            yield i + 1, rgb
        except GongkaiError:
            raise
        except Exception as e:  # a truncated or broken stream fails only when decoded
            raise CorruptDocument(f"图像数据不完整或已损坏，无法解码（{type(e).__name__}）", path) from None


def _frame(im: Any, i: int, path: str, settings: Settings) -> Any:
    """Page ``i`` decoded, upright, bounded in size, as an RGB array."""
    import numpy as np
    from PIL import ImageOps

    im.seek(i)
    ocr.check_pixels(im.size[0], im.size[1], settings.max_image_pixels, path)
    frame = ImageOps.exif_transpose(im) or im
    if max(frame.size) > MAX_SIDE_PX:  # bounded memory; OCR sees no more detail than this
        frame = frame.copy()
        frame.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
    return np.asarray(frame.convert("RGB"))


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Decode with truncated data refused. WeasyPrint, once imported, switches Pillow's
    process-wide ImageFile.LOAD_TRUNCATED_IMAGES on; a cut scan must still be an error."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _recognise(rgb: Any, k: float, path: str) -> tuple[list[Any], list[Any]]:
    try:
        return ocr.recognise(rgb, k)
    except GongkaiError:
        raise
    except Exception as e:  # the OCR engine's own failures
        raise GongkaiError(f"文字识别（OCR）失败：{type(e).__name__}: {e}", path) from None


def _to_pixels(doc: Document, scales: list[float]) -> None:
    for b in doc.blocks:
        o = b.origin
        if o.bbox is None or o.page is None:
            continue
        k = scales[o.page - 1]
        b.origin = Origin(page=o.page, bbox=(o.bbox[0] / k, o.bbox[1] / k, o.bbox[2] / k, o.bbox[3] / k))
