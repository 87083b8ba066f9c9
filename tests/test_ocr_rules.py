"""Table rules found on a scanned page: a row alone (the last row of a table continued from
the page before) keeps its cell borders, and a large title's strokes make no rules."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.read import ocr

pytestmark = pytest.mark.skipif(importlib.util.find_spec("cv2") is None, reason="needs the ocr extra")


def _page() -> object:
    import numpy as np

    return np.full((2339, 1654), 255, dtype=np.uint8)


def _hline(img: object, y: int, x0: int, x1: int) -> None:
    img[y : y + 3, x0:x1] = 0  # type: ignore[index]


def _vline(img: object, x: int, y0: int, y1: int) -> None:
    img[y0:y1, x : x + 3] = 0  # type: ignore[index]


def _verticals(img: object) -> list[tuple[int, int, int]]:
    return sorted((round(r.pos), round(r.a), round(r.b)) for r in ocr.find_rules(img) if not r.horizontal)


def test_a_row_alone_above_another_table_keeps_its_borders() -> None:
    img = _page()
    # one row, 44 px high (too short for the long runs), four cells; then a table of its own
    for y in (200, 244):
        _hline(img, y, 150, 1500)
    for x in (150, 600, 900, 1200, 1497):
        _vline(img, x, 200, 247)
    for y in range(244, 700, 45):
        _hline(img, y, 150, 1500)
    for x in (150, 400, 1497):
        _vline(img, x, 244, 697)
    short = [v for v in _verticals(img) if v[2] - v[1] < 60]
    assert [v[0] for v in short] == [602, 902, 1202]  # the row's inner borders
    grids = ocr.find_grids([ocr._scaled_rule(r, 72 / 200) for r in ocr.find_rules(img)])
    assert grids and max(len(g.xs) for g in grids) >= 5  # the row is cells, not one


def test_short_runs_in_a_row_that_has_its_borders_are_not_rules() -> None:
    img = _page()
    for y in range(200, 700, 45):
        _hline(img, y, 150, 1500)
    for x in (150, 600, 1497):
        _vline(img, x, 200, 652)
    _vline(img, 300, 245, 290)  # a stroke (a "1") from rule to rule in a ruled row
    assert all(v[2] - v[1] > 60 for v in _verticals(img))


def test_the_strokes_of_a_large_title_are_not_rules() -> None:
    img = _page()
    for x0 in range(300, 1300, 120):  # characters 100 px high: 口-like boxes of strokes
        _hline(img, 300, x0, x0 + 90)
        _hline(img, 340, x0, x0 + 90)
        _vline(img, x0, 300, 343)
        _vline(img, x0 + 87, 300, 343)
    assert not [v for v in _verticals(img) if v[2] - v[1] < 60]


HAS_OCR = importlib.util.find_spec("rapidocr_onnxruntime") is not None
FILES = Path(__file__).resolve().parent / "files" / "pdf"


def _row_read() -> list[str]:
    import cv2
    import numpy as np

    top = cv2.imread(str(FILES / "scan-row-alone.png"), cv2.IMREAD_GRAYSCALE)
    gray = np.full((1754, top.shape[1]), 255, np.uint8)  # the top of an A4 page at 150 dpi, as scanned
    gray[: top.shape[0]] = top
    glyphs, _ = ocr.recognise(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), 72 / 150)
    label = next(g for g in glyphs if "对外管理" in g.text)
    return [g.text for g in sorted(glyphs, key=lambda g: g.x0) if abs(g.cy - label.cy) < 6]


@pytest.mark.skipif(not HAS_OCR, reason="needs the ocr extra")
def test_a_scanned_row_alone_reads_cell_by_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan (150 dpi): the last row of table 2 at the top of a page, above table 3. Its
    label and its three numbers are four cells; without its short borders the row was one
    cell and read "其他对外管理服务事项—29—" (its 0 lost)."""
    assert _row_read() == ["其他对外管理服务事项", "2", "9", "0"]
    monkeypatch.setattr(ocr, "_row_rules", lambda *a, **k: [])
    assert _row_read() != ["其他对外管理服务事项", "2", "9", "0"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.05, 0.7), st.integers(1, 60), st.integers(1, 60))
def test_component_boxes_are_the_labelled_components_bounds(seed: int, density: float, h: int, w: int) -> None:
    """_component_boxes (outer borders) gives the bounds connectedComponentsWithStats gives,
    holes, components inside holes and the image's edges included."""
    import cv2
    import numpy as np

    mask = ((np.random.default_rng(seed).random((h, w)) < density) * 255).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    labelled = sorted((tuple(int(v) for v in stats[i][:4]) for i in range(1, n)), key=lambda b: (b[1], b[0], b[2], b[3]))
    assert [tuple(b) for b in ocr._component_boxes(mask)] == labelled


def test_component_boxes_of_a_ring_with_a_dot_inside() -> None:
    import numpy as np

    mask = np.zeros((30, 30), dtype=np.uint8)
    mask[5:25, 5:25] = 255
    mask[8:22, 8:22] = 0
    mask[14:16, 14:16] = 255
    assert [tuple(b) for b in ocr._component_boxes(mask)] == [(5, 5, 20, 20), (14, 14, 2, 2)]
    assert ocr._component_boxes(np.zeros((4, 4), dtype=np.uint8)) == []


def _turned_rules(n: int, degrees: float) -> object:
    import math

    import cv2

    img = _page()
    dy = math.tan(math.radians(degrees)) * 1300
    for k in range(n):
        y = 300 + 150 * k
        cv2.line(img, (150, y), (1450, y + round(dy)), 0, 3)  # type: ignore[call-overload]
    return img


def test_skew_is_read_from_two_long_rules_or_more() -> None:
    assert ocr._skew(_turned_rules(4, 1.5)) == pytest.approx(1.5, abs=0.1)
    assert ocr._skew(_turned_rules(2, -2.0)) == pytest.approx(-2.0, abs=0.1)
    assert ocr._skew(_turned_rules(1, 1.5)) == 0.0  # one rule is not enough to tell
    assert ocr._skew(_turned_rules(4, 0.0)) == 0.0
    assert ocr._skew(_page()) == 0.0
