"""Blocks -> tokens: the kinds, the numbers, and the short cut for labels with spaces."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.extract.tokens import _label_tokens, block_tokens, parse_number, split_tokens, tokenize
from gongkai.model import Block, Origin

ORIGIN = Origin(0, 1, 1)


def kinds(text: str, multi: bool = True) -> list[tuple[str, str, object]]:
    return [(t.kind, t.text, t.value) for t in block_tokens(Block(text, 1, ORIGIN), multi)]


def test_numbers_signs_units_and_decimals() -> None:
    assert parse_number("12") == (12, None)
    assert parse_number("+3") == (3, None)
    assert parse_number("-4") == (-4, None)
    assert parse_number("251000元") == (251000, "元")
    assert parse_number("1,234") == (1234, None)
    assert parse_number("96171.6") == (Decimal("96171.6"), None)
    assert parse_number("12件") == (12, None)  # a count unit says nothing the column does not
    assert parse_number("十二") is None
    assert parse_number("1.属于") is None


def test_block_kinds() -> None:
    assert kinds("") == [("empty", "", None)]
    assert kinds("", multi=False) == []  # a line of nothing is not a cell
    assert kinds("/") == [("blank", "/", None)]
    assert kinds("95 0 0 3") == [("value", "95", 95), ("value", "0", 0), ("value", "0", 0), ("value", "3", 3)]
    assert kinds("结 果 维 持") == [("text", "结果维持", None)]
    assert kinds("(一) 予以公开 5 3") == [("text", "(一)予以公开", None), ("value", "5", 5), ("value", "3", 3)]
    assert kinds("1. 属于国家秘密") == [("text", "1.属于国家秘密", None)]
    assert kinds("/ / 合计") == [("blank", "/", None), ("blank", "/", None), ("text", "合计", None)]
    assert kinds("无 无") == [("blank", "无", None), ("blank", "无", None)]


_PIECES = st.sampled_from(["结果", "维持", "(一)", "予以公开", "/", "无", "—", "-", "N/A", "其他", "", "总计"])


@given(st.lists(_PIECES, min_size=1, max_size=8))
def test_label_short_cut_is_the_general_split(pieces: list[str]) -> None:
    """A text without digits takes a short cut; it must give what the piece-by-piece
    split gives."""
    text = " ".join(pieces)
    assert _label_tokens(text, 1, ORIGIN) == split_tokens(text, 1, ORIGIN)


_NUMBERED = st.builds(
    lambda n, mark, spaced, rest: f"{n}{mark}{' ' if spaced else ''}{' '.join(rest)}",
    st.integers(0, 99),
    st.sampled_from([".", "、", "．"]),
    st.booleans(),
    st.lists(st.sampled_from(["属于", "国家秘密", "/", "无", "", "—", "N/A", "重复申请", "5", "1.5", "其他"]), max_size=5),
)


@given(_NUMBERED)
def test_numbered_label_short_cut_is_the_general_split(text: str) -> None:
    """A numbered label ("1. 属于国家秘密") takes a short cut when no digit follows its
    numbering; with or without it, the tokens are those of the piece-by-piece split."""
    assert block_tokens(Block(text, 1, ORIGIN), True) == split_tokens(text, 1, ORIGIN)


def _readable_files() -> list[Path]:
    files = Path(__file__).parent / "files"
    return sorted(p for p in files.rglob("*") if p.suffix in (".txt", ".html", ".docx", ".pdf"))


@pytest.mark.parametrize("path", _readable_files(), ids=lambda p: p.name)
def test_every_reader_keeps_a_rows_blocks_together(path: Path) -> None:
    """``tokenize`` tells an empty field from a line of nothing by its neighbours, which
    holds because the blocks of one row sit together in every reader's output."""
    from gongkai.api import read_file

    if path.suffix == ".pdf":
        pytest.importorskip("pdfplumber")
    from gongkai.errors import GongkaiError

    try:
        rows = [b.row for b in read_file(path).blocks]
    except GongkaiError:  # (a file there to be refused: the encrypted PDF)
        pytest.skip("not readable by design")
    finished = set()
    for prev, row in zip([None, *rows], rows, strict=False):
        if row != prev:
            assert row not in finished, f"row {row} resumes after another row"
            if prev is not None:
                finished.add(prev)


@given(st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["", "12", "合计", "1. 属于", "/", "5 3"])), max_size=30))
def test_tokens_of_a_row_do_not_depend_on_its_neighbours_count(spec: list[tuple[int, str]]) -> None:
    """An empty field is a cell exactly when its row has other fields (rows kept together)."""
    rows = sorted(spec, key=lambda x: x[0])  # (stable: each row's fields in order)
    blocks = [Block(text, row, ORIGIN) for row, text in rows]
    counts = Counter(row for row, _ in rows)
    want = [t for b in blocks for t in block_tokens(b, counts[b.row] > 1)]
    assert tokenize(blocks) == want
