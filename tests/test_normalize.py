"""Each normalization step alone, and the properties that must hold for any input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.extract.labels import core, match_t3_row
from gongkai.extract.tokens import parse_number
from gongkai.model import Block, Document
from gongkai.normalize import canonical, is_spam, is_traditional, normalize, strip_pinyin, to_simplified


def test_pinyin_annotations_are_removed() -> None:
    assert strip_pinyin("政府信息公開年報(bào)") == "政府信息公開年報"
    assert strip_pinyin("發(fā)布機(jī)構(gòu)") == "發布機構"
    assert strip_pinyin("公开(gong)(gong)信息") == "公开信息"
    assert strip_pinyin("申請?zhí)幚頉Q定") == "申請幚頉Q定"
    assert strip_pinyin("第二十条第（一）项") == "第二十条第（一）项"  # numbering is not pinyin


def test_traditional_to_simplified() -> None:
    assert is_traditional("新榮區科學技術局2022年政府信息公開工作年度報告，總體情況，開展申請處理，認真貫徹")
    assert not is_traditional("新荣区科学技术局2022年政府信息公开工作年度报告")
    assert to_simplified("本年新收政府信息公開申請數量") == "本年新收政府信息公开申请数量"


def test_kangxi_and_supplement_radicals_and_full_width() -> None:
    assert canonical("⼀、本年新收") == "一、本年新收"  # U+2F00 KANGXI RADICAL ONE
    assert canonical("⻓沙市") == "长沙市"  # U+2ED3 from the radicals supplement
    assert canonical("（一）予以公开：１２") == "(一)予以公开:12"
    assert canonical("结\u3000果  维\u00a0持") == "结 果 维 持"


def test_spam_lines() -> None:
    assert is_spam("亚洲日韩精品一二三区,人人妻人人爽人人做")
    assert not is_spam("2022年我局政府信息公开工作取得实效，公开信息精品栏目建设")


def test_spaced_and_numbered_labels_match() -> None:
    assert core("三、 本 年 度 办 理 结 果") == ("三、", "本年度办理结果")
    assert match_t3_row("(三) 不 予 公 开 1. 属于国家秘密", None) == "withheld.state_secret"
    assert match_t3_row("(七) 总计", "other") == "total_handled"
    assert match_t3_row("总计", None) is None  # the column header, not the row


def test_numbers() -> None:
    assert parse_number("+3") == (3, None)
    assert parse_number("-4") == (-4, None)
    assert parse_number("251000元") == (251000, "元")
    assert parse_number("1,234") == (1234, None)
    assert str(parse_number("96171.6")[0]) == "96171.6"  # type: ignore[index]
    assert parse_number("2.其他") is None


@given(st.lists(st.text(max_size=40), max_size=30))
def test_normalize_keeps_every_block_and_its_origin(texts: list[str]) -> None:
    blocks = [Block(t, i // 3) for i, t in enumerate(texts)]
    out = normalize(Document("p", "text/plain", blocks))
    kept = {id(b.origin) for b in out.blocks}
    # spam rows may go; every other block survives with its provenance object
    assert kept <= {id(b.origin) for b in blocks}
    assert all("\x1f" not in b.text for b in out.blocks)


@given(st.text(max_size=200))
def test_canonical_is_idempotent(text: str) -> None:
    once = canonical(text)
    assert canonical(once) == once


# full-width forms, the ideographic space, combining marks, Hangul jamo, Kangxi radicals:
# what the fast path maps itself next to what it must leave to NFKC proper
_NFKC_ALPHABET = st.sampled_from(
    [chr(c) for c in range(0xFF00, 0xFF70)]
    + ["\u3000", "\u0301", "\u0300", "\u3099", "A", "e", "カ", "⼀", "一", "\u1100", "\u1161", "\u11a8", "가", " ", "①", "㎡"]
)


@given(st.lists(st.one_of(_NFKC_ALPHABET, st.characters()), max_size=30).map("".join))
def test_fast_nfkc_equals_unicodedata(text: str) -> None:
    import unicodedata

    from gongkai.normalize import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.lists(st.sampled_from(["報", "告", "(", "（", ")", "）", "bào", "gao", "a", "12", " ", "?"]), max_size=20).map("".join))
def test_has_pinyin_agrees_with_a_regex_scan(text: str) -> None:
    import re

    from gongkai.normalize import _PINYIN, has_pinyin

    assert has_pinyin(text) == bool(re.search(rf"[\u3400-\u9fff][(（][{_PINYIN}]{{1,7}}[)）]", text))


@given(st.lists(st.sampled_from(["報", "(", "（", ")", "）", "bào", "gao", "wù", "?", "zhí", "a", "1", "\x1f"]), max_size=24).map("".join))
def test_strip_pinyin_equals_the_plain_pattern(text: str) -> None:
    import re

    from gongkai.normalize import _PINYIN

    plain = re.compile(rf"(?:[(（][{_PINYIN}]{{1,7}}[)）])+|\?[{_PINYIN}]{{1,7}}[)）]")
    assert strip_pinyin(text) == plain.sub("", text)
