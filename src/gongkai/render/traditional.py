"""Traditional-script mirror copies (D8, D9; seed 004): OpenCC s2t conversion, inline
pinyin after some characters (報(bào)), page chrome and an injected spam line."""

from __future__ import annotations

import random
from functools import lru_cache

import opencc

# Lines a mirror site injects (D9); test data copied from the kinds seen in seed 004.
SPAM_LINES: tuple[str, ...] = (
    "亚洲日韩精品一二三区,人人妻人人爽人人做,精品亚洲成a人无码成a在线观看,高清无码免费在线播放",
    "澳门葡京娱乐城官网,百家乐在线博彩,体育投注首选",
    "国产精品一区二区三区,日韩欧美在线观看,免费高清无码",
)
PAGE_FOOTER: tuple[str, ...] = ("掃一掃在手機上查看當前頁面", "相關解讀", "相關政策", "相關稿件")


@lru_cache(maxsize=1)
def _s2t():  # type: ignore[no-untyped-def]  # opencc loads its dictionaries once per process
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


# Pinyin for the traditional characters these reports use (how a mirror annotates them:
# one reading per character, context ignored, as the mirrors do). Built once from pypinyin;
# kept inline so the output does not depend on what is installed.
_PINYIN_TABLE = (
    "開kāi 結jié 項xiàng 請qǐng 況kuàng 條tiáo 數shù 處chù 計jì 務wù 總zǒng 內nèi 動dòng 報bào 複fù 訴sù 屬shǔ 機jī 於yú "
    "關guān 業yè 議yì 審shěn 國guó 進jìn 維wéi 規guī 臺tái 辦bàn 會huì 發fā 體tǐ 費fèi 據jù 認rèn 強qiáng 訟sòng 決jué 類lèi "
    "糾jiū 無wú 確què 組zǔ 時shí 監jiān 運yùn 實shí 區qū 織zhī 爲wèi 華huá 覆fù 佈bù 問wèn 題tí 過guò 執zhí 責zé 護hù 穩wěn "
    "構gòu 轉zhuǎn 後hòu 範fàn 嚴yán 將jiāng 設shè 現xiàn 補bǔ 當dāng 減jiǎn 採cǎi 購gòu 覈hé 納nà 導dǎo 衆zhòng 態tài 讀dú "
    "財cái 統tǒng 簡jiǎn 稱chēng 編biān 堅jiān 習xí 義yì 貫guàn 徹chè 圍wéi 繞rào 紮zā 斷duàn 預yù 頭tóu 託tuō 專zhuān 負fù "
    "許xǔ 罰fá 額é 係xì 這zhè 祕mì 權quán 詢xún 沒méi 製zhì 訪fǎng 舉jǔ 獲huò 繼jì 續xù 經jīng 從cóng 對duì 員yuán 訓xùn 單dān "
    "廳tīng 門mén 戶hù 網wǎng 號hào 聞wén 縣xiàn 欄lán 論lùn 績jī 暢chàng 參cān 與yǔ 廢fèi 萬wàn 繳jiǎo 賬zhàng 準zhǔn "
    "豐fēng 綜zōng 圖tú 視shì 頻pín 場chǎng 鎮zhèn 廣guǎng 還hái 調diào 領lǐng 夠gòu 訂dìng 錄lù 較jiào 農nóng 資zī 級jí "
    "點diǎn 環huán 寧níng 蘭lán 東dōng 龍lóng 陽yáng 輸shū 蓮lián 醫yī 療liáo 軍jūn 學xué 術shù 衛wèi 羅luó 晉jìn 澤zé "
    "銅tóng 峽xiá 鄉xiāng 風fēng 遊yóu 應yīng 兩liǎng 吳wú 蘿luó 蘇sū 園yuán 濟jì 鄭zhèng 榮róng 紅hóng 麗lì 漢hàn 銀yín "
    "盤pán 錦jǐn 鶴hè 崗gǎng 島dǎo 貴guì 濱bīn 懷huái 長cháng "
)
_PINYIN: dict[str, str] = {w[0]: w[1:] for w in _PINYIN_TABLE.split()}


def _pinyin(ch: str) -> str | None:
    return _PINYIN.get(ch)


def annotated(ch: str) -> bool:
    """Whether the mirror annotates this character. Seed 004 annotates a fixed subset of
    the characters whose traditional form differs (報 always, 開 never): a stable choice per
    character, by code point so it does not depend on Python's hash seed."""
    return (ord(ch) * 2654435761) % 97 < 60


def add_pinyin(traditional: str, simplified: str, *, toneless_twice: bool = False) -> str:
    """報(bào) after the characters that differ between the two scripts; ``toneless_twice``
    gives the (gong)(gong) form of another mirror (D8)."""
    if len(traditional) != len(simplified):
        simplified = traditional  # phrase conversion changed the length: compare with itself
    out: list[str] = []
    for t, s in zip(traditional, simplified, strict=True):
        out.append(t)
        if t != s and annotated(t):
            py = _pinyin(t)
            if py:
                if toneless_twice:
                    plain = _strip_tones(py)
                    out.append(f"({plain})({plain})")
                else:
                    out.append(f"({py})")
    return "".join(out)


_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")


def _strip_tones(py: str) -> str:
    return py.translate(_TONES)


def mirror(text: str, *, toneless_twice: bool = False) -> str:
    """Simplified text -> the traditional, pinyin-annotated text of a mirror copy."""
    trad = to_traditional(text)
    return add_pinyin(trad, text, toneless_twice=toneless_twice)


def chrome_lines(title: str, date: str, body: str, rng: random.Random) -> list[str]:
    """The metadata block a government site prints above the report (seed 004), simplified:
    the caller converts it with the rest of the page."""
    return [
        "索 引 号:",
        "信息分类: 政府信息公开年报",
        "发布机构:" + (f" {body}" if rng.random() < 0.3 else ""),
        f"发布日期: {date}",
        f"标题: {title}",
        "文号:",
        "时效:",
    ]


def spam_line(rng: random.Random) -> str:
    return rng.choice(SPAM_LINES)
