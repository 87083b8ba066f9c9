"""OCR digit repair: only where the identities fix the value, and marked."""

from __future__ import annotations

import random

from gongkai.extract import extract
from gongkai.normalize import normalize
from gongkai.read.text import read_text
from helpers import fill_template, valid_cells


def parse_as_ocr(text: str):  # type: ignore[no-untyped-def]
    doc = read_text(text.encode("utf-8"), "scan.png")
    doc.meta["ocr"] = True
    return extract(normalize(doc))


def test_a_misread_digit_is_repaired_and_marked() -> None:
    cells = valid_cells(random.Random(11))
    # make 予以公开/自然人 38 and keep every identity: the same change on its row total,
    # its column's （七）总计, and 本年新收 of that column and the grand total
    delta = 38 - cells["t3.disclosed.natural_person"]  # type: ignore[operator]
    for k in (
        "t3.disclosed.natural_person",
        "t3.disclosed.total",
        "t3.total_handled.natural_person",
        "t3.total_handled.total",
        "t3.received.natural_person",
        "t3.received.total",
    ):
        cells[k] = cells[k] + delta  # type: ignore[operator]
    text = fill_template("template_2021.tsv.txt", cells)
    row = next(ln for ln in text.split("\n") if "(一) 予以公开" in ln)
    bad = row.replace("\t38\t", "\t88\t", 1)  # OCR reads 3 as 8
    report = parse_as_ocr(text.replace(row, bad))
    c = report.cells["t3.disclosed.natural_person"]
    assert (c.value, c.status) == (38, "repaired")
    assert any(f.rule == "OCR_REPAIRED" for f in report.findings)


def test_an_inconsistent_report_is_not_repaired() -> None:
    cells = valid_cells(random.Random(12))
    cells["t4.review.total"] = cells["t4.review.total"] + 250  # type: ignore[operator]
    report = parse_as_ocr(fill_template("template_2021.tsv.txt", cells))
    assert report.cells["t4.review.total"].value == cells["t4.review.total"]
    assert report.cells["t4.review.total"].status == "read"


def test_text_reports_are_never_repaired() -> None:
    cells = valid_cells(random.Random(13))
    cells["t4.review.upheld"] = cells["t4.review.upheld"] + 1  # type: ignore[operator]
    doc = read_text(fill_template("template_2021.tsv.txt", cells).encode(), "x.txt")
    report = extract(normalize(doc))
    assert report.cells["t4.review.upheld"].status == "read"


def _review_zeros_with_a_ring() -> tuple[dict, str]:  # type: ignore[type-arg]
    """A valid report whose 行政复议 group is all zeros, with its 其他结果 0 printed as the
    ring OCR makes of it: the cells and the text."""
    cells = valid_cells(random.Random(14))
    cells.update({k: 0 for k in cells if k.startswith("t4.review.")})
    text = fill_template("template_2021.tsv.txt", cells)
    t4_row = next(ln for ln in text.split("\n") if ln.count("\t") >= 14 and ln.split("\t")[0].isdigit())
    fields = t4_row.split("\t")
    fields[2] = "。"  # 行政复议 / 其他结果
    return cells, text.replace(t4_row, "\t".join(fields))


def test_an_ocr_ring_among_numbers_is_an_unread_cell_the_identities_derive() -> None:
    cells, text = _review_zeros_with_a_ring()
    report = parse_as_ocr(text)
    c = report.cells["t4.review.other"]
    assert (c.value, c.status) == (0, "derived")  # never read, never blank: derived
    assert report.values() == cells


def test_only_rings_beside_numbers_are_marked_unread() -> None:
    from gongkai.extract.repair import mark_unread
    from gongkai.extract.tokens import Token
    from gongkai.model import Origin

    o = Origin()
    tokens = [
        Token("text", "本年度未收到申请", 1, o),
        Token("text", "。", 1, o),  # ends a sentence: no number beside it
        Token("value", "0", 2, o, 0),
        Token("text", "。", 2, o),  # a ring among the numbers of a table row
        Token("value", "0", 2, o, 0),
        Token("text", "o", 3, o),  # a letter alone on its row
        Token("value", "5", 4, o, 5),
    ]
    assert mark_unread(tokens) == 1
    assert [t.kind for t in tokens] == ["text", "text", "value", "unread", "value", "text", "value"]


def test_a_text_report_never_reads_a_ring_as_a_number() -> None:
    _, text = _review_zeros_with_a_ring()
    report = extract(normalize(read_text(text.encode(), "x.txt")))
    c = report.cells.get("t4.review.other")
    assert c is None or c.raw != "。"


def test_a_row_label_with_its_number_run_on_is_split_and_prose_is_not() -> None:
    from gongkai.extract.repair import split_glued
    from gongkai.extract.tokens import Token
    from gongkai.model import Origin

    o = Origin(page=2)
    tokens = [Token("text", "行政许可6387", 1, o), Token("text", "全年共收到政府信息公开申请8", 2, o), Token("text", "2023", 3, o)]
    assert split_glued(tokens) == 1
    assert [(t.kind, t.text, t.value) for t in tokens] == [
        ("text", "行政许可", None),
        ("value", "6387", 6387),
        ("text", "全年共收到政府信息公开申请8", None),
        ("text", "2023", None),
    ]
    assert tokens[1].origin is o  # the value keeps the OCR box it was read from
