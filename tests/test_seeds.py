"""The shared labelled corpus: every labelled cell and the metadata, exactly."""

from __future__ import annotations

import pytest

import gongkai
from gongkai.normalize import canonical
from helpers import CORPUS, labels

SEEDS = [lab for lab in labels() if lab["path"].startswith("seeds/")] if CORPUS.exists() else []


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]


@pytest.mark.parametrize("label", SEEDS, ids=[lab["path"] for lab in SEEDS])
def test_seed_cells_and_metadata(label: dict) -> None:
    report = gongkai.parse(CORPUS / label["path"])
    got = report.values()
    wrong = {k: (v, got.get(k, "<absent>")) for k, v in label["cells"].items() if k not in got or not _same(got[k], v)}
    assert wrong == {}
    assert report.report_year == label["report_year"]
    assert report.format == label["format"]
    body = label["issuing_body"]
    assert report.issuing_body and (body in report.issuing_body or report.issuing_body in body)


@pytest.mark.parametrize("label", SEEDS, ids=[lab["path"] for lab in SEEDS])
def test_seed_read_cells_have_provenance(label: dict) -> None:
    report = gongkai.parse(CORPUS / label["path"])
    read = [c for c in report.cells.values() if c.status == "read"]
    assert read, "no read cells"
    text = (CORPUS / label["path"]).read_bytes().decode("utf-8")
    for c in read:
        assert c.origin is not None and c.origin.line is not None
        # the origin's span holds the text the value was read from
        assert c.raw is not None and c.raw in canonical(text[c.origin.start : c.origin.end + 1])


def test_seed_identities_hold_so_no_report_errors() -> None:
    for label in SEEDS:
        report = gongkai.parse(CORPUS / label["path"])
        assert not [f for f in report.findings if f.source == "report" and f.severity == "error"], label["path"]


def test_lost_cells_are_marked_derived() -> None:
    report = gongkai.parse(CORPUS / "seeds/000_8cdd9bfe532ace7c.txt")
    derived = [k for k, c in report.cells.items() if c.status == "derived"]
    assert derived and all(k.startswith("t3.") for k in derived)
    assert any(f.rule == "DERIVED_CELL" and f.source == "extraction" for f in report.findings)


def test_blank_review_block_stays_blank() -> None:
    report = gongkai.parse(CORPUS / "seeds/000_8cdd9bfe532ace7c.txt")
    for col in ("upheld", "corrected", "other", "pending", "total"):
        assert report.cells[f"t4.review.{col}"].value is None
        assert report.cells[f"t4.review.{col}"].status == "blank"


def test_ambiguous_table4_cells_left_out_with_a_finding() -> None:
    # seed 002: sixteen tab fields and two zeros for fifteen columns
    report = gongkai.parse(CORPUS / "seeds/002_8c18c7b7e1a52a6a.txt")
    t3_parts = [report.cells[f"t3.received.{c}"].value for c in ("natural_person", "commercial", "other_org")]
    assert t3_parts == [None, None, None] and report.cells["t3.received.total"].value == 0
    assert report.format == "2021"


def test_traditional_mirror_is_recognised() -> None:
    report = gongkai.parse(CORPUS / "seeds/004_ba25dc56f264295d.txt")
    assert report.script == "traditional"
    assert report.publication_date == "2023-01-31"
    assert any(f.rule == "SPAM_REMOVED" for f in report.findings)
    assert "亚洲" not in "".join(report.sections.values())
