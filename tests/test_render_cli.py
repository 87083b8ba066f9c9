"""``gongkai render``: JSON in, DOCX/HTML/PDF out, checked first; the PDF's table 3 has the
official template's column widths, measured on a page image (issue 11 item 12)."""

from __future__ import annotations

import itertools
import json
import random
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli import main
from gongkai.model import json_number
from gongkai.render import pdf_engine
from gongkai.render.load import InvalidSpec, spec_from_json
from helpers import CORPUS, valid_cells

TEMPLATE = CORPUS / "templates" / "annual-report-2021-blank.docx"


def _spec(**over) -> dict:  # type: ignore[no-untyped-def]
    cells = {k: json_number(v) for k, v in valid_cells(random.Random(5), "2021").items()}
    data = {
        "issuing_body": "测试县教育局",
        "report_year": 2022,
        "format": "2021",
        "cells": cells,
        "sections": {"overview": "本年度，测试县教育局认真贯彻落实政府信息公开条例。", "problems": "一是公开内容还不够丰富。"},
        "publication_date": "2023-01-20",
    }
    data.update(over)
    return data


def _write(tmp: Path, data: object, name: str = "spec.json") -> Path:
    p = tmp / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_render_writes_what_parses_back_to_the_same_cells(tmp_path: Path, suffix: str) -> None:
    data = _spec()
    out = tmp_path / f"r{suffix}"
    res = CliRunner().invoke(main, ["render", str(_write(tmp_path, data)), "-o", str(out)])
    assert res.exit_code == 0, res.output
    back = gongkai.parse(out)
    assert back.issuing_body == "测试县教育局" and back.report_year == 2022
    assert {k: json_number(c.value) for k, c in back.cells.items()} == data["cells"]


def test_render_reads_standard_input_and_parse_json_output(tmp_path: Path) -> None:
    seed = sorted((CORPUS / "seeds").glob("*.txt"))[0]
    parsed = CliRunner().invoke(main, ["parse", "--json", str(seed)]).stdout
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["render", "-", "-o", str(out)], input=parsed.encode())
    assert res.exit_code in (0, 1), res.output  # the seed's own findings may be errors: then it says so
    assert "未知的键" not in res.output  # parse --json's own keys are accepted
    if res.exit_code == 0:
        assert "<table" in out.read_text(encoding="utf-8")


def test_unknown_keys_and_bad_values_are_refused_with_the_list(tmp_path: Path) -> None:
    data = _spec()
    data["cells"]["t3.bogus"] = 1
    data["cells"]["t3.received.totl"] = 2
    data["cells"]["t3.disclosed.total"] = "many"
    data["cells"]["t3.received.commercial"] = 1.5
    data["colour"] = "red"
    data["sections"]["summary"] = "x"
    out = tmp_path / "r.docx"
    res = CliRunner().invoke(main, ["render", str(_write(tmp_path, data)), "-o", str(out)])
    assert res.exit_code == 4 and not out.exists()
    for what in ("'t3.bogus'", "'t3.received.totl'（是否应为 't3.received.total'？）", "不是数字", "应为整数", "未知的键 'colour'", "'summary'"):
        assert what in res.output, what
    with pytest.raises(InvalidSpec) as e:
        spec_from_json({"format": "2023"})
    assert any("缺少 issuing_body" in p for p in e.value.problems) and any("format" in p for p in e.value.problems)


def test_an_unbalanced_report_is_not_rendered_unless_forced(tmp_path: Path) -> None:
    data = _spec()
    data["cells"]["t3.received.total"] += 7  # table 3 no longer balances
    spec = _write(tmp_path, data)
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["render", str(spec), "-o", str(out)])
    assert res.exit_code == 1 and not out.exists()
    assert "T3_BALANCE" in res.output or "T3_ROW_TOTAL" in res.output
    assert "--force" in res.output
    res = CliRunner().invoke(main, ["render", str(spec), "-o", str(out), "--force"])
    assert res.exit_code == 1 and out.exists()


def test_bad_json_and_suffix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(main, ["render", str(bad), "-o", str(tmp_path / "r.pdf")])
    assert res.exit_code == 4 and "不是有效的 JSON" in res.output
    res = CliRunner().invoke(main, ["render", str(_write(tmp_path, _spec())), "-o", str(tmp_path / "r.txt")])
    assert res.exit_code == 2 and "--format" in res.output
    res = CliRunner().invoke(main, ["render", str(_write(tmp_path, _spec())), "--format", "pdf", "-o", str(tmp_path / "r.docx")])
    assert res.exit_code == 2 and "不符" in res.output


def _template_t3_fractions() -> list[float]:
    xml = zipfile.ZipFile(TEMPLATE).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    t3 = next(t for t in tables if "本年新收" in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", t)))
    w = [int(x) for x in re.findall(r'<w:gridCol w:w="(\d+)"', t3)]
    return [x / sum(w) for x in w]


@pytest.mark.skipif(pdf_engine() != "weasyprint", reason="需要 WeasyPrint 生成 PDF")
@pytest.mark.skipif(not TEMPLATE.exists(), reason="没有官方模板")
def test_pdf_table_3_has_the_templates_column_widths(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(main, ["render", str(_write(tmp_path, _spec())), "-o", str(out)])
    assert res.exit_code == 0, res.output
    pdf = pdfium.PdfDocument(out.read_bytes())
    scale = 3.0
    found = None
    for i in range(len(pdf)):
        page = pdf[i]
        text = page.get_textpage()
        boxes = []
        for needle in ("属于国家秘密", "属于行政查询事项"):
            hit = text.search(needle).get_next()
            if hit:
                boxes.append(text.get_charbox(hit[0]))
        if len(boxes) == 2:
            found = (page, boxes)
            break
    assert found, "table 3's rows 1.属于国家秘密 … 8.属于行政查询事项 on one page"
    page, (a, b) = found
    height = page.get_height()
    image = page.render(scale=scale).to_pil().convert("L")
    y1, y2 = (int((height - (box[1] + box[3]) / 2) * scale) for box in (a, b))
    px = image.load()
    # a vertical rule is dark from the first row to the last; text never is
    dark = [x for x in range(image.width) if sum(px[x, y] < 140 for y in range(y1, y2)) >= 0.97 * (y2 - y1)]
    lines: list[float] = []
    run: list[int] = []
    for x in dark:
        if run and x > run[-1] + 1:
            lines.append(sum(run) / len(run))
            run = []
        run.append(x)
    if run:
        lines.append(sum(run) / len(run))
    assert len(lines) == 11, lines  # 3 label columns + 7 number columns
    widths = [r - q for q, r in itertools.pairwise(lines)]
    got = [w / sum(widths) for w in widths]
    want = _template_t3_fractions()
    assert len(want) == 10
    for g, w in zip(got, want, strict=True):
        assert abs(g - w) < 0.012, (got, want)
    # the row labels no longer wrap over many lines: 2.其他法律行政法规禁止公开 fits one line
    label_w = (lines[3] - lines[2]) / scale
    assert label_w > 12 * 9  # more than twelve 9 pt characters
