"""Who, which year, when: from the title, the lines around it, the chrome or the prose."""

from __future__ import annotations

import pytest

from gongkai.extract.metadata import extract_metadata
from gongkai.extract.publisher import expanded_self_name


def meta(text: str):  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    return extract_metadata(lines, text)


@pytest.mark.parametrize(
    ("title", "body", "year"),
    [
        ("北京市海淀区人民政府2022年政府信息公开工作年度报告", "北京市海淀区人民政府", 2022),
        ("2022年度北京市海淀区人民政府政府信息公开工作年度报告", "北京市海淀区人民政府", 2022),
        ("萝北县工业信息科技局 关于 2020 年度政府信息公开工作的报告", "萝北县工业信息科技局", 2020),
        ("上海市浦东新区2023年政府信息公开工作年度报告", "上海市浦东新区", 2023),
        ("某某县城关镇二〇二二年政府信息公开工作年度报告", "某某县城关镇", 2022),
        ("《某某市生态环境局2021年政府信息公开工作年度报告》", "某某市生态环境局", 2021),
    ],
)
def test_body_and_year_from_the_title(title: str, body: str, year: int) -> None:
    m = meta(f"{title}\n一、总体情况\n本年度我局认真贯彻落实条例。")
    assert (m.issuing_body, m.report_year, m.body_from) == (body, year, "title")


def test_name_on_the_line_above_the_title() -> None:
    m = meta("青铜峡市科学技术局\n\n2020 年政府信息公开工作年度报告\n一、总体情况")
    assert (m.issuing_body, m.report_year, m.body_from) == ("青铜峡市科学技术局", 2020, "heading")


def test_chrome_fields_give_the_publication_date() -> None:
    m = meta("发布日期: 2023-01-31\n标题: 新荣区科学技术局2022年政府信息公开工作年度报告\n一、总体情况")
    assert (m.issuing_body, m.report_year, m.publication_date) == ("新荣区科学技术局", 2022, "2023-01-31")


def test_signature_when_the_title_has_no_name() -> None:
    m = meta("2020年政府信息公开工作年度报告\n一、总体情况\n本年度无申请。\n六、其他需要报告的事项\n无\n萝北县工业信息科技局\n2021年1月20日")
    assert (m.issuing_body, m.body_from, m.publication_date) == ("萝北县工业信息科技局", "signature", "2021-01-20")


def test_year_from_the_statistics_period() -> None:
    m = meta("政府信息公开工作年度报告\n本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。")
    assert m.report_year == 2019


def test_the_fullest_name_the_prose_uses_most() -> None:
    text = "开福区科技局认真落实。区科技局推进公开。区科技局完善制度。区科技局加强培训。"
    assert expanded_self_name(text) == "开福区科技局"
