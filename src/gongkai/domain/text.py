"""Text facts as data: spam vocabulary, placeholders for blank cells, radicals NFKC misses,
body-name suffixes, units."""

from __future__ import annotations

import re

# Words that mark a line as injected spam (gambling, porn) in mirrored copies (D9, D10).
# A line is dropped when it holds two of them, or one and no word of the report's domain.
SPAM_WORDS: tuple[str, ...] = (
    "无码", "有码", "人妻", "日韩", "欧美", "亚洲", "精品", "成人", "色情", "av", "AV",
    "在线观看", "免费观看", "高清", "国产", "黄色", "一区", "二区", "三区", "一二三区",
    "博彩", "娱乐城", "赌场", "赌博", "彩票", "百家乐", "威尼斯人", "葡京", "澳门", "太阳城",
    "体育投注", "棋牌", "老虎机", "威廉希尔", "人人爽", "做爱", "伦理", "偷拍",
)
DOMAIN_WORDS: tuple[str, ...] = ("政府", "信息", "公开", "报告", "申请", "行政", "办理", "工作", "年度")

# Cell text that means "blank" (D2): kept as null, never as 0.
BLANK_MARKS: frozenset[str] = frozenset(
    {"/", "／", "-", "—", "–", "－", "——", "--", "─", "无", "空", "N/A", "n/a", "NA", "不适用", "\\", "×", "*"}
)

# What OCR makes of a 0 printed in a table cell: a ring it reads as punctuation or a
# letter. In a scanned table row among numbers such a mark is a cell whose value could not
# be read (never a number, never a blank): the table identities may still derive it.
OCR_RINGS: frozenset[str] = frozenset({"。", "o", "O", "〇", "○", "°", "º", "◦"})

# CJK Radicals Supplement code points that NFKC leaves alone but PDF text carries (the
# Kangxi block U+2F00.. is handled by NFKC itself).
RADICALS: dict[str, str] = {
    "⺀": "冫", "⺁": "厂", "⺇": "几", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尢",
    "⺐": "尢", "⺑": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺖": "心",
    "⺗": "心", "⺘": "手", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歹",
    "⺟": "母", "⺠": "民", "⺡": "水", "⺢": "水", "⺣": "火", "⺤": "爪", "⺥": "爪",
    "⺦": "丬", "⺧": "牛", "⺨": "犬", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示",
    "⺭": "示", "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "网", "⺲": "网", "⺳": "网",
    "⺴": "网", "⺵": "网", "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "老", "⺺": "聿",
    "⺻": "聿", "⺼": "肉", "⺽": "臼", "⺾": "艸", "⺿": "艸", "⻀": "艸", "⻁": "虎",
    "⻂": "衣", "⻃": "襾", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠",
    "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝",
    "⻐": "金", "⻑": "长", "⻒": "长", "⻓": "长", "⻔": "门", "⻕": "阜", "⻖": "阝",
    "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼",
    "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐",
    "⻬": "齐", "⻭": "齿", "⻮": "齿", "⻯": "龙", "⻰": "龙", "⻱": "龟", "⻲": "龟", "⻳": "龟",
}

# What a body's name ends with (longest first), and the body type each suffix implies.
BODY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("人民政府办公厅", "general_office"),
    ("人民政府办公室", "general_office"),
    ("政府办公厅", "general_office"),
    ("政府办公室", "general_office"),
    ("街道办事处", "township"),
    ("人民政府", "government"),
    ("管理委员会", "department"),
    ("委员会", "department"),
    ("办事处", "township"),
    ("管委会", "department"),
    ("办公室", "department"),
    ("办公厅", "department"),
    ("管理局", "department"),
    ("服务中心", "department"),
    ("中心", "department"),
    ("政府", "government"),
    ("局", "department"),
    ("委", "department"),
    ("厅", "department"),
    ("办", "department"),
    ("署", "department"),
    ("院", "department"),
    ("所", "department"),
    ("站", "department"),
    ("处", "department"),
)

# Units a money cell may carry, as multipliers of 元.
MONEY_UNITS: dict[str, int] = {"元": 1, "万元": 10000, "亿元": 100000000}
COUNT_UNITS: frozenset[str] = frozenset({"件", "条", "个", "项", "次", "宗", "人", "人次", "份"})

# Words a table-2 "本年增/减" cell writes its change with (增10, 减3, 新增2, 减少1), and the
# sign each gives the number that follows.
CHANGE_WORDS: dict[str, int] = {"新增": 1, "增加": 1, "净增": 1, "增": 1, "减少": -1, "净减": -1, "减": -1}

# What a page break prints between a table's rows (a PDF's text, a single page of one): the
# page number ("- 3 -", "— 3 —", "第 3 页 共 6 页"), matched on a line's text without spaces,
# and the running header, the report's title, told by these words.
PAGE_NUMBER = re.compile(r"[-—–]\d{1,3}[-—–]|第\d{1,3}页(?:[,，]?共\d{1,3}页)?")
RUNNING_TITLE_WORDS: tuple[str, ...] = ("年度报告",)

# A page's breadcrumb (当前位置:首页 > 政府信息公开 > 政府信息公开年报 > 2022年度): the site's
# path to the page, never its title even where it names the annual reports and a year. Told
# by its opening words or by 首页 followed by a path separator, matched without spaces.
BREADCRUMB = re.compile(r"^(?:您?(?:当前|现在)?(?:所在|的)?位置|当前所在位置)[:：]|首页[>＞›»/→]")

# The most digits a statistical cell can have: money in yuan below 10^18. A longer run of
# digits is not a number of a report (it would pass Python's 4,300-digit int bound too):
# it is read as text, with the finding NUMBER_TOO_LONG.
MAX_NUMBER_DIGITS = 18
