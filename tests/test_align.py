"""Aligning a row's fields with its columns: the short cuts give what enumeration gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.extract.align import any_blanks, as_written, enumerate_readings, grouped_blank_check, readings, row_blank_check
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
