"""Real-report variants on a tab-separated 2021 template: every one parses back exactly."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gongkai.api import parse_bytes
from gongkai.domain.labels import T3_PARTS, t3_rows
from helpers import fill_template, valid_cells


def parse_text(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode("utf-8"), "variant.txt")


def assert_cells(report, cells: dict) -> None:  # type: ignore[no-untyped-def]
    got = report.values()
    wrong = {k: (v, got.get(k, "<absent>")) for k, v in cells.items() if got.get(k, "<absent>") != v}
    assert wrong == {}


@pytest.mark.parametrize("seed", range(8))
def test_random_valid_report_round_trips(seed: int) -> None:
    cells = valid_cells(random.Random(seed))
    report = parse_text(fill_template("template_2021.tsv.txt", cells))
    assert report.issuing_body == "测试县教育局"
    assert report.report_year == 2023 and report.format == "2021"
    assert_cells(report, cells)
    assert all(c.status == "read" for c in report.cells.values())
    assert not [f for f in report.findings if f.severity == "error"]


def test_only_total_column_filled() -> None:
    cells = valid_cells(random.Random(1))
    for r in t3_rows("2021"):
        for c in T3_PARTS:
            cells[f"t3.{r}.{c}"] = None  # type: ignore[assignment]
    report = parse_text(fill_template("template_2021.tsv.txt", cells))
    assert_cells(report, cells)


def test_total_blank_on_outcome_rows_is_derived_not_invented_as_read() -> None:
    cells = valid_cells(random.Random(2))
    outcome = [r for r in t3_rows("2021") if r not in ("received", "carried_over", "total_handled", "carried_forward")]
    for r in outcome:
        cells[f"t3.{r}.total"] = None  # type: ignore[assignment]
    report = parse_text(fill_template("template_2021.tsv.txt", cells))
    for r in outcome:
        c = report.cells[f"t3.{r}.total"]
        # a trailing empty field is layout in tab text; the value comes from the identity, marked so
        assert c.status == "derived"
        assert c.value == sum(cells[f"t3.{r}.{p}"] for p in T3_PARTS)  # type: ignore[misc]


@pytest.mark.parametrize("mark", ["/", "—", "-", "无", "／"])
def test_blank_marks_are_null_not_zero(mark: str) -> None:
    cells = valid_cells(random.Random(3))
    text = fill_template("template_2021.tsv.txt", cells)
    text = text.replace(f"行政强制\t{cells['t2.enforcement.decisions']}", f"行政强制\t{mark}")
    lines = text.split("\n")
    review = next(i for i, ln in enumerate(lines) if ln.count("\t") == 14 and ln.split("\t")[0].isdigit())
    fields = lines[review].split("\t")
    fields[:5] = [mark] * 5
    lines[review] = "\t".join(fields)
    report = parse_text("\n".join(lines))
    assert report.cells["t2.enforcement.decisions"].value is None
    assert report.cells["t2.enforcement.decisions"].status == "blank"
    for col in ("upheld", "corrected", "other", "pending", "total"):
        assert report.cells[f"t4.review.{col}"].value is None
    assert report.cells["t4.litigation_direct.total"].value == cells["t4.litigation_direct.total"]


def test_2021_report_keeping_the_single_other_row() -> None:
    cells = valid_cells(random.Random(4))
    text = fill_template("template_2021.tsv.txt", cells)
    lines = text.split("\n")
    i = next(i for i, ln in enumerate(lines) if "逾期不补正" in ln)
    merged = [sum(cells[f"t3.other.{s}.{c}"] for s in ("no_correction", "unpaid_fee", "other")) for c in (*T3_PARTS, "total")]  # type: ignore[misc]
    lines[i : i + 3] = ["\t(六) 其他处理\t\t" + "\t".join(str(v) for v in merged)]
    report = parse_text("\n".join(lines))
    assert report.format == "2021"
    assert [report.value(f"t3.other.{c}") for c in (*T3_PARTS, "total")] == merged
    assert "t3.other.other.total" not in report.cells
    assert any(f.rule == "T3_SINGLE_OTHER_ROW" for f in report.findings)
    assert not [f for f in report.findings if f.rule.startswith("T3_") and f.severity == "error"]


def test_label_typo_still_matches() -> None:
    cells = valid_cells(random.Random(5))
    text = fill_template("template_2021.tsv.txt", cells).replace("其他法律行政法规禁止公开", "其他法律行政止公开")
    assert_cells(parse_text(text), cells)


def test_unit_inside_a_money_cell_is_converted_to_the_column_unit() -> None:
    cells = valid_cells(random.Random(6))
    text = fill_template("template_2021.tsv.txt", cells).replace(
        f"行政事业性收费\t{cells['t2.fees.amount']}", "行政事业性收费\t3000元"
    )
    report = parse_text(text)
    c = report.cells["t2.fees.amount"]
    assert c.value == Decimal("0.3") and c.unit == "万元" and c.raw == "3000元"


def test_lost_nonzero_cell_is_placed_by_the_column_identities() -> None:
    rng = random.Random(7)
    cells = valid_cells(rng)
    cells["t3.received.research"] = cells["t3.received.research"] + 5  # type: ignore[operator]
    cells["t3.received.total"] = cells["t3.received.total"] + 5  # type: ignore[operator]
    cells["t3.carried_forward.research"] = cells["t3.carried_forward.research"] + 5  # type: ignore[operator]
    cells["t3.carried_forward.total"] = cells["t3.carried_forward.total"] + 5  # type: ignore[operator]
    text = fill_template("template_2021.tsv.txt", cells)
    row = next(ln for ln in text.split("\n") if ln.startswith("一、本年新收"))
    fields = row.split("\t")
    del fields[3]  # the research cell is lost, as PDF text extraction does
    report = parse_text(text.replace(row, "\t".join(fields)))
    assert report.cells["t3.received.research"].value == cells["t3.received.research"]
    assert report.cells["t3.received.research"].status == "derived"
    assert_cells(report, cells)


def test_identity_break_in_the_source_is_a_report_error() -> None:
    cells = valid_cells(random.Random(8))
    cells["t3.received.natural_person"] = cells["t3.received.natural_person"] + 1  # type: ignore[operator]
    cells["t3.received.total"] = cells["t3.received.total"] + 1  # type: ignore[operator]
    report = parse_text(fill_template("template_2021.tsv.txt", cells))
    balance = [f for f in report.findings if f.rule == "T3_BALANCE"]
    assert balance and all(f.source == "report" and f.severity == "error" for f in balance)
    assert "t3.received.natural_person" in balance[0].cells
    assert report.has_errors


def test_format_not_matching_the_year() -> None:
    cells = valid_cells(random.Random(9))
    text = fill_template("template_2021.tsv.txt", cells).replace("2023年政府信息公开", "2020年政府信息公开")
    report = parse_text(text)
    assert report.report_year == 2020 and report.format == "2021"
    assert any(f.rule == "FORMAT_YEAR" for f in report.findings)


def test_a_row_of_empty_cells_is_a_blank_row() -> None:
    cells = valid_cells(random.Random(14))
    for c in (*T3_PARTS, "total"):
        cells[f"t3.not_processed.publication.{c}"] = 0
    text = fill_template("template_2021.tsv.txt", cells)
    row = next(ln for ln in text.split("\n") if "要求提供公开出版物" in ln)
    report = parse_text(text.replace(row, row.split("\t0")[0] + "\t" * 7))
    assert [report.value(f"t3.not_processed.publication.{c}") for c in (*T3_PARTS, "total")] == [None] * 7
    assert report.cells["t3.not_processed.publication.total"].status == "blank"
