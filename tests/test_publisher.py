"""The publisher (issuing body): taken from where a page states it, in order of trust, and
absent with a finding when no source is trustworthy (issue 13).

The page shapes are those of real published pages: the title forms are the ones the 2019
and 2021 formats circulate with (国办公开办函〔2019〕60号, 〔2021〕30号); the metadata lines are
those of government portals (``发布机构：``, ``来源：``, ``信息来源：``); the bad names in
``test_bad_names_the_issue_reports`` are the ones issue 13 lists as given on held-out pages.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_bytes
from gongkai.extract.metadata import extract_metadata
from gongkai.extract.publisher import body_in_title, org_problem


def meta(text: str):  # type: ignore[no-untyped-def]
    return extract_metadata(text.split("\n"), text)


def parse_text(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode("utf-8"), "page.txt")


BODY = "一、总体情况\n本年度认真贯彻落实《中华人民共和国政府信息公开条例》。\n二、主动公开政府信息情况\n"


# ---------------------------------------------------------------- the title
@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("淮安市洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
        ("关于淮安市洪泽区2020年度政府信息公开工作的报告", "淮安市洪泽区"),
        ("淮安市人民政府政府信息公开工作年度报告(2019年)", "淮安市人民政府"),
        ("南京市玄武区人民政府信息公开工作年度报告（2019年）", "南京市玄武区人民政府"),
        ("2022年度南京市玄武区教育局政府信息公开工作年度报告", "南京市玄武区教育局"),
        ("生态环境部2023年政府信息公开工作年度报告", "生态环境部"),
    ],
)
def test_publisher_from_the_title(title: str, body: str) -> None:
    assert body_in_title(title) == body
    m = meta(f"{title}\n{BODY}")
    assert (m.issuing_body, m.body_from) == (body, "title")


# ---------------------------------------------------------------- metadata lines
@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("发布机构：淮安市公安局", "淮安市公安局"),
        ("信息来源：淮安市生态环境局", "淮安市生态环境局"),
        ("发文机关：淮安市洪泽区财政局", "淮安市洪泽区财政局"),
        ("索引号：014050283/2024-00012    发布机构：淮安市交通运输局    发布日期：2024-01-20", "淮安市交通运输局"),
    ],
)
def test_publisher_from_the_page_metadata_lines(line: str, body: str) -> None:
    m = meta(f"{line}\n2023年政府信息公开工作年度报告\n{BODY}")
    assert (m.issuing_body, m.body_from) == (body, "chrome")


def test_publisher_a_site_named_as_the_source_is_not_the_body() -> None:
    m = meta(f"来源：淮安市人民政府门户网站\n2023年政府信息公开工作年度报告\n{BODY}")
    assert m.issuing_body is None


def test_publisher_title_outranks_metadata_lines() -> None:
    m = meta(f"来源：淮安市人民政府办公室\n淮安市公安局2023年政府信息公开工作年度报告\n{BODY}")
    assert (m.issuing_body, m.body_from) == ("淮安市公安局", "title")


# ---------------------------------------------------------------- signature
def test_publisher_from_the_signature_of_a_ministry_that_cites_the_state_council() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n"
        "一、总体情况\n按照国务院要求，认真落实国务院办公厅部署，国务院有关规定得到落实。国务院。国务院。\n"
        "六、其他需要报告的事项\n无。\n生态环境部\n2024年1月20日"
    )
    m = meta(text)
    assert (m.issuing_body, m.body_from) == ("生态环境部", "signature")


def test_publisher_from_the_signature_of_a_city_police_bureau() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n"
        "一、总体情况\n深入贯彻国务院和省政府部署，切实落实国务院要求。按照省政府要求推进。\n"
        "六、其他需要报告的事项\n无。\n淮安市公安局\n2024年1月18日"
    )
    m = meta(text)
    assert (m.issuing_body, m.body_from) == ("淮安市公安局", "signature")


def test_publisher_a_contact_line_is_not_a_signature() -> None:
    text = "2023年政府信息公开工作年度报告\n" + BODY + "如有疑问请联系淮安市洪泽区生态环境局\n2024年1月18日"
    m = meta(text)
    assert m.issuing_body is None


# ---------------------------------------------------------------- self-references
def test_publisher_from_self_references() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n一、总体情况\n"
        "调整充实淮安市洪泽区教育局政府信息公开工作领导小组，局长任组长。"
        "本报告由淮安市洪泽区教育局编制，在淮安市洪泽区教育局网站公开。"
    )
    m = meta(text)
    assert (m.issuing_body, m.body_from) == ("淮安市洪泽区教育局", "self")


def test_publisher_self_references_that_disagree_leave_it_absent() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n一、总体情况\n"
        "调整充实淮安市洪泽区教育局政府信息公开工作领导小组。本报告由淮安市洪泽区财政局编制。"
    )
    assert meta(text).issuing_body is None


def test_publisher_a_short_self_name_expanded_by_its_full_mention() -> None:
    # the shape of seeds/001 (开福区科技局): 区科技局 as the subject, the full name once
    text = (
        "2019年政府信息公开工作年度报告\n一、总体情况\n2019年，区科技局高度重视。区科技局召开部署会。"
        "区科技局完善制度。制定了《开福区科技局信息工作制度》。"
    )
    m = meta(text)
    assert (m.issuing_body, m.body_from) == ("开福区科技局", "self")


@pytest.mark.parametrize("body", ["县前街道办事处", "市桥街道办事处", "新市镇人民政府"])
def test_publisher_a_town_whose_name_starts_like_a_level_is_kept_as_written(body: str) -> None:
    # 县前街道 is a town's name, not 县 + 前街道: the county in 来源 does not replace its 县
    text = body + "2023年政府信息公开工作年度报告\n来源：德清县人民政府\n" + BODY
    m = meta(text)
    assert (m.issuing_body, m.body_from) == (body, "title")


# ---------------------------------------------------------------- the intro's subject
@pytest.mark.parametrize(
    ("intro", "body"),
    [
        # the shapes of real intros (山东省人民政府办公厅 2023, 国家国际发展合作署 2023)
        ("2023年,山东省人民政府办公厅以习近平新时代中国特色社会主义思想为指导,深入贯彻落实党中央、国务院部署。", "山东省人民政府办公厅"),
        ("2023年，淮安市洪泽区教育局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好各项工作。", "淮安市洪泽区教育局"),
        ("2023年度，淮安市洪泽区高良涧街道办事处在区委、区政府的坚强领导下，全面推进政务公开。", "淮安市洪泽区高良涧街道办事处"),
        ("国家国际发展合作署以习近平外交思想为指导，扎实做好政府信息公开各项工作，取得积极成效。", "国家国际发展合作署"),
        # a cited superior, a channel, a body without its place, the year's work: none is read
        ("2023年，按照国务院办公厅要求，我局认真贯彻落实《中华人民共和国政府信息公开条例》。", None),
        ("2023年，根据省政府办公厅工作部署，全面推进政务公开，取得积极成效。", None),
        ("2023年，国务院办公厅以更高标准部署政务公开工作，我局认真落实各项要求。", None),
        ("2023年，淮安市人民政府门户网站以公开为常态、不公开为例外，持续发布信息。", None),
        ("2023年，区统计局以习近平新时代中国特色社会主义思想为指导，做好政府信息公开工作。", None),
        ("2023年，全区政务公开工作以习近平新时代中国特色社会主义思想为指导，取得积极成效。", None),
    ],
)
def test_publisher_named_as_the_intros_subject(intro: str, body: str | None) -> None:
    for text in (
        "2023年政府信息公开工作年度报告\n一、总体情况\n" + intro + "\n（一）主动公开\n",  # under the heading
        intro + "\n一、总体情况\n本年度认真贯彻落实条例。\n",  # the page's first words
    ):
        m = meta(text)
        assert (m.issuing_body, m.body_from) == (body, "self" if body else None)


def test_publisher_the_intros_subject_against_a_self_reference_that_disagrees() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n一、总体情况\n"
        "2023年，淮安市洪泽区教育局认真贯彻落实条例。本报告由淮安市洪泽区财政局编制。\n"
    )
    assert meta(text).issuing_body is None


@pytest.mark.parametrize(
    ("prose", "body"),
    [
        ("现将《淮安市洪泽区教育局2023年政府信息公开工作年度报告》予以公布。", "淮安市洪泽区教育局"),
        ("现发布《淮安市洪泽区人民政府2023年政府信息公开工作年度报告》，内容包括总体情况。", "淮安市洪泽区人民政府"),
        ("现将淮安市洪泽区财政局2023年政府信息公开工作情况报告如下。", "淮安市洪泽区财政局"),
        # another document's title in 《》, after a citing word: not the body
        ("根据《淮安市人民政府2023年政府信息公开工作年度报告》的要求，编制本报告。", None),
        ("参照《淮安市洪泽区教育局2023年政府信息公开工作年度报告》的体例编制。", None),
    ],
)
def test_publisher_a_report_that_quotes_its_own_title(prose: str, body: str | None) -> None:
    text = "一、总体情况\n" + prose + "本年度认真贯彻落实条例。\n二、主动公开政府信息情况\n"
    m = meta(text)
    assert m.issuing_body == body


def test_publisher_a_cited_superior_with_a_place_is_not_the_body() -> None:
    # a district department that cites its city's government over and over
    text = (
        "2023年政府信息公开工作年度报告\n一、总体情况\n按照淮安市人民政府要求，落实淮安市人民政府部署，"
        "根据淮安市人民政府安排，区财政局推进公开。区财政局完善制度。"
    )
    assert meta(text).issuing_body is None


# ---------------------------------------------------------------- what a name is not
@pytest.mark.parametrize(
    "name",
    [
        "通过政府网站",
        "国务院",
        "切实落实国务院",
        "行政处",
        "局网站",
        "门户网站",
        "请联系淮安市洪泽区生态环境局",
        "淮安市人民政府门户网站",
        "形式上依托政府门户网站",
    ],
)
def test_bad_names_the_issue_reports(name: str) -> None:
    for source in ("chrome", "signature", "self"):
        assert org_problem(name, source) is not None, (name, source)


@pytest.mark.parametrize(
    "name",
    [
        "淮安市洪泽区人民政府",
        "淮安市公安局",
        "于都县人民政府",
        "本溪市生态环境局",
        "和平区教育局",
        "淮安市洪泽区高良涧街道办事处",
        "南京市市场监督管理局",
    ],
)
def test_organisation_names_pass(name: str) -> None:
    assert org_problem(name, "signature") is None


@pytest.mark.parametrize("text", ["通过政府网站公开", "局网站", "门户网站", "形式上依托政府门户网站", "切实落实国务院"])
def test_bad_names_never_come_out_of_prose(text: str) -> None:
    page = f"2023年政府信息公开工作年度报告\n一、总体情况\n{text}。{text}。{text}。国务院。国务院。国务院。\n"
    assert meta(page).issuing_body is None


# ---------------------------------------------------------------- absent, with a finding
def test_publisher_absent_with_a_finding() -> None:
    r = parse_text(
        "2023年政府信息公开工作年度报告\n一、总体情况\n我局通过政府网站、政务微博公开信息。\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    )
    assert r.issuing_body is None
    assert [f.rule for f in r.findings if f.rule == "BODY_UNKNOWN"] == ["BODY_UNKNOWN"]


# ---------------------------------------------------------------- traditional script and pinyin
def test_publisher_traditional_script_page_gives_the_simplified_name() -> None:
    r = parse_text(
        "淮安市洪澤區人民政府2023年政府信息公開工作年度報告\n一、總體情況\n本年度認真貫徹落實《條例》。\n二、主動公開政府信息情況\n"
    )
    assert r.issuing_body == "淮安市洪泽区人民政府"


def test_publisher_pinyin_annotated_page_gives_the_same_name() -> None:
    r = parse_text(
        "淮(huái)安(ān)市(shì)洪(hóng)泽(zé)区(qū)人民政府2023年政府信息公开工作年度报告\n"
        "一、总体情况\n本年度认真贯彻落实条例。\n二、主动公开政府信息情况\n"
    )
    assert r.issuing_body == "淮安市洪泽区人民政府"


def test_publisher_a_site_name_over_the_title_loses_to_the_signature() -> None:
    text = "淮安市人民政府\n2023年政府信息公开工作年度报告\n" + BODY + "淮安市公安局\n2024年1月18日"
    m = meta(text)
    assert (m.issuing_body, m.body_from) == ("淮安市公安局", "signature")


def test_publisher_a_two_line_title_agrees_with_its_signature() -> None:
    text = "淮安市洪泽区人民政府\n2023年政府信息公开工作年度报告\n" + BODY + "淮安市洪泽区人民政府\n2024年1月18日"
    assert (meta(text).issuing_body, meta(text).body_from) == ("淮安市洪泽区人民政府", "heading")


def test_publisher_signature_and_date_on_one_line() -> None:
    m = meta("2023年政府信息公开工作年度报告\n" + BODY + "淮安市公安局    2024年1月18日")
    assert (m.issuing_body, m.body_from) == ("淮安市公安局", "signature")
    assert meta("2023年政府信息公开工作年度报告\n" + BODY + "请联系淮安市公安局 2024年1月18日").issuing_body is None


def test_publisher_a_superior_cited_by_its_short_name_is_not_the_body() -> None:
    # a district bureau that cites the city bureau: 市教育局 x3 and 淮安市教育局 once, cited
    text = (
        "2023年政府信息公开工作年度报告\n一、总体情况\n按照淮安市教育局部署，我局推进公开。"
        "市教育局召开会议。市教育局印发通知。市教育局开展检查。"
    )
    assert meta(text).issuing_body is None


# ---------------------------------------------------------------- a title's body without its place
@pytest.mark.parametrize(
    ("above", "body", "source"),
    [
        ("", "县信访局", "title"),  # nothing on the page names the county: as the title writes it
        ("发布机构：大通回族土族自治县信访局\n", "大通回族土族自治县信访局", "chrome"),  # stated in full
        ("来源：大通回族土族自治县人民政府\n", "大通回族土族自治县信访局", "chrome"),  # the division's government
        ("大通回族土族自治县人民政府\n", "大通回族土族自治县信访局", "heading"),  # the site's name over the title
        ("来源：大通县人民政府\n", "县信访局", "title"),  # a short name plus 县: not how the county is named
        ("来源：西宁市人民政府\n", "县信访局", "title"),  # a 市 for a 县: another level
        ("来源：信访局\n", "县信访局", "title"),
    ],
)
def test_publisher_a_title_body_without_its_place_qualified_by_the_page(above: str, body: str, source: str) -> None:
    m = meta(above + "县信访局2022年政府信息公开工作年度报告\n" + BODY)
    assert (m.issuing_body, m.body_from) == (body, source)


def test_publisher_a_district_title_body_placed_by_the_metadata_line() -> None:
    m = meta("区统计局2023年政府信息公开工作年度报告\n来源：西安市临潼区人民政府\n" + BODY)
    assert (m.issuing_body, m.body_from) == ("西安市临潼区统计局", "chrome")
