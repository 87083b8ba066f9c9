"""The official tables as data: every row, column, label and alias in one place.

The canonical keys are those of ``../shared/spec/cells.md``. ``phrases`` are the
distinctive parts of an official label that survive the damage real reports do to it
(numbering dropped, punctuation changed, characters spaced out, a character lost); the
matcher in ``gongkai.extract.labels`` tries them first and falls back to a fuzzy match
against ``label``.

Everything the official forms spell — row and column labels, the headers and group titles
that carry no numbers, the tables' titles, the documents that fix each format — is here,
and every other module imports it instead of retyping it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    label: str  # the official label (2021 wording)
    phrases: tuple[str, ...]  # any one, found in the normalized text, identifies the row
    formats: tuple[str, ...] = ("2019", "2021")
    group: str | None = None  # the 三、（三） style group the row sits under
    outcome: bool = False  # counts towards （七）总计

    @property
    def short(self) -> str:
        """The label without its （区分处理的…） note, for messages."""
        return self.label.split("（区分")[0]


@dataclass(frozen=True, slots=True)
class ColSpec:
    key: str
    label: str
    phrases: tuple[str, ...]


# ---------------------------------------------------------------- Table 3
T3_COLUMNS: tuple[ColSpec, ...] = (
    ColSpec("natural_person", "自然人", ("自然人",)),
    ColSpec("commercial", "商业企业", ("商业企业",)),
    ColSpec("research", "科研机构", ("科研机构",)),
    ColSpec("nonprofit", "社会公益组织", ("社会公益组织", "公益组织")),
    ColSpec("legal_service", "法律服务机构", ("法律服务机构",)),
    ColSpec("other_org", "其他", ("其他",)),
    ColSpec("total", "总计", ("总计",)),
)
T3_PARTS = tuple(c.key for c in T3_COLUMNS[:-1])
# The headers of table 3 that carry no numbers (official-format.md §1.4).
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_ORGS = "法人或其他组织"
# The group rows of table 3 carry no numbers, so the rows know them only by code.
T3_GROUP_TITLES: dict[str, str] = {
    "三": "三、本年度办理结果",
    "（三）": "（三）不予公开",
    "（四）": "（四）无法提供",
    "（五）": "（五）不予处理",
    "（六）": "（六）其他处理",
}

T3_ROWS: tuple[RowSpec, ...] = (
    RowSpec("received", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    RowSpec("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    RowSpec("disclosed", "（一）予以公开", ("予以公开",), group="三", outcome=True),
    RowSpec(
        "partially_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("部分公开",),
        group="三",
        outcome=True,
    ),
    RowSpec("withheld.state_secret", "1.属于国家秘密", ("国家秘密",), group="（三）", outcome=True),
    RowSpec(
        "withheld.prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        ("法规禁止公开", "其他法律行政", "禁止公开"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.security_stability",
        "3.危及“三安全一稳定”",
        ("三安全一稳定", "三安全", "一稳定"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.third_party",
        "4.保护第三方合法权益",
        ("第三方合法权益", "保护第三方"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.internal_affairs",
        "5.属于三类内部事务信息",
        ("内部事务",),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.process_info",
        "6.属于四类过程性信息",
        ("过程性信息", "过程性"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.enforcement_file",
        "7.属于行政执法案卷",
        ("行政执法案卷", "执法案卷"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "withheld.inquiry",
        "8.属于行政查询事项",
        ("行政查询事项", "查询事项"),
        group="（三）",
        outcome=True,
    ),
    RowSpec(
        "unavailable.not_held",
        "1.本机关不掌握相关政府信息",
        ("不掌握相关", "本机关不掌握", "不掌握"),
        group="（四）",
        outcome=True,
    ),
    RowSpec(
        "unavailable.needs_creation",
        "2.没有现成信息需要另行制作",
        ("另行制作", "没有现成信息"),
        group="（四）",
        outcome=True,
    ),
    RowSpec(
        "unavailable.unclear",
        "3.补正后申请内容仍不明确",
        ("仍不明确", "补正后申请"),
        group="（四）",
        outcome=True,
    ),
    RowSpec(
        "not_processed.petition",
        "1.信访举报投诉类申请",
        ("信访举报", "举报投诉"),
        group="（五）",
        outcome=True,
    ),
    RowSpec("not_processed.duplicate", "2.重复申请", ("重复申请",), group="（五）", outcome=True),
    RowSpec(
        "not_processed.publication",
        "3.要求提供公开出版物",
        ("公开出版物", "出版物"),
        group="（五）",
        outcome=True,
    ),
    RowSpec(
        "not_processed.excessive",
        "4.无正当理由大量反复申请",
        ("大量反复", "反复申请"),
        group="（五）",
        outcome=True,
    ),
    RowSpec(
        "not_processed.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        ("确认或重新出具", "重新出具", "要求行政机关确认"),
        group="（五）",
        outcome=True,
    ),
    # 2019 keeps （六）其他处理 as one data row; some 2021 reports do too, so the row is
    # allowed in both formats and the extractor decides by what follows it.
    RowSpec("other", "（六）其他处理", ("其他处理",), group="三", outcome=True),
    RowSpec(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("逾期不补正", "不补正", "理由逾期不补"),  # (a label wrapped in its cell: …逾期不补 / 正、…)
        formats=("2021",),
        group="（六）",
        outcome=True,
    ),
    RowSpec(
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("收费通知", "缴纳费用"),
        formats=("2021",),
        group="（六）",
        outcome=True,
    ),
    RowSpec("other.other", "3.其他", ("其他",), formats=("2021",), group="（六）", outcome=True),
    RowSpec("total_handled", "（七）总计", ("总计",), group="三"),
    RowSpec("carried_forward", "四、结转下年度继续办理", ("结转下年度", "下年度继续办理")),
)

T3_ROW_BY_KEY = {r.key: r for r in T3_ROWS}
# The group rows of table 3: they carry no numbers (no keys), only a title over their rows
# (``RowSpec.group`` names them); （三）…（六） sit under 三.
T3_GROUP_PARENT: dict[str, str | None] = {"三": None, "（三）": "三", "（四）": "三", "（五）": "三", "（六）": "三"}
T3_OUTCOME_ROWS_2019 = tuple(
    r.key for r in T3_ROWS if r.outcome and "2019" in r.formats
)
T3_OUTCOME_ROWS_2021 = tuple(
    r.key for r in T3_ROWS if r.outcome and "2021" in r.formats and r.key != "other"
)


@lru_cache(maxsize=8)
def t3_rows(fmt: str, single_other: bool = False) -> tuple[str, ...]:
    """The data rows of table 3 in form order for a format.

    ``single_other``: a 2021 report that kept the 2019 single （六）其他处理 row.
    """
    out = []
    for r in T3_ROWS:
        if r.key == "other":
            if fmt == "2019" or single_other:
                out.append(r.key)
            continue
        if r.key.startswith("other.") and (fmt == "2019" or single_other):
            continue
        out.append(r.key)
    return tuple(out)


# ---------------------------------------------------------------- Table 4
T4_REVIEW = "行政复议"
T4_LITIGATION = "行政诉讼"
T4_LITIGATION_KINDS = ("未经复议直接起诉", "复议后起诉")
T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", T4_REVIEW),
    ("litigation_direct", f"{T4_LITIGATION} / {T4_LITIGATION_KINDS[0]}"),
    ("litigation_after_review", f"{T4_LITIGATION} / {T4_LITIGATION_KINDS[1]}"),
)
T4_COLUMNS: tuple[ColSpec, ...] = (
    ColSpec("upheld", "结果维持", ("结果维持", "维持")),
    ColSpec("corrected", "结果纠正", ("结果纠正", "纠正")),
    ColSpec("other", "其他结果", ("其他结果",)),
    ColSpec("pending", "尚未审结", ("尚未审结", "审结")),
    ColSpec("total", "总计", ("总计",)),
)
T4_KEYS = tuple(f"t4.{g}.{c.key}" for g, _ in T4_GROUPS for c in T4_COLUMNS)


# ---------------------------------------------------------------- Table 2
T2_ARTICLE = "第二十条"  # 条例 art. 20, whose items the rows of table 2 count
T2_ITEM = T2_ARTICLE + "第（{item}）项"  # the title over each item's rows
T2_CONTENT = "信息内容"  # the header of the label column
# Column words that only one format's table 2 has: each found is a vote for that format.
T2_FORMAT_SIGNALS: dict[str, tuple[str, ...]] = {
    "2021": ("制发件数", "废止件数", "现行有效", "收费金额", "本年处理决定"),
    "2019": ("新制作", "本年新公开", "对外公开总", "上一年项目", "增/减", "增减", "采购项目", "集中采购", "对外管理服务"),
}


@dataclass(frozen=True, slots=True)
class T2Row:
    key: str
    label: str
    phrases: tuple[str, ...]
    item: str  # 第二十条第（X）项
    columns: tuple[ColSpec, ...]
    unit: str | None = None  # the unit of money columns, where the format fixes one


_T2_2021_DOCS = (
    ColSpec("issued", "本年制发件数", ("制发",)),
    ColSpec("repealed", "本年废止件数", ("废止",)),
    ColSpec("in_force", "现行有效件数", ("现行有效",)),
)
_T2_2021_DECISIONS = (ColSpec("decisions", "本年处理决定数量", ("处理决定",)),)
_T2_2019_DOCS = (
    ColSpec("made", "本年新制作数量", ("新制作", "制作数量")),
    ColSpec("published", "本年新公开数量", ("新公开", "公开数量")),
    ColSpec("total_published", "对外公开总数量", ("对外公开总", "公开总数")),
)
_T2_2019_ITEMS = (
    ColSpec("previous", "上一年项目数量", ("上一年", "项目数量")),
    ColSpec("change", "本年增/减", ("增/减", "增减")),
    ColSpec("decisions", "处理决定数量", ("处理决定",)),
)

# 规范性档案: 規範性檔案, a traditional copy converted with Taiwan's phrases (文件 -> 檔案),
# turned back character by character
_NORMATIVE_DOCS = ("规范性文件", "规范性档案")

T2_ROWS: dict[str, tuple[T2Row, ...]] = {
    "2021": (
        T2Row("regulations", "规章", ("规章",), "一", _T2_2021_DOCS),
        T2Row("normative_docs", "行政规范性文件", _NORMATIVE_DOCS, "一", _T2_2021_DOCS),
        T2Row("licensing", "行政许可", ("行政许可",), "五", _T2_2021_DECISIONS),
        T2Row("punishment", "行政处罚", ("行政处罚",), "六", _T2_2021_DECISIONS),
        T2Row("enforcement", "行政强制", ("行政强制",), "六", _T2_2021_DECISIONS),
        T2Row(
            "fees",
            "行政事业性收费",
            ("行政事业性收费", "事业性收费"),
            "八",
            (ColSpec("amount", "本年收费金额（单位：万元）", ("收费金额",)),),
            unit="万元",
        ),
    ),
    "2019": (
        T2Row("regulations", "规章", ("规章",), "一", _T2_2019_DOCS),
        T2Row("normative_docs", "规范性文件", _NORMATIVE_DOCS, "一", _T2_2019_DOCS),
        T2Row("licensing", "行政许可", ("行政许可",), "五", _T2_2019_ITEMS),
        T2Row("other_services", "其他对外管理服务事项", ("对外管理服务", "其他对外管理"), "五", _T2_2019_ITEMS),
        T2Row("punishment", "行政处罚", ("行政处罚",), "六", _T2_2019_ITEMS),
        T2Row("enforcement", "行政强制", ("行政强制",), "六", _T2_2019_ITEMS),
        T2Row("fees", "行政事业性收费", ("行政事业性收费", "事业性收费"), "八", _T2_2019_ITEMS[:2]),
        T2Row(
            "procurement",
            "政府集中采购",
            ("政府集中采购", "集中采购"),
            "九",
            (
                ColSpec("items", "采购项目数量", ("采购项目",)),
                ColSpec("amount", "采购总金额", ("采购总金额", "总金额")),
            ),
        ),
    ),
}


def t2_keys(fmt: str) -> tuple[str, ...]:
    return tuple(f"t2.{r.key}.{c.key}" for r in T2_ROWS[fmt] for c in r.columns)


def t3_keys(fmt: str, single_other: bool = False) -> tuple[str, ...]:
    return tuple(f"t3.{r}.{c.key}" for r in t3_rows(fmt, single_other) for c in T3_COLUMNS)


def all_keys(fmt: str, single_other: bool = False) -> tuple[str, ...]:
    return t2_keys(fmt) + t3_keys(fmt, single_other) + T4_KEYS


def cell_label(key: str) -> str:
    """A Chinese label for a canonical key, for messages and exports."""
    parts = key.split(".")
    table = parts[0]
    if table == "t3":
        row = T3_ROW_BY_KEY[".".join(parts[1:-1])]
        col = next(c for c in T3_COLUMNS if c.key == parts[-1])
        return f"{TABLE_NAMES['t3']}「{row.short}」{col.label}"
    if table == "t4":
        group = dict(T4_GROUPS)[parts[1]]
        col = next(c for c in T4_COLUMNS if c.key == parts[2])
        return f"{TABLE_NAMES['t4']}「{group}」{col.label}"
    if table == "t2":
        for fmt in ("2021", "2019"):
            for r in T2_ROWS[fmt]:
                if r.key == parts[1]:
                    for c in r.columns:
                        if c.key == parts[2]:
                            return f"{TABLE_NAMES['t2']}「{r.label}」{c.label}"
    return key


# ---------------------------------------------------------------- Sections
@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    number: str
    title: str
    phrases: tuple[str, ...]


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("overview", "一", "总体情况", ("总体情况", "概述", "基本情况")),
    SectionSpec("proactive", "二", "主动公开政府信息情况", ("主动公开政府信息情况", "主动公开政府信息", "主动公开情况")),
    SectionSpec(
        "applications",
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "处理政府信息公开申请情况", "依申请公开"),
    ),
    SectionSpec(
        "remedies",
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        ("行政复议、行政诉讼", "行政复议行政诉讼", "复议、诉讼", "行政复议和行政诉讼"),
    ),
    SectionSpec(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        ("存在的主要问题", "主要问题及改进", "存在问题", "问题及改进", "存在的问题"),
    ),
    SectionSpec("other", "六", "其他需要报告的事项", ("其他需要报告", "其他事项")),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


# Table 2's columns that hold money (万元, with decimals); every other cell is a count.
MONEY_COLUMNS = frozenset({"amount"})


def is_count(key: str) -> bool:
    """Whether a canonical key holds a whole number (a count), not an amount of money."""
    return not (key.startswith("t2.") and key.rsplit(".", 1)[-1] in MONEY_COLUMNS)
# ---------------------------------------------------------------- Tables and formats
@dataclass(frozen=True, slots=True)
class TableSpec:
    key: str  # "t2" | "t3" | "t4"
    name: str  # 表二
    section: str  # the section the table belongs to, whose title it carries

    @property
    def title(self) -> str:
        """The official title (official-format.md §1.1): the title of its section."""
        return SECTION_BY_KEY[self.section].title

    @property
    def heading(self) -> str:
        """表二 主动公开政府信息情况"""
        return f"{self.name} {self.title}"


TABLES: tuple[TableSpec, ...] = (
    TableSpec("t2", "表二", "proactive"),
    TableSpec("t3", "表三", "applications"),
    TableSpec("t4", "表四", "remedies"),
)
TABLE_BY_KEY = {t.key: t for t in TABLES}
TABLE_NAMES = {t.key: t.name for t in TABLES}

# The notices that fix each format of the tables.
FORMAT_DOCUMENTS: dict[str, str] = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}
