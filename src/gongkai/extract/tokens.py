"""Blocks -> tokens: the smallest pieces the table logic reasons about.

A token is text (a label or a fragment of one), a value (a number, with its sign and any
unit written in the cell), a blank mark (``/``, ``—``, ``无``: a cell that is there and
empty), an empty field (a tab field or table cell with nothing in it, which may be an
empty cell or just layout), or an unread cell (OCR put a mark where a number is: the cell
is there, its value is not known). Space-separated numbers inside one block ("95 0 0 0 0 0 95",
as PDF text has them) become separate value tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from ..domain.text import BLANK_MARKS, CHANGE_WORDS, COUNT_UNITS, MAX_NUMBER_DIGITS, MONEY_UNITS
from ..model import Block, Origin, Value

Kind = Literal["text", "value", "blank", "empty", "unread"]

_NUMBER = re.compile(
    r"^(?P<sign>[+\-])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>万元|亿元|元|件|条|个|项|次|宗|人次|人|份)?$"
)
_NUMBER_START = frozenset("0123456789+-.")
# a change written in words (增10, 减3, 新增2): the word, then a count
_WORDED = re.compile(r"^(" + "|".join(sorted(CHANGE_WORDS, key=len, reverse=True)) + r")\s*(\d+)\s*(?:个|项|件|条)?$")
_WORDED_START = frozenset(w[0] for w in CHANGE_WORDS)
_PREFIX = re.compile(r"^\d{1,2}[.、．]$")
# a numbered label ("1. 属于国家秘密", "2.重复申请"): digits only in its numbering
_NUMBERED_LABEL = re.compile(r"\d{1,2}[.、．]\D*")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Token:
    kind: Kind
    text: str
    row: int
    origin: Origin
    value: Value = None
    unit: str | None = None
    # an empty cell of a real table grid (HTML, DOCX, ruled PDF): a blank cell where the
    # row has room for it, unlike an empty tab field, which may be layout padding
    cell: bool = False

    @property
    def key_text(self) -> str:
        """Text without spaces, for label matching."""
        return self.text.replace(" ", "")


def parse_number(text: str) -> tuple[Value, str | None] | None:
    """'12' -> (12, None); '+3' -> (3, None); '-4' -> (-4, None); '251000元' -> (251000, '元');
    '96171.6' -> Decimal('96171.6'). None when the text is not a number."""
    m = _NUMBER.match(text)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    if len(num) > MAX_NUMBER_DIGITS + 4:  # (a decimal point and a few decimals)
        return None
    try:
        value: int | Decimal = int(num) if "." not in num else Decimal(num)
    except (ValueError, InvalidOperation):
        return None
    if m.group("sign") == "-":
        value = -value
    unit = m.group("unit")
    if unit in COUNT_UNITS:
        unit = None
    return value, unit


def _prose(text: str) -> bool:
    """Fewer than one character in five a digit (text is NFKC: digits are ASCII)."""
    return sum(map(text.count, "0123456789")) * 5 < len(text)


def block_tokens(block: Block, multi: bool) -> list[Token]:
    """Tokens of one block. ``multi``: the block shares its row with others, so an empty
    block is an empty field."""
    text = block.text
    o = block.origin
    if not text:
        if not multi:
            return []
        if o.table is not None:
            # a real table's grid is known (HTML, DOCX), so its empty cell is a blank cell,
            # never maybe-padding as an empty tab field may be
            return [Token("empty", "", block.row, o, cell=True)]
        return [Token("empty", "", block.row, o)]
    if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:  # a plain count, the commonest field
        return [Token("value", text, block.row, o, int(text))]
    if text in BLANK_MARKS:
        return [Token("blank", text, block.row, o)]
    first = text[0]
    if first in _WORDED_START:
        worded = worded_change(text)
        if worded is not None:
            return [Token("value", text, block.row, o, value=worded)]
    if (" " not in text and first not in _NUMBER_START) or (len(text) > 80 and _prose(text)):
        # a label, or a line of prose: no table row is that long with so few numbers
        return [Token("text", text, block.row, o)]
    if _DIGIT.search(text) is None:
        return _label_tokens(text, block.row, o)
    if _NUMBERED_LABEL.fullmatch(text):
        # what ``split_tokens`` makes of it (no piece after the numbering can be a number,
        # and none is a blank mark once the numbering is pending), without its piece parse
        return [Token("text", text.replace(" ", ""), block.row, o)]
    parsed = parse_number(text)
    if parsed is not None:
        return [Token("value", text, block.row, o, value=parsed[0], unit=parsed[1])]
    if " " not in text:
        return [Token("text", text, block.row, o)]
    return split_tokens(text, block.row, o)


def worded_change(text: str) -> int | None:
    """'增10' -> 10, '减3' -> -3, '新增2' -> 2; None when the text is not a change in words."""
    m = _WORDED.match(text)
    if m is None:
        return None
    return CHANGE_WORDS[m.group(1)] * int(m.group(2))


def split_tokens(text: str, row: int, o: Origin) -> list[Token]:
    """Tokens of a block of space-separated pieces: numbers, and the text and blank marks
    between them ("95 0 0 0 0 0 95", "(一) 予以公开 5 3")."""
    out: list[Token] = []
    pending: list[str] = []
    for piece in text.split(" "):
        parsed = parse_number(piece) if not _PREFIX.match(piece) else None
        if parsed is None and piece in BLANK_MARKS and pending == []:
            out.append(Token("blank", piece, row, o))
            continue
        if parsed is None and piece and piece[0] in _WORDED_START and (worded := worded_change(piece)) is not None:
            # 减4 as a piece of its own ("6 减4 2", "减4 |"): a signed change, one cell
            if pending:
                out.append(Token("text", "".join(pending), row, o))
                pending = []
            out.append(Token("value", piece, row, o, value=worded))
            continue
        if parsed is None:
            pending.append(piece)
            continue
        if len(pending) == 1 and pending[0] in CHANGE_WORDS and parsed[1] is None:
            # 减 3: the word and its count in two pieces are one cell, signed
            out.append(Token("value", pending[0] + piece, row, o, value=CHANGE_WORDS[pending[0]] * parsed[0]))
            pending = []
            continue
        if pending:
            out.append(Token("text", "".join(pending), row, o))
            pending = []
        out.append(Token("value", piece, row, o, value=parsed[0], unit=parsed[1]))
    if pending:
        out.append(Token("text", "".join(pending), row, o))
    return out


def _label_tokens(text: str, row: int, o: Origin) -> list[Token]:
    """``split_tokens`` for a text with no digit in it (a label with spaces, "结 果 维 持"),
    without parsing each piece: one text token, after any blank marks that open it."""
    pieces = text.split(" ")
    if pieces[0] not in BLANK_MARKS:
        return [Token("text", "".join(pieces), row, o)]
    marks: list[Token] = []
    for i, piece in enumerate(pieces):
        if piece not in BLANK_MARKS:
            marks.append(Token("text", "".join(pieces[i:]), row, o))
            break
        marks.append(Token("blank", piece, row, o))
    return marks


def tokenize(blocks: list[Block]) -> list[Token]:
    """The tokens of every block, in reading order (``block_tokens``)."""
    out: list[Token] = []
    seen: set[tuple[int, int | None, int | None]] = set()
    last = len(blocks) - 1
    prev_row = None
    for i, b in enumerate(blocks):
        o = b.origin
        if o.table is not None:
            # a real table (HTML, DOCX): the positions a merged cell covers repeat the
            # merged cell's own origin and are skipped
            cell = (o.table, o.row, o.col)
            if not b.text and cell in seen:
                prev_row = b.row
                continue
            seen.add(cell)
        # whether the block shares its row with others, from its neighbours: the blocks of
        # a row sit together (``model.Block``; ``tests/test_tokens.py`` holds every reader to it)
        multi = prev_row == b.row or (i < last and blocks[i + 1].row == b.row)
        out.extend(block_tokens(b, multi))
        prev_row = b.row
    return out


MONEY = MONEY_UNITS
