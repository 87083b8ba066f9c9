"""Several table-cell crops read in one recogniser run: each character goes back to the crop
it was read from, and the readings are those of the crops read one at a time."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from gongkai.read import ocr

HAS_OCR = importlib.util.find_spec("rapidocr_onnxruntime") is not None and importlib.util.find_spec("cv2") is not None
CHARSET = ["blank", "0", "1", "2", " "]


def _preds(steps: list[int], classes: int = len(CHARSET)) -> np.ndarray:
    out = np.full((len(steps), classes), 0.01, dtype=np.float32)
    for t, c in enumerate(steps):
        out[t, c] = 0.9
    return out


def test_characters_go_to_the_part_their_step_lies_in() -> None:
    # 8 steps over 64 px: 8 px a step; the parts end at x=24 and x=40
    preds = _preds([1, 1, 0, 2, 0, 0, 3, 3])  # "0" at x=4, "1" at x=28, "2" at x=52
    got = ocr._decode_columns(preds, CHARSET, 64, [32.0, 40.0])
    assert [t for t, _ in got] == ["01", "", "2"]
    assert got[1][1] == 0.0  # a part with no character scores nothing
    assert got[0][1] == pytest.approx(0.9)


def test_a_repeat_across_a_blank_is_two_characters() -> None:
    got = ocr._decode_columns(_preds([1, 0, 1, 1]), CHARSET, 32, [])
    assert got == [("00", pytest.approx(0.9))]


def test_a_gap_read_as_a_space_does_not_lower_the_score() -> None:
    preds = _preds([1, 4, 0, 2])
    preds[1, 4] = 0.2
    got = ocr._decode_columns(preds, CHARSET, 32, [16.0])
    assert got == [("0 ", pytest.approx(0.9)), ("1", pytest.approx(0.9))]


def test_strips_are_packed_up_to_their_width() -> None:
    w = ocr.STRIP_MAX_WIDTH
    runs = ocr._strip_runs([w // 2, w // 2, 10, w])
    assert runs == [[0, 1], [2], [3]]


def _digits(text: str) -> np.ndarray:
    import cv2

    img = np.full((40, 24 * len(text) + 24), 255, dtype=np.uint8)
    cv2.putText(img, text, (12, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    return img


@pytest.mark.skipif(not HAS_OCR, reason="needs the ocr extra")
def test_numbers_read_together_are_read_as_alone() -> None:
    numbers = ["0", "17", "305", "4", "2021", "98"]
    crops = [_digits(n) for n in numbers]
    together = ocr._engine().text_rec.strips(crops)
    assert [t.strip() for t, _ in together] == numbers
    assert min(score for _, score in together) > ocr.MIN_SCORE


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def _xs(q: np.ndarray) -> tuple[int, int]:
    return int(q[:, 0].min()), int(q[:, 0].max())


def test_a_box_reaches_over_a_thin_stroke_it_missed() -> None:
    ink = np.zeros((40, 200), dtype=bool)
    ink[20:22, 30:46] = True  # a thin "一" the detector left out, 6 px before the box's ink
    ink[10:30, 52:100] = True  # the box's own characters
    (q,) = ocr._reach(ink, [_quad(50, 10, 102, 30)])
    assert _xs(q) == (28, 102)  # the box's margin (2 px) kept on the new end


def test_a_box_stops_at_a_rule_and_at_another_box() -> None:
    ink = np.zeros((40, 300), dtype=bool)
    ink[:, 40:42] = True  # a vertical rule
    ink[20:22, 43:47] = True  # ink between the rule and the box
    ink[10:30, 50:100] = True
    ink[10:30, 108:150] = True  # the next box's ink, 8 px on
    left, right = ocr._reach(ink, [_quad(49, 10, 101, 30), _quad(106, 10, 152, 30)])
    assert _xs(left) == (42, 101)  # over the ink, not past the rule
    assert _xs(right) == (106, 152)  # neither box takes the other's ink


def test_a_box_with_blank_ends_is_left_as_it_is() -> None:
    ink = np.zeros((40, 200), dtype=bool)
    ink[10:30, 60:100] = True
    ink[12:14, 20:30] = True  # far away (30 px: over 0.6 of the 20 px height)
    (q,) = ocr._reach(ink, [_quad(58, 10, 102, 30)])
    assert _xs(q) == (58, 102)


@pytest.mark.skipif(not HAS_OCR, reason="needs the ocr extra")
def test_a_narrowed_text_line_reads_as_the_line() -> None:
    import cv2

    line = "2022 11 100 3008 7 55"
    crop = _digits(line)
    assert crop.shape[1] >= ocr.SQUEEZE_FROM * crop.shape[0]  # a line: narrowed
    [(text, score)], _ = ocr._engine().text_rec([cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)])
    assert text.replace(" ", "") == line.replace(" ", "") and score > 0.9  # "11", "100", "55" kept


@pytest.mark.skipif(not HAS_OCR, reason="needs the ocr extra")
def test_the_detector_input_is_normalised_in_float32() -> None:
    """RapidOCR's mean and std are float64, which made the page's normalisation float64
    (twice the time) before the cast to float32; the result is float32 either way."""
    pre = ocr._engine().text_det.get_preprocess(2000)
    page = np.random.default_rng(0).integers(0, 256, (64, 96, 3), dtype=np.uint8)
    x = pre.normalize(page)
    assert x.dtype == np.float32
    assert np.allclose(x, (page.astype(np.float64) / 255 - 0.5) / 0.5, atol=1e-6)
