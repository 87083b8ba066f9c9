"""The CLI maps flags to the library and formats output; exit codes gate pipelines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gongkai.cli import main
from helpers import CORPUS

SEEDS = sorted(str(p) for p in (CORPUS / "seeds").glob("*.txt"))


def test_parse_jsonl_one_line_per_input_in_order() -> None:
    res = CliRunner().invoke(main, ["parse", "--jsonl", *SEEDS])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["path"] for x in lines] == SEEDS
    assert all({"issuing_body", "report_year", "format", "cells", "findings"} <= set(x) for x in lines)


def test_parse_json_has_provenance_and_sections() -> None:
    res = CliRunner().invoke(main, ["parse", "--json", SEEDS[0]])
    data = json.loads(res.output)
    assert data["provenance"]["t3.received.total"]["origin"]["line"] > 0
    assert set(data["sections"]) == {"overview", "proactive", "applications", "remedies", "problems", "other"}


def test_parse_summary_shows_tables_in_chinese() -> None:
    res = CliRunner().invoke(main, ["parse", SEEDS[0]])
    assert "发布机关：青铜峡市科学技术局" in res.output and "表三 收到和处理政府信息公开申请情况" in res.output


def test_failed_input_keeps_its_place_in_jsonl(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    res = CliRunner().invoke(main, ["parse", "--jsonl", SEEDS[0], str(bad), SEEDS[1]])
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["path"] for x in lines] == [SEEDS[0], str(bad), SEEDS[1]]
    assert lines[1]["error"] and "文件为空" in lines[1]["message"]
    assert res.exit_code == 3  # some inputs failed, the others were read (domain/exits.py)


def test_check_exit_status(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok = CliRunner().invoke(main, ["check", SEEDS[0]])
    assert ok.exit_code == 0, ok.output
    text = (CORPUS / "seeds" / "000_8cdd9bfe532ace7c.txt").read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(
        text.replace("一、本年新收政府信息公开申请数量\t0\t0", "一、本年新收政府信息公开申请数量\t5\t0"), encoding="utf-8"
    )
    bad = CliRunner().invoke(main, ["check", str(broken)])
    assert bad.exit_code == 1
    assert "T3_BALANCE" in bad.output and "勾稽" in bad.output


def test_debug_html(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "d.html"
    res = CliRunner().invoke(main, ["debug", SEEDS[0], "--html", str(out)])
    assert res.exit_code == 0 and "t3.received" in out.read_text(encoding="utf-8")


def test_info_lists_readers_and_rules() -> None:
    res = CliRunner().invoke(main, ["info"])
    assert "text" in res.output and "T3_BALANCE" in res.output
