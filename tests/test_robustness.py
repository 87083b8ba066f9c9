"""Bad input never crashes and never loses data: a clear Chinese error or a partial report."""

from __future__ import annotations

import os
import time

import pytest

from gongkai.api import parse, parse_bytes
from gongkai.errors import DecodeError, GongkaiError, InputTooLarge
from gongkai.settings import Settings
from helpers import CORPUS

SEED = CORPUS / "seeds" / "000_8cdd9bfe532ace7c.txt"
NEWS = "新华社北京3月5日电 今天上午，十四届全国人大三次会议在人民大会堂开幕。\n报告指出，过去一年经济运行总体平稳。\n"
NOTICE = """国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知
各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：
现将修订后的《中华人民共和国政府信息公开工作年度报告格式》印发给你们。
一、总体情况
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t\t\t
行政规范性文件\t\t\t
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t
二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t
四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
"""


def test_empty_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(GongkaiError, match="文件为空"):
        parse(p)


def test_missing_file_names_the_file() -> None:
    with pytest.raises(GongkaiError) as e:
        parse("/nonexistent/report.txt")
    assert "不存在" in e.value.message and e.value.path == "/nonexistent/report.txt"


def test_binary_data_is_refused_with_a_hint() -> None:
    data = bytes(range(256)) * 40
    with pytest.raises(GongkaiError) as e:
        parse_bytes(data, "x.bin")
    assert e.value.path == "x.bin" and ("编码" in e.value.message or "格式" in e.value.message)


def test_news_article_is_not_a_report() -> None:
    r = parse_bytes(NEWS.encode(), "news.txt")
    assert r.cells == {} and [f.rule for f in r.findings if f.severity == "error"] == ["NOT_A_REPORT"]


def test_format_notice_is_not_a_report() -> None:
    r = parse_bytes(NOTICE.encode(), "notice.txt")
    assert r.cells == {}
    assert any(f.rule == "NOT_A_REPORT" for f in r.findings)


def test_report_cut_off_half_way_gives_a_partial_report() -> None:
    data = SEED.read_bytes()
    cut = data[: len(data) * 55 // 100]
    cut = cut.decode("utf-8", errors="ignore").encode("utf-8")
    r = parse_bytes(cut, "cut.txt")
    assert r.issuing_body == "青铜峡市科学技术局" and r.report_year == 2020
    assert r.cells, "what was there must be kept"
    assert any(f.rule in ("MISSING_TABLE", "MISSING_ROW", "MISSING_SECTION") for f in r.findings)


def test_fifty_megabytes_is_bounded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "big.txt"
    block = SEED.read_bytes()
    with p.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            f.write(block)
    assert os.path.getsize(p) > 50 * 1024 * 1024
    t0 = time.perf_counter()
    r = parse(p)
    assert time.perf_counter() - t0 < 30
    assert any(f.rule == "INPUT_TRUNCATED" for f in r.findings)
    with pytest.raises(InputTooLarge):
        parse(p, Settings(max_input_bytes=10 * 1024 * 1024))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected(encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    r = parse_bytes(text.encode(encoding), "enc.txt")
    assert r.cells["t2.other_services.change"].value == 2
    assert r.issuing_body == "青铜峡市科学技术局"


def test_wrong_forced_encoding_is_a_clear_error() -> None:
    with pytest.raises(DecodeError, match="ascii"):
        parse_bytes(SEED.read_bytes(), "x.txt", Settings(encoding="ascii"))


def test_unknown_forced_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        Settings(format="2018")


def test_hostile_layout_does_not_explode() -> None:
    # a row of many empty fields and numbers: the layout search must stay bounded
    text = SEED.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量\t", "一、本年新收政府信息公开申请数量" + "\t" * 60 + "1\t2\t3\t"
    )
    t0 = time.perf_counter()
    r = parse_bytes(text.encode(), "hostile.txt")
    assert time.perf_counter() - t0 < 5
    assert r.format == "2019"
