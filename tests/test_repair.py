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
