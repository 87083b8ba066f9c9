"""The agency ledgers (台账) as data: columns and their aliases, allowed values, the case
states and their transition table (``../shared/spec/ledger.md``).

The table-3 outcomes are the row keys of ``domain.labels`` (never retyped): a ledger's
办理结果 is matched against a row's official label, ``group/label`` as the register writes
it, or one of the short forms below.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import T3_COLUMNS, T3_OUTCOME_ROWS_2021, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the record field it fills
    label: str  # the header the template writes
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text | date | int | number | choice
    personal: bool = False  # personal data: shown to authorised roles only, exported on request
    choices: tuple[str, ...] = ()  # the template's drop-down


@dataclass(frozen=True, slots=True)
class Ledger:
    kind: str  # cases | remedies | documents | counts
    title: str
    sheet: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the fields that identify a record within a body


APPLICANT_TYPES: dict[str, str] = {c.label: c.key for c in T3_COLUMNS[:-1]}  # 自然人 -> natural_person …
CHANNELS: tuple[str, ...] = ("当面", "信函", "网络", "传真", "电子邮件", "其他")

# 办理结果: the group a row sits under, for the written form "不予公开/属于国家秘密"
OUTCOME_GROUPS: dict[str, str] = {
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
# short forms registers use (ledger.md): a word that names one outcome row
OUTCOME_SHORT: dict[str, str] = {
    "公开": "disclosed",
    "全部公开": "disclosed",
    "国家秘密": "withheld.state_secret",
    "法律法规禁止": "withheld.prohibited_by_law",
    "三安全一稳定": "withheld.security_stability",
    "第三方": "withheld.third_party",
    "第三方合法权益": "withheld.third_party",
    "内部事务": "withheld.internal_affairs",
    "过程性信息": "withheld.process_info",
    "执法案卷": "withheld.enforcement_file",
    "行政查询": "withheld.inquiry",
    "不掌握": "unavailable.not_held",
    "另行制作": "unavailable.needs_creation",
    "仍不明确": "unavailable.unclear",
    "信访": "not_processed.petition",
    "信访举报投诉": "not_processed.petition",
    "重复申请": "not_processed.duplicate",
    "公开出版物": "not_processed.publication",
    "大量反复申请": "not_processed.excessive",
    "确认或重新出具": "not_processed.confirmation",
    "逾期不补正": "other.no_correction",
    "逾期未缴费": "other.unpaid_fee",
    "未缴费": "other.unpaid_fee",
    "撤回": "other.other",
    "申请人撤回": "other.other",
    "其他": "other.other",
}
# outcomes that close a case without an answer on the merits (the state they leave it in)
WITHDRAWN_WORDS: tuple[str, ...] = ("撤回", "申请人撤回")
ABANDONED_OUTCOMES: dict[str, str] = {"other.no_correction": "no_correction", "other.unpaid_fee": "unpaid_fee"}


def outcome_label(key: str) -> str:
    """The written form of an outcome row: ``予以公开``, ``不予公开/属于国家秘密`` …"""
    row = T3_ROW_BY_KEY[key]
    label = row.label.split("（区分")[0]
    for prefix in ("（一）", "（二）"):
        label = label.removeprefix(prefix)
    if "." in key:
        return f"{OUTCOME_GROUPS[key.split('.')[0]]}/{label.split('.', 1)[1]}"
    return label


OUTCOME_CHOICES: tuple[str, ...] = tuple(outcome_label(k) for k in T3_OUTCOME_ROWS_2021)

REMEDY_KINDS: dict[str, str] = {"行政复议": "review", "直接起诉": "litigation_direct", "未经复议直接起诉": "litigation_direct",
                                "复议后起诉": "litigation_after_review"}  # fmt: skip
REMEDY_KIND_LABEL: dict[str, str] = {"review": "行政复议", "litigation_direct": "直接起诉", "litigation_after_review": "复议后起诉"}
REMEDY_GROUPS = dict(T4_GROUPS)
REMEDY_RESULTS: dict[str, str] = {c.label: c.key for c in T4_COLUMNS if c.key in ("upheld", "corrected", "other")}
REMEDY_RESULT_LABEL: dict[str, str] = {v: k for k, v in REMEDY_RESULTS.items()}

DOCUMENT_KINDS: dict[str, str] = {"规章": "regulations", "行政规范性文件": "normative_docs", "规范性文件": "normative_docs"}
DOCUMENT_KIND_LABEL: dict[str, str] = {"regulations": "规章", "normative_docs": "行政规范性文件"}

COUNT_ITEMS: dict[str, str] = {
    "行政许可": "t2.licensing.decisions",
    "行政处罚": "t2.punishment.decisions",
    "行政强制": "t2.enforcement.decisions",
    "行政事业性收费（万元）": "t2.fees.amount",
    "行政事业性收费": "t2.fees.amount",
}
COUNT_ITEM_LABEL: dict[str, str] = {
    "t2.licensing.decisions": "行政许可",
    "t2.punishment.decisions": "行政处罚",
    "t2.enforcement.decisions": "行政强制",
    "t2.fees.amount": "行政事业性收费（万元）",
}

MAX_EXTENSION = 20  # working days (条例 art. 33)
ANSWER_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
FEE_PAYMENT_DAYS = 20

LEDGERS: tuple[Ledger, ...] = (
    Ledger(
        "cases",
        "依申请公开登记台账",
        "依申请公开",
        (
            Column("number", "编号", ("申请编号", "登记号"), required=True),
            Column("received", "收到日期", ("收到申请日期", "受理日期"), required=True, kind="date"),
            Column("channel", "申请方式", ("渠道",), kind="choice", choices=CHANNELS),
            Column("applicant_type", "申请人类型", (), required=True, kind="choice", choices=tuple(APPLICANT_TYPES)),
            Column("applicant", "申请人", (), personal=True),
            Column("contact", "联系方式", ("联系电话", "联系地址"), personal=True),
            Column("content", "申请内容", ()),
            Column("correction_requested", "补正告知日期", (), kind="date"),
            Column("correction_received", "补正收到日期", (), kind="date"),
            Column("consult_start", "征求意见开始日期", (), kind="date"),
            Column("consult_end", "征求意见结束日期", (), kind="date"),
            Column("fee_notice", "收费通知日期", (), kind="date"),
            Column("fee_paid", "缴费日期", (), kind="date"),
            Column("extension_days", "延期工作日", ("延长工作日",), kind="int"),
            Column("answered", "答复日期", ("办结日期",), kind="date"),
            Column("outcome", "办理结果", (), kind="choice", choices=OUTCOME_CHOICES),
            Column("handler", "承办人", ("经办人",)),
        ),
        ("number",),
    ),
    Ledger(
        "remedies",
        "行政复议、行政诉讼台账",
        "复议诉讼",
        (
            Column("number", "编号", ("案号",), required=True),
            Column("kind", "类型", (), required=True, kind="choice", choices=("行政复议", "直接起诉", "复议后起诉")),
            Column("application", "关联申请编号", ()),
            Column("received", "收到日期", ("立案日期",), required=True, kind="date"),
            Column("result", "结果", (), kind="choice", choices=tuple(REMEDY_RESULTS)),
            Column("concluded", "结案日期", (), kind="date"),
        ),
        ("number",),
    ),
    Ledger(
        "documents",
        "规章和规范性文件",
        "文件",
        (
            Column("number", "文号", (), required=True),
            Column("title", "标题", ()),
            Column("kind", "类型", (), required=True, kind="choice", choices=("规章", "行政规范性文件")),
            Column("issued", "印发日期", ("制发日期",), required=True, kind="date"),
            Column("repealed", "废止日期", ("失效日期",), kind="date"),
        ),
        ("number",),
    ),
    Ledger(
        "counts",
        "年度数量",
        "年度数量",
        (
            Column("year", "年度", (), required=True, kind="int"),
            Column("item", "事项", (), required=True, kind="choice", choices=tuple(COUNT_ITEM_LABEL.values())),
            Column("value", "数量", ("金额",), required=True, kind="number"),
        ),
        ("year", "item"),
    ),
)
LEDGER_BY_KIND: dict[str, Ledger] = {x.kind: x for x in LEDGERS}
PERSONAL_FIELDS: frozenset[str] = frozenset(c.key for x in LEDGERS for c in x.columns if c.personal)

# ---------------------------------------------------------------- the case workflow
# state -> Chinese name; paused states stop the answer clock
STATES: dict[str, str] = {
    "registered": "已登记",
    "correction_requested": "待补正",
    "in_progress": "办理中",
    "consulting": "征求意见中（暂停计时）",
    "fee_notice": "待缴费（暂停计时）",
    "answered": "已答复",
    "withdrawn": "已撤回",
    "abandoned": "已终止",
}
OPEN_STATES: frozenset[str] = frozenset({"registered", "correction_requested", "in_progress", "consulting", "fee_notice"})
PAUSED_STATES: frozenset[str] = frozenset({"consulting", "fee_notice"})


@dataclass(frozen=True, slots=True)
class Action:
    key: str
    label: str  # Chinese, what the button says
    sources: tuple[str, ...]  # the states it may be taken from
    target: str | None  # the state it leads to (None: stays)
    role: str = "handler"  # who may take it
    date_field: str | None = None  # the record field the action's date fills


# The explicit transition table. Anything not listed is refused.
ACTIONS: tuple[Action, ...] = (
    Action("start", "开始办理", ("registered",), "in_progress", "handler"),
    Action("request_correction", "发出补正告知", ("registered",), "correction_requested", "handler", "correction_requested"),
    Action("receive_correction", "收到补正", ("correction_requested",), "in_progress", "registrar", "correction_received"),
    Action("start_consultation", "开始征求意见", ("in_progress",), "consulting", "handler", "consult_start"),
    Action("end_consultation", "征求意见结束", ("consulting",), "in_progress", "handler", "consult_end"),
    Action("send_fee_notice", "发出收费通知", ("in_progress",), "fee_notice", "handler", "fee_notice"),
    Action("receive_payment", "收到缴费", ("fee_notice",), "in_progress", "registrar", "fee_paid"),
    Action("extend", "延期答复（须批准）", ("in_progress",), None, "approver"),
    Action("answer", "作出答复", ("registered", "in_progress"), "answered", "handler", "answered"),
    Action("withdraw", "申请人撤回", ("registered", "correction_requested", "in_progress", "consulting", "fee_notice"), "withdrawn",
           "registrar", "answered"),
    Action("abandon_no_correction", "逾期不补正，终止办理", ("correction_requested",), "abandoned", "handler", "answered"),
    Action("abandon_unpaid", "逾期未缴费，终止办理", ("fee_notice",), "abandoned", "handler", "answered"),
)
ACTION_BY_KEY: dict[str, Action] = {a.key: a for a in ACTIONS}
# the outcome an action that closes a case records (answer: the handler chooses one)
ACTION_OUTCOME: dict[str, str] = {"withdraw": "other.other", "abandon_no_correction": "other.no_correction",
                                  "abandon_unpaid": "other.unpaid_fee"}  # fmt: skip

# State Council holiday names (chinese_calendar gives them in English)
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# The legal basis a reply letter (答复书) cites for each outcome (条例 = 中华人民共和国政府信息公开条例).
LETTER_BASIS: dict[str, str] = {
    "disclosed": "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    "partially_disclosed": "《中华人民共和国政府信息公开条例》第三十七条",
    "withheld.state_secret": "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    "withheld.prohibited_by_law": "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    "withheld.security_stability": "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    "withheld.third_party": "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    "withheld.internal_affairs": "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    "withheld.process_info": "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    "withheld.enforcement_file": "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    "withheld.inquiry": "《中华人民共和国政府信息公开条例》第三十六条",
    "unavailable.not_held": "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    "unavailable.needs_creation": "《中华人民共和国政府信息公开条例》第三十八条",
    "unavailable.unclear": "《中华人民共和国政府信息公开条例》第三十条",
    "not_processed.petition": "《中华人民共和国政府信息公开条例》第三十九条第一款",
    "not_processed.duplicate": "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    "not_processed.publication": "《中华人民共和国政府信息公开条例》第三十九条第二款",
    "not_processed.excessive": "《中华人民共和国政府信息公开条例》第三十五条",
    "not_processed.confirmation": "《中华人民共和国政府信息公开条例》第三十九条第一款",
    "other.no_correction": "《中华人民共和国政府信息公开条例》第三十条",
    "other.unpaid_fee": "《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    "other.other": "《中华人民共和国政府信息公开条例》",
}
REMEDY_NOTICE = "如对本答复不服，可以在收到本答复之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
