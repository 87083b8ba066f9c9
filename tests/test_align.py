"""Aligning a row's fields with its columns: the short cuts give what enumeration gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.labels import T3_COLUMNS
from gongkai.domain.rules import identities
from gongkai.extract.align import (
    Reading,
    RowChoice,
    Slot,
    any_blanks,
    as_written,
    enumerate_readings,
    grouped_blank_check,
    readings,
    row_blank_check,
    settle,
    violations,
)
from gongkai.extract.tokens import Token
from gongkai.model import Origin

ORIGIN = Origin(0, 1, 1)
FIELDS = {
    "v": Token("value", "5", 1, ORIGIN, 5),
    "0": Token("value", "0", 1, ORIGIN, 0),
    "b": Token("blank", "/", 1, ORIGIN),
    "e": Token("empty", "", 1, ORIGIN),
    "c": Token("empty", "", 1, ORIGIN, cell=True),  # an empty cell of a real table grid
}


def test_only_the_total_written() -> None:
    """Six empty tab fields and a total: six blank cells and the total, nothing lost."""
    fields = [FIELDS["e"]] * 6 + [FIELDS["v"]]
    (only,) = readings(fields, 7, row_blank_check(6))
    assert [s.kind for s in only.slots] == ["b"] * 6 + ["v"] and only.cost == 0


@given(st.text(alphabet="v0bec", min_size=1, max_size=9), st.booleans())
@settings(max_examples=500)
def test_short_cuts_agree_with_enumeration(shape: str, trailing: bool) -> None:
    fields = [FIELDS[k] for k in shape]
    for n, check in ((7, row_blank_check(6)), (5, row_blank_check(4)), (15, grouped_blank_check(3, 4))):
        assert readings(fields, n, check, trailing) == enumerate_readings(fields, n, check, trailing)


@given(st.text(alphabet="v0bec", min_size=1, max_size=9), st.booleans())
@settings(max_examples=500)
def test_rows_read_as_they_are_have_the_one_reading(shape: str, trailing: bool) -> None:
    """A row is read as written (``as_written``, the one short cut) only where the
    enumeration finds exactly that one reading."""
    fields = [FIELDS[k] for k in shape]
    for n, check in ((7, row_blank_check(6)), (5, row_blank_check(4)), (15, grouped_blank_check(3, 4)), (3, any_blanks)):
        only = as_written(fields, n, check)
        if only is not None:
            assert enumerate_readings(fields, n, check, trailing) == [only]


def _row(row: str) -> tuple[str, ...]:
    return tuple(f"t3.{row}.{c.key}" for c in T3_COLUMNS)


def _zeros_one_lost() -> list[Reading]:
    """A row of six zeros for seven columns: the lost cell anywhere."""
    zero = Slot("v", FIELDS["0"])
    return [Reading(tuple(Slot("m") if i == lost else zero for i in range(7)), 2) for lost in range(7)]


def test_a_row_that_settles_alone_leaves_the_fixed_rows_as_read() -> None:
    """A row of zeros with one cell lost settles on its own (zeros throughout, derived);
    the fixed rows keep their cells, even where their own numbers do not add up."""
    eqs = identities("2021")
    for total, bad in ((21, 0), (20, 1)):
        values = [*range(1, 7), total]
        fixed = {k: Slot("v", Token("value", str(v), 1, ORIGIN, v)) for k, v in zip(_row("received"), values, strict=True)}
        zeros = _row("disclosed")
        assert violations({k: s.value for k, s in fixed.items()}, eqs) == bad
        agreed, derived, ambiguous = settle(fixed, [RowChoice(zeros, _zeros_one_lost())], eqs, 1000)
        assert {k: s.value for k, s in agreed.items()} == dict(zip(_row("received"), values, strict=True))
        assert list(derived.items()) == [(k, 0) for k in zeros] and not ambiguous
