"""The store never merges two bodies' reports because a name was missing or vague (issue 13):
a report whose body is absent, or names no one body (区科技局 unresolved), is keyed by its
content, so it is a version only of a report at the same path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.api import parse_bytes
from gongkai.corpus.bodies import resolve_body
from gongkai.store import Corpus
from gongkai.store.write import keyed_by_body


def _without_body(text: str, body: str) -> str:
    return text.replace(body, "")


def test_two_unknown_body_reports_are_both_in_the_export(store_url: str, tmp_path: Path, store_report_text) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "in"
    root.mkdir()
    for i, body in enumerate(("南京市玄武区教育局", "苏州市财政局")):
        text = _without_body(store_report_text(body, 2022, seed=i), body)
        report = parse_bytes(text.encode("utf-8"), "x.txt")
        assert report.issuing_body is None and report.report_year == 2022
        assert "BODY_UNKNOWN" in {f.rule for f in report.findings}
        (root / f"r{i}.txt").write_text(text, encoding="utf-8")
    with Corpus(store_url) as c:
        s = c.ingest([root], jobs=1, progress=False)
        assert (s.parsed, s.versions) == (2, 0)
        n = c.export("json", tmp_path / "out.json", form="wide")
    rows = [json.loads(line) for line in (tmp_path / "out.json").read_text(encoding="utf-8").splitlines()]
    assert n == 2 and len(rows) == 2
    assert len({r["id"] for r in rows}) == 2


@pytest.mark.parametrize(
    ("body", "code", "keyed"),
    [
        ("南京市玄武区教育局", "320102", True),
        ("某某县人民政府", None, True),  # a place the gazetteer lacks still names one body
        ("国家统计局", None, True),
        ("区科技局", None, False),  # any district's
        ("某某县城关镇人民政府", None, True),  # a county the gazetteer lacks, then the town
        ("太平镇人民政府", None, False),  # a town's name that towns of many counties share
        ("新市镇人民政府", None, False),  # the 市 is the town's own name
        ("县前街道办事处", None, False),  # the 县 is the sub-district's own name
        ("市场监督管理局", None, False),  # 市场: a word, no place
        ("德清县新市镇人民政府", None, True),  # a county, then the town
        ("沛县城关镇人民政府", None, True),  # a county of one character
        ("佳县螅镇", None, True),  # a town of one character
        ("教育局", None, False),
        (None, None, False),
    ],
)
def test_keyed_by_body_only_when_the_name_names_one_body(body: str | None, code: str | None, keyed: bool) -> None:
    kind = "township" if body and ("镇" in body or "街道" in body) else None
    assert keyed_by_body({"normalized_body": body, "year": 2022, "division_code": code, "body_type": kind}) is keyed


@pytest.mark.parametrize(
    ("name", "text", "normalized", "keyed"),
    [
        # a town whose own name holds 市 or 县 (新市镇, 县前街道, 市桥街道): that character is the
        # town's, neither a level without its place nor a city or county placing it
        ("县前街道办事处", "德清县人民政府。德清县。德清县。", "湖州市德清县县前街道办事处", True),
        ("市桥街道办事处", "番禺区。番禺区。番禺区。", "广州市番禺区市桥街道办事处", True),
        ("新市镇人民政府", "德清县。德清县。", "湖州市德清县新市镇人民政府", True),
        ("新市镇人民政府", "", "新市镇人民政府", False),
        ("县前街道办事处", "", "县前街道办事处", False),
    ],
)
def test_towns_whose_names_hold_a_place_character(name: str, text: str, normalized: str, keyed: bool) -> None:
    b = resolve_body(name, text)
    assert b.normalized == normalized
    report = {"normalized_body": b.normalized, "year": 2022, "division_code": b.division_code, "body_type": b.body_type}
    assert keyed_by_body(report) is keyed


@pytest.mark.parametrize("county", [None, ("大通回族土族自治县", "互助土族自治县")], ids=["no_place_named", "places_in_prose"])
@pytest.mark.parametrize("body", ["县信访局", "太平镇人民政府", "新市镇人民政府", "县前街道办事处"])
def test_two_placeless_body_reports_of_different_counties_are_both_in_the_export(  # type: ignore[no-untyped-def]
    store_url: str, tmp_path: Path, store_report_text, county, body: str
) -> None:
    # 县信访局 (a level without its place) or 太平镇人民政府 (a town's name many counties'
    # towns share) in both titles, two counties' reports: the name names no one body, so
    # unless the text places each, each is keyed by its content, never merged
    root = tmp_path / "in"
    root.mkdir()
    for i in range(2):
        text = store_report_text(body, 2022, seed=10 + i)
        if county:
            text = text.replace("一、总体情况\n", f"一、总体情况\n{county[i]}人民政府、{county[i]}、{county[i]}。\n", 1)
        report = parse_bytes(text.encode("utf-8"), "x.txt")
        assert report.issuing_body == body and report.report_year == 2022
        (root / f"r{i}.txt").write_text(text, encoding="utf-8")
    with Corpus(store_url) as c:
        s = c.ingest([root], jobs=1, progress=False)
        assert (s.parsed, s.versions) == (2, 0)
        n = c.export("json", tmp_path / "out.json", form="wide")
    rows = [json.loads(line) for line in (tmp_path / "out.json").read_text(encoding="utf-8").splitlines()]
    assert n == 2 and len({r["id"] for r in rows}) == 2
    codes = sorted(str(r.get("division_code")) for r in rows)
    assert codes == (["630121", "630223"] if county else ["None", "None"])
