"""Page geometry shared by the PDF and the image reader: the types every layout stage works
with (boxes, glyphs, rules, pages, the blocks to be; top-down coordinates in points), and
glyph runs -> text lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

# ====================================================================== geometry types
Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Glyph:
    """A character (text layer) or a recognised text box (OCR), top-down coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size (PDF) or box height (OCR)
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A horizontal (at y=pos from x=a to b) or vertical (at x=pos from y=a to b) stroke."""

    horizontal: bool
    pos: float
    a: float
    b: float


@dataclass(slots=True)
class PageGeom:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    ocr: bool = False
    images: list[Box] = field(default_factory=list)  # where pictures are painted
    paths: int = 0  # vector paths painted (text converted to outlines is thousands)


@dataclass(slots=True)
class Out:
    """One block to be: text and where it came from."""

    text: str
    page: int
    bbox: Box
    # (table, row, col) of the ruled-grid cell this block comes from; the positions a
    # merged cell covers repeat its own, as the HTML/DOCX readers do, so the extractor
    # can tell an empty cell (a blank) from a merged cell's continuation
    cell: tuple[int, int, int] | None = None


# ====================================================================== text of glyph runs
def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o


def join_glyphs(glyphs: Sequence[Glyph]) -> str:
    """The glyphs' text, with a space where a gap is wider than a space: CJK text is set
    without spaces and is often spread out (justified, letter-spaced titles), so between
    two CJK characters the gap must be 0.9 of the larger font size, elsewhere 0.22."""
    out: list[str] = []
    prev: Glyph | None = None
    prev_cjk = False  # the previous glyph ends in a CJK character
    for g in glyphs:
        t = g.text
        if prev is not None:
            ratio = 0.9 if prev_cjk and t and is_cjk(t[0]) else 0.22
            if g.x0 - prev.x1 > ratio * max(prev.size, g.size, 1.0):
                out.append(" ")
        out.append(t)
        prev, prev_cjk = g, bool(t) and is_cjk(t[-1])
    return "".join(out).strip()


_X0, _TOP, _X1, _BOTTOM, _SIZE = (attrgetter(k) for k in ("x0", "top", "x1", "bottom", "size"))


def bbox(glyphs: Iterable[Glyph | Line]) -> Box:
    """The box around glyphs, or around lines (the same box as around all their glyphs)."""
    gs = glyphs if isinstance(glyphs, list) else list(glyphs)
    return (min(map(_X0, gs)), min(map(_TOP, gs)), max(map(_X1, gs)), max(map(_BOTTOM, gs)))


@dataclass(slots=True)
class Line:
    """Glyphs of one text line, left to right (never changed once the line is made: its
    box, size and text are worked out once, here)."""

    glyphs: list[Glyph]
    x0: float = field(init=False)
    top: float = field(init=False)
    x1: float = field(init=False)
    bottom: float = field(init=False)
    size: float = field(init=False)
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.x0, self.top, self.x1, self.bottom = bbox(self.glyphs)
        sizes = sorted(map(_SIZE, self.glyphs))
        self.size = sizes[len(sizes) // 2]
        self.text = join_glyphs(self.glyphs)

    @property
    def bbox(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def split(self, gap: float) -> list[Line]:
        """Runs of glyphs separated by more than ``gap`` x the line's size."""
        runs: list[list[Glyph]] = [[self.glyphs[0]]]
        for prev, g in zip(self.glyphs, self.glyphs[1:], strict=False):
            if g.x0 - prev.x1 > gap * max(self.size, 1.0):
                runs.append([])
            runs[-1].append(g)
        if len(runs) == 1:
            return [self]  # no gap that wide: the line itself (lines are never changed)
        return [Line(r) for r in runs]


def make_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Glyphs -> text lines, top to bottom. A glyph joins a line when its vertical centre
    lies within half a line height of the line's centre; glyphs painted twice to fake bold
    are kept once."""
    if not glyphs:
        return []  # an empty cell
    keys = [((g.top + g.bottom) / 2, g.x0) for g in glyphs]  # (centre, left): top to bottom, then across
    lines: list[list[Glyph]] = []
    line: list[Glyph] = []
    centre = height = 0.0  # of the line being filled
    for i in sorted(range(len(glyphs)), key=keys.__getitem__):
        g, cy = glyphs[i], keys[i][0]
        h = max(g.bottom - g.top, 1.0)
        if line and abs(cy - centre) <= 0.5 * min(h, height):
            n = len(line)
            line.append(g)
            centre = (centre * n + cy) / (n + 1)
            height = max(height, h)
            continue
        line = [g]
        lines.append(line)
        centre, height = cy, h
    return [Line(_dedupe(sorted(gs, key=_X0))) for gs in lines]


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    out: list[Glyph] = []
    for g in glyphs:
        p = out[-1] if out else None
        if p is not None and p.text == g.text and abs(p.x0 - g.x0) < 0.3 * g.size and abs(p.top - g.top) < 0.3 * g.size:
            continue
        out.append(g)
    return out


def lines_text(lines: Sequence[Line]) -> str:
    """A cell's lines as one string: wrapped CJK text joins without a space."""
    out = ""
    for ln in lines:
        t = ln.text
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out
