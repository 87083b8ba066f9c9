"""One PDF page through PDFium (pypdfium2, Apache-2.0/BSD): glyphs, rules and pictures.

PDFium parses the page's content in C; this module only asks it for what the layout
needs, through its C API (``pypdfium2.raw``), with the coordinates that pdfminer's
interpreter gave before (so the layout and table logic is unchanged):

* device space of a page turned by its ``/Rotate``, origin at the media box's corner,
  then top-down (``top = height - y``);
* a glyph's box runs from its origin along the advance width, and from the font's
  descent up one font size (pdfminer's ``LTChar``); its turn (0, 90, 180, 270, or None
  for an oblique watermark) comes from its text matrix and the page rotation;
* a path is split into subpaths at each move-to (pdfminer's ``paint_path``), and each
  subpath gives its axis-parallel strokes when it is painted in a dark colour (``rules``);
  a thin dark filled rectangle is a rule as well;
* a picture is the box of an image object.

Everything PDFium cannot map to Unicode is ``(cid:N)``, as pdfminer wrote it, so that
the check for pages only OCR can read sees the same thing.
"""

from __future__ import annotations

import ctypes
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputTooLarge
from .layout_geom import Box, Glyph, Rule
from .layout_grid import MIN_RULE

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 16  # form XObjects inside form XObjects (PDFium refuses cycles itself)


def mult(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row-vector convention, as in PDF: p' = p * m * n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def page_ctm(rotate: int, mediabox: Box) -> tuple[Matrix, float, float]:
    """pdfminer's device matrix for a page: (matrix, width, height) of the turned page."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        ctm: Matrix = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif rotate == 180:
        ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif rotate == 270:
        ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
    w, h = abs(x1 - x0), abs(y1 - y0)
    return (ctm, h, w) if rotate in (90, 270) else (ctm, w, h)


def turn_of(a: float, b: float, c: float, d: float) -> int | None:
    """Which way a glyph's text runs: 0 across, 90 up, 180 upside down, 270 down; None
    for an oblique angle."""
    if abs(b) <= 0.35 * abs(a) and abs(c) <= 0.35 * abs(d):
        return 0 if a > 0 else 180
    if abs(a) <= 0.35 * abs(b) and abs(d) <= 0.35 * abs(c):
        return 90 if b > 0 else 270
    return None


@functools.cache
def _ushorts(n: int) -> Any:
    """The ctypes array type of ``n`` unsigned shorts, made once: ctypes keeps its array
    types only weakly, and a type dropped is a reference cycle left to the collector."""
    return ctypes.c_ushort * n


def light(rgba: tuple[int, int, int, int] | None) -> bool:
    """White or nearly (invisible on paper): cell backgrounds, not rules."""
    return rgba is not None and min(rgba[:3]) >= 0.9 * 255


class PageReader:
    """Reads pages of one open document; the ctypes buffers are made once."""

    def __init__(self, raw: Any, max_objects: int, path: str) -> None:
        self.r = raw
        self.max_objects = max_objects
        self.path = path
        # the C calls' out parameters, and pointers to them, made once per document
        self._rect = raw.FS_RECTF()
        self._m = raw.FS_MATRIX()
        self._m_p = ctypes.byref(self._m)
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._fx, self._fy = ctypes.c_float(), ctypes.c_float()
        self._fx_p, self._fy_p = ctypes.byref(self._fx), ctypes.byref(self._fy)
        self._l, self._b, self._rt, self._t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        self._ltrb_p = tuple(ctypes.byref(v) for v in (self._l, self._b, self._rt, self._t))
        self._fill, self._stroke = ctypes.c_int(), ctypes.c_int()
        self._fill_p, self._stroke_p = ctypes.byref(self._fill), ctypes.byref(self._stroke)
        self._cr, self._cg, self._cb, self._ca = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        self._rgba_p = tuple(ctypes.byref(v) for v in (self._cr, self._cg, self._cb, self._ca))
        self._text = _ushorts(max_objects + 1)()  # a page's text (its characters are counted first)

    # ------------------------------------------------------------------ text
    def glyphs(self, textpage: Any, ctm: Matrix, height: float) -> tuple[list[Glyph], Counter[int]]:
        """Every visible character as a glyph in top-down device space, and how many of
        them run each way other than across (90, 180, 270)."""
        r = self.r
        n = r.FPDFText_CountChars(textpage)
        if n <= 0:
            return [], Counter()
        if n >= len(self._text):
            self._text = _ushorts(n + 1)()
        buf = self._text
        got = r.FPDFText_GetText(textpage, 0, n, buf)
        text = bytes(memoryview(buf).cast("B")[: max(got - 1, 0) * 2]).decode("utf-16-le", "replace")
        if len(text) != n:  # an unpaired surrogate or a short read: one character at a time
            text = "".join(chr(r.FPDFText_GetUnicode(textpage, i)) for i in range(n))
        loose, matrix, size_of, unmapped = (
            r.FPDFText_GetLooseCharBox,
            r.FPDFText_GetMatrix,
            r.FPDFText_GetFontSize,
            r.FPDFText_HasUnicodeMapError,
        )
        rect, m = self._rect, self._m
        rect_p, m_p = ctypes.byref(rect), self._m_p
        ca, cb, cc, cd, ce, cf = ctm
        upright_page = ctm[:4] == IDENTITY[:4]
        glyphs: list[Glyph] = []
        turned: Counter[int] = Counter()
        for i, ch in enumerate(text):
            if ch <= " " or ch.isspace():
                continue
            if not loose(textpage, i, rect_p) or not matrix(textpage, i, m_p):
                continue
            ma, mb, mc, md = m.a, m.b, m.c, m.d
            if upright_page and ma > 0 and abs(mb) <= 0.35 * ma and abs(mc) <= 0.35 * abs(md):
                # the common case, upright text on an unturned page, without the general path
                size = size_of(textpage, i) * abs(md)
                left, right, bottom = rect.left, rect.right, rect.bottom
                if right > left and rect.top >= bottom and not rect.top - bottom > 2.5 * size > 0:
                    if unmapped(textpage, i) == 1:
                        ch = f"(cid:{ord(ch)})"
                    y0 = bottom + cf
                    glyphs.append(Glyph(ch, left + ce, height - y0 - size, right + ce, height - y0, size))
                    continue
            # the glyph's matrix on the page, turned with it
            a, b, c, d = ma * ca + mb * cc, ma * cb + mb * cd, mc * ca + md * cc, mc * cb + md * cd
            turn = turn_of(a, b, c, d)
            if turn is None:
                continue
            fs = size_of(textpage, i)
            if unmapped(textpage, i) == 1:
                ch = f"(cid:{ord(ch)})"
            box = self._box(rect, m, fs, ctm, textpage, i)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            glyphs.append(Glyph(ch, x0, height - y1, x1, height - y0, y1 - y0))
            if turn:
                turned[turn] += 1
        return glyphs, turned

    def _box(self, rect: Any, m: Any, fs: float, ctm: Matrix, textpage: Any, i: int) -> Box | None:
        """pdfminer's box of a character from PDFium's loose box (origin to advance, font
        descent to ascent, in user space): the descent side kept, the other one font
        size away from it (scaled by the text matrix), then into device space."""
        left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
        if right < left:
            left, right = right, left
        if top < bottom:
            bottom, top = top, bottom
        if right - left <= 0:
            return None
        # user-space turn of the glyph (before the page rotation)
        ut = turn_of(m.a, m.b, m.c, m.d)
        if ut == 0:
            size = fs * abs(m.d)
            if top - bottom > 2.5 * size > 0:
                # PDFium left a scale of the text matrix out of the box (seen in a real
                # report set at 199 pt under a 0.05 matrix): scale it about the origin
                x, y = self._x, self._y
                if self.r.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y)):
                    ox, oy, k, kd = x.value, y.value, abs(m.a), abs(m.d)
                    left, right, bottom = ox + (left - ox) * k, ox + (right - ox) * k, oy + (bottom - oy) * kd
            top = bottom + size
        elif ut == 180:
            bottom = top - fs * abs(m.d)
        elif ut == 90:
            left = right - fs * abs(m.c)
        elif ut == 270:
            right = left + fs * abs(m.c)
        a, b, c, d, e, f = ctm
        xs = (left * a + bottom * c + e, right * a + top * c + e)
        ys = (left * b + bottom * d + f, right * b + top * d + f)
        return (min(xs), min(ys), max(xs), max(ys))

    # ------------------------------------------------------------------ paths and pictures
    def objects(self, page: Any, ctm: Matrix, height: float) -> tuple[list[Rule], list[Box], int, int]:
        """(rules, pictures, subpaths painted, objects seen) of a page, form XObjects included."""
        r = self.r
        found = _Found()
        raw = page.raw if hasattr(page, "raw") else page
        self._walk(found, r.FPDFPage_CountObjects(raw), r.FPDFPage_GetObject, raw, ctm, height, 0)
        return found.rules, found.images, found.subpaths, found.objects

    def _walk(
        self, found: _Found, count: int, get: Callable[[Any, int], Any], owner: Any, parent: Matrix, height: float, depth: int
    ) -> None:
        """The ``count`` objects of ``owner`` (the page, or a form XObject in it), got with ``get``."""
        r = self.r
        found.objects += count
        if found.objects > self.max_objects:
            raise InputTooLarge(f"单页对象数超过 {self.max_objects} 个（疑似 PDF 炸弹）", self.path)
        get_type, path_kind, image_kind, form_kind = (
            r.FPDFPageObj_GetType,
            r.FPDF_PAGEOBJ_PATH,
            r.FPDF_PAGEOBJ_IMAGE,
            r.FPDF_PAGEOBJ_FORM,
        )
        for i in range(count):
            obj = get(owner, i)
            kind = get_type(obj)
            if kind == path_kind:
                self._path(obj, parent, height, found)
            elif kind == image_kind:
                box = self._bounds(obj, parent, height)
                if box is not None and box[2] > box[0] and box[3] > box[1]:
                    found.images.append(box)
            elif kind == form_kind and depth < MAX_FORM_DEPTH:
                inner = mult(self._matrix(obj), parent)
                self._walk(found, r.FPDFFormObj_CountObjects(obj), r.FPDFFormObj_GetObject, obj, inner, height, depth + 1)

    def _matrix(self, obj: Any) -> Matrix:
        m = self._m
        if not self.r.FPDFPageObj_GetMatrix(obj, self._m_p):
            return IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _bounds(self, obj: Any, parent: Matrix, height: float) -> Box | None:
        """An object's box in top-down device space (its bounds are in its container's space)."""
        if not self.r.FPDFPageObj_GetBounds(obj, *self._ltrb_p):
            return None
        left, bottom, right, top = self._l.value, self._b.value, self._rt.value, self._t.value
        a, b, c, d, e, f = parent
        xs = (left * a + bottom * c + e, left * a + top * c + e, right * a + bottom * c + e, right * a + top * c + e)
        ys = (left * b + bottom * d + f, left * b + top * d + f, right * b + bottom * d + f, right * b + top * d + f)
        return (min(xs), height - max(ys), max(xs), height - min(ys))

    def _color(self, obj: Any, stroke: bool) -> tuple[int, int, int, int] | None:
        get = self.r.FPDFPageObj_GetStrokeColor if stroke else self.r.FPDFPageObj_GetFillColor
        if not get(obj, *self._rgba_p):
            return None
        return (self._cr.value, self._cg.value, self._cb.value, self._ca.value)

    def _path(self, obj: Any, parent: Matrix, height: float, found: _Found) -> None:
        r = self.r
        if not r.FPDFPath_GetDrawMode(obj, self._fill_p, self._stroke_p):
            return
        n = r.FPDFPath_CountSegments(obj)
        if n <= 0:
            return
        stroked = bool(self._stroke.value) and not light(self._color(obj, True))
        filled = self._fill.value != 0 and not light(self._color(obj, False))
        get_seg, seg_type, seg_point = r.FPDFPath_GetPathSegment, r.FPDFPathSegment_GetType, r.FPDFPathSegment_GetPoint
        moveto = r.FPDF_SEGMENT_MOVETO
        if not (stroked or filled):
            found.subpaths += sum(1 for k in range(n) if seg_type(get_seg(obj, k)) == moveto)
            return
        box = self._bounds(obj, parent, height)
        if box is not None and max(box[2] - box[0], box[3] - box[1]) < MIN_RULE:
            # too small in both directions for any rule: only its subpaths are counted
            found.subpaths += sum(1 for k in range(n) if seg_type(get_seg(obj, k)) == moveto)
            return
        a, b, c, d, e, f = mult(self._matrix(obj), parent)
        fx, fy = self._fx, self._fy
        fxp, fyp = self._fx_p, self._fy_p
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(n):
            seg = get_seg(obj, k)
            if not seg_point(seg, fxp, fyp):
                continue
            x, y = fx.value, fy.value
            pt = (x * a + y * c + e, height - (x * b + y * d + f))
            if not subpaths or seg_type(seg) == moveto:
                subpaths.append([pt])
            else:
                subpaths[-1].append(pt)
        found.subpaths += len(subpaths)
        for pts in subpaths:
            found.rules.extend(_rules_of(pts, stroked, filled))


@dataclass(slots=True)
class _Found:
    """What a page's objects give, gathered while they are walked."""

    rules: list[Rule] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    subpaths: int = 0  # subpaths painted
    objects: int = 0  # objects seen


def _rules_of(pts: list[tuple[float, float]], stroked: bool, filled: bool) -> list[Rule]:
    """The axis-parallel strokes of one subpath (top-down points) that is visible: stroked
    dark, or filled dark and thin (a rule drawn as a thin filled rectangle)."""
    if len(pts) < 2:
        return []
    if filled:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        w, h = x1 - x0, bottom - top
        if min(w, h) <= 2.5 and max(w, h) >= MIN_RULE:
            if w >= h:
                return [Rule(True, (top + bottom) / 2, x0, x1)]
            return [Rule(False, (x0 + x1) / 2, top, bottom)]
    if not stroked:
        return []
    if len(pts) == 2:  # a line: its one stroke (most table rules are drawn so)
        rule = _stroke(pts[0], pts[1])
        return [] if rule is None else [rule]
    out: list[Rule] = []
    for a, b in zip(pts, pts[1:] + pts[:1], strict=True):  # a polygon, closed
        rule = _stroke(a, b)
        if rule is not None:
            out.append(rule)
    return out


def _stroke(a: tuple[float, float], b: tuple[float, float]) -> Rule | None:
    """The rule a straight stroke from ``a`` to ``b`` draws: None unless it runs across or
    down (within 1 pt) for at least MIN_RULE."""
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 1.0 and abs(ax - bx) >= MIN_RULE:
        return Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx))
    if abs(ax - bx) <= 1.0 and abs(ay - by) >= MIN_RULE:
        return Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by))
    return None
