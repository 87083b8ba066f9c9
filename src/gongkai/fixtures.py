"""Random valid annual reports: test data for the renderer, the parser and the benchmarks.

``random_cells`` draws a full cell set for format "2019" or "2021" that satisfies every
identity of ``domain/rules.py`` (blank cells aside: a blank makes its equations unknowable,
the numbers behind the table still add up). Magnitudes follow real reports: most agencies
receive no application at all, a few receive thousands. ``random_report`` adds an issuing
body, a year, narrative for the six sections and a publication date.

Everything is drawn from the ``random.Random`` passed in, so a seed fixes the report; no
global state, no I/O, a few hundred microseconds per report.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .domain.labels import T2_ROWS, T3_PARTS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, all_keys, t3_rows
from .model import Value
from .render.spec import ReportSpec

__all__ = ["BLANK_STYLES", "ReportSpec", "random_body", "random_cells", "random_report"]

# How real reports leave cells blank (official-format.md §6 D1/D2/D18 and the seeds).
BLANK_STYLES: tuple[str, ...] = (
    "none",
    "t4_review_blank",  # the whole 行政复议 group of table 4 blank (seed 000)
    "t3_totals_only",  # table 3: only the 总计 column filled, applicant columns blank (seed 002)
    "t3_outcome_totals_blank",  # table 3: 总计 blank on the outcome rows (D1, 上海 2019)
    "t2_not_applicable",  # table 2: a row or cell marked not applicable (D2)
)
_BLANK_WEIGHTS = (10, 2, 2, 2, 2)

# ------------------------------------------------------------------ magnitudes
# (probability, natural-person range, organisation range) of an agency's yearly applications
_APPLICATION_SCALES: tuple[tuple[float, int, int], ...] = (
    (0.35, 0, 0),
    (0.40, 15, 3),
    (0.20, 300, 30),
    (0.05, 20000, 2000),
)
# Relative frequency of each outcome row; the (六) weights split over the 2021 sub-rows.
_OUTCOME_WEIGHTS: dict[str, float] = {
    "disclosed": 35,
    "partially_disclosed": 8,
    "withheld.state_secret": 0.3,
    "withheld.prohibited_by_law": 1,
    "withheld.security_stability": 0.3,
    "withheld.third_party": 3,
    "withheld.internal_affairs": 2,
    "withheld.process_info": 3,
    "withheld.enforcement_file": 1,
    "withheld.inquiry": 2,
    "unavailable.not_held": 20,
    "unavailable.needs_creation": 3,
    "unavailable.unclear": 3,
    "not_processed.petition": 5,
    "not_processed.duplicate": 3,
    "not_processed.publication": 1,
    "not_processed.excessive": 1,
    "not_processed.confirmation": 1,
    "other": 6,
    "other.no_correction": 3,
    "other.unpaid_fee": 0.3,
    "other.other": 3,
}


def _log_uniform(rng: random.Random, high: int) -> int:
    """1..high, small numbers far more likely than large ones (counts in real reports)."""
    if high <= 1:
        return high
    return min(high, int(high ** rng.random()))


def _sometimes(rng: random.Random, p_zero: float, high: int) -> int:
    return 0 if rng.random() < p_zero else _log_uniform(rng, high)


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """``total`` items over the weights: unit draws for small totals, jittered shares for
    large ones (fast, and still mostly zeros where the weights are small)."""
    n = len(weights)
    if total <= 0:
        return [0] * n
    if total <= 60:
        out = [0] * n
        for i in rng.choices(range(n), weights=weights, k=total):
            out[i] += 1
        return out
    jitter = [w * (0.4 + 1.2 * rng.random()) for w in weights]
    s = sum(jitter)
    out = [int(total * w / s) for w in jitter]
    for i in rng.choices(range(n), weights=jitter, k=total - sum(out)):
        out[i] += 1
    return out


# ------------------------------------------------------------------ table 3
def _application_scale(rng: random.Random) -> tuple[int, int]:
    """(natural-person, organisation) upper bounds of this agency's yearly applications."""
    x = rng.random()
    for p, person_high, org_high in _APPLICATION_SCALES:
        if x < p:
            return person_high, org_high
        x -= p
    return _APPLICATION_SCALES[-1][1:]


@dataclass(frozen=True, slots=True)
class _T3Layout:
    """Table 3's keys for one format, built once: the generator runs 100,000 times."""

    rows: tuple[str, ...]
    outcomes: tuple[str, ...]
    weights: tuple[float, ...]  # _OUTCOME_WEIGHTS of the outcome rows
    by_col: tuple[
        tuple[str, str, str, str, tuple[str, ...]], ...
    ]  # per part: received, carried_over, carried_forward, total_handled, outcome keys
    totals: tuple[tuple[str, tuple[str, ...]], ...]  # per row: total key, part keys
    keys: tuple[str, ...]  # every key of the format, in form order


@lru_cache(maxsize=2)
def _t3_layout(fmt: str) -> _T3Layout:
    rows = t3_rows(fmt)
    outcomes = tuple(r for r in rows if T3_ROW_BY_KEY[r].outcome)
    by_col = tuple(
        (
            f"t3.received.{c}",
            f"t3.carried_over.{c}",
            f"t3.carried_forward.{c}",
            f"t3.total_handled.{c}",
            tuple(f"t3.{r}.{c}" for r in outcomes),
        )
        for c in T3_PARTS
    )
    totals = tuple((f"t3.{r}.total", tuple(f"t3.{r}.{p}" for p in T3_PARTS)) for r in rows)
    return _T3Layout(rows, outcomes, tuple(_OUTCOME_WEIGHTS[r] for r in outcomes), by_col, totals, all_keys(fmt))


def _t3(rng: random.Random, fmt: str) -> dict[str, int]:
    layout = _t3_layout(fmt)
    person_high, org_high = _application_scale(rng)
    cells: dict[str, int] = {}
    weights = [w * (0.2 + rng.random()) for w in layout.weights]
    for i, (k_received, k_over, k_forward, k_handled, k_outcomes) in enumerate(layout.by_col):
        high = person_high if i == 0 else org_high
        received = 0 if high == 0 else _sometimes(rng, 0.1 if i == 0 else 0.7, high)
        carried_over = _sometimes(rng, 0.7, max(1, received // 8)) if received else 0
        pending = received + carried_over
        carried_forward = _sometimes(rng, 0.6, max(1, pending // 6)) if pending else 0
        handled = pending - carried_forward
        cells[k_received] = received
        cells[k_over] = carried_over
        cells[k_forward] = carried_forward
        cells[k_handled] = handled
        cells.update(zip(k_outcomes, _split(rng, handled, weights), strict=True))
    for total, parts in layout.totals:
        cells[total] = sum([cells[p] for p in parts])
    return cells


# ------------------------------------------------------------------ table 4
def _t4(rng: random.Random, busy: bool) -> dict[str, int]:
    cells: dict[str, int] = {}
    p_zero = 0.5 if busy else 0.92
    for g, _ in T4_GROUPS:
        parts = [_sometimes(rng, p_zero, 40 if busy else 3) for _ in T4_COLUMNS[:-1]]
        for c, v in zip(T4_COLUMNS[:-1], parts, strict=True):
            cells[f"t4.{g}.{c.key}"] = v
        cells[f"t4.{g}.total"] = sum(parts)
    return cells


# ------------------------------------------------------------------ table 2
def _money(rng: random.Random, p_zero: float, high: int) -> Value:
    if rng.random() < p_zero:
        return 0
    v = _log_uniform(rng, high * 100)
    if rng.random() < 0.3:
        return v // 100 or 1
    return Decimal(v).scaleb(-2)


def _t2(rng: random.Random, fmt: str, busy: bool) -> dict[str, Value]:
    cells: dict[str, Value] = {}
    k = 1 if not busy else 8
    if fmt == "2021":
        for row, (p, high) in {"regulations": (0.9, 5 * k), "normative_docs": (0.6, 20 * k)}.items():
            issued = _sometimes(rng, p, high)
            repealed = _sometimes(rng, p, high)
            cells[f"t2.{row}.issued"] = issued
            cells[f"t2.{row}.repealed"] = repealed
            cells[f"t2.{row}.in_force"] = issued + _sometimes(rng, p * 0.8, high * 10)
        cells["t2.licensing.decisions"] = _sometimes(rng, 0.4, 5000 * k)
        cells["t2.punishment.decisions"] = _sometimes(rng, 0.5, 2000 * k)
        cells["t2.enforcement.decisions"] = _sometimes(rng, 0.75, 300 * k)
        cells["t2.fees.amount"] = _money(rng, 0.6, 5000 * k)
        return cells
    for row, (p, high) in {"regulations": (0.9, 5 * k), "normative_docs": (0.6, 20 * k)}.items():
        made = _sometimes(rng, p, high)
        published = min(made, _sometimes(rng, 0.2, made)) if made else 0
        cells[f"t2.{row}.made"] = made
        cells[f"t2.{row}.published"] = published
        cells[f"t2.{row}.total_published"] = published + _sometimes(rng, p * 0.8, high * 10)
    for row, (p, high) in {
        "licensing": (0.4, 200 * k),
        "other_services": (0.5, 100 * k),
        "punishment": (0.5, 500 * k),
        "enforcement": (0.7, 50 * k),
    }.items():
        previous = _sometimes(rng, p, high)
        cells[f"t2.{row}.previous"] = previous
        # a decrease is written as a negative number (湖北's gloss, §2.1)
        cells[f"t2.{row}.change"] = rng.randint(-previous, max(1, high // 10)) if rng.random() < 0.4 else 0
        cells[f"t2.{row}.decisions"] = _sometimes(rng, p, high * 20)
    fees = _sometimes(rng, 0.7, 20)
    cells["t2.fees.previous"] = fees
    cells["t2.fees.change"] = rng.randint(-fees, 2) if rng.random() < 0.3 else 0
    cells["t2.procurement.items"] = items = _sometimes(rng, 0.6, 50 * k)
    cells["t2.procurement.amount"] = _money(rng, 1.0, 1) if not items else _money(rng, 0.0, 2_000_000 * k)
    return cells


# ------------------------------------------------------------------ blanks
def _apply_blanks(rng: random.Random, cells: dict[str, Value], fmt: str, style: str) -> None:
    if style == "none":
        return
    if style == "t4_review_blank":
        for c in T4_COLUMNS:
            cells[f"t4.review.{c.key}"] = None
    elif style == "t3_totals_only":
        for r in t3_rows(fmt):
            for p in T3_PARTS:
                cells[f"t3.{r}.{p}"] = None
    elif style == "t3_outcome_totals_blank":
        for r in t3_rows(fmt):
            if T3_ROW_BY_KEY[r].outcome:
                cells[f"t3.{r}.total"] = None
    elif style == "t2_not_applicable":
        rows = T2_ROWS[fmt]
        row = rng.choice(rows)
        cols = row.columns if rng.random() < 0.5 else (rng.choice(row.columns),)
        for c in cols:
            cells[f"t2.{row.key}.{c.key}"] = None
    else:
        raise ValueError(f"unknown blank style {style!r}; known: {', '.join(BLANK_STYLES)}")


def random_cells(
    rng: random.Random,
    fmt: str,
    *,
    blank_style: str | Iterable[str] = "none",
    busy: bool | None = None,
) -> dict[str, Value]:
    """A full, valid cell set for ``fmt`` ("2019" | "2021"), keys in form order.

    ``blank_style``: one of ``BLANK_STYLES``, several of them, or "random" (mostly none).
    ``busy``: a large agency (many decisions, some lawsuits); drawn when None.
    """
    if fmt not in ("2019", "2021"):
        raise ValueError(f"format must be 2019 or 2021, not {fmt!r}")
    if busy is None:
        busy = rng.random() < 0.2
    cells: dict[str, Value] = {}
    cells.update(_t2(rng, fmt, busy))
    cells.update(_t3(rng, fmt))
    cells.update(_t4(rng, busy))
    styles = [blank_style] if isinstance(blank_style, str) else list(blank_style)
    for style in styles:
        if style == "random":
            style = rng.choices(BLANK_STYLES, weights=_BLANK_WEIGHTS)[0]
        _apply_blanks(rng, cells, fmt, style)
    return {k: cells[k] for k in _t3_layout(fmt).keys}


# ------------------------------------------------------------------ bodies
# Real place names (test data): counties and districts with the city they belong to.
_PROVINCES = (
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "四川省",
    "山西省",
    "黑龙江省",
)
_CITIES = (
    "南京市",
    "苏州市",
    "淮安市",
    "杭州市",
    "宁波市",
    "合肥市",
    "福州市",
    "南昌市",
    "济南市",
    "青岛市",
    "郑州市",
    "武汉市",
    "长沙市",
    "怀化市",
    "岳阳市",
    "广州市",
    "成都市",
    "贵阳市",
    "西安市",
    "兰州市",
    "银川市",
    "石嘴山市",
    "大同市",
    "鹤岗市",
    "盘锦市",
    "吉林市",
    "济宁市",
    "保定市",
)
_COUNTIES = (
    ("吴忠市", "青铜峡市"),
    ("石嘴山市", "平罗县"),
    ("鹤岗市", "萝北县"),
    ("长沙市", "开福区"),
    ("大同市", "新荣区"),
    ("淮安市", "洪泽区"),
    ("苏州市", "吴中区"),
    ("杭州市", "西湖区"),
    ("宣城市", "宁国市"),
    ("淮安市", "金湖县"),
    ("福州市", "晋安区"),
    ("吉林市", "龙潭区"),
    ("吉林市", "舒兰市"),
    ("丽水市", "莲都区"),
    ("济宁市", "微山县"),
    ("保定市", "雄县"),
    ("南京市", "玄武区"),
    ("武汉市", "江岸区"),
    ("成都市", "武侯区"),
    ("岳阳市", "华容县"),
    ("怀化市", "沅陵县"),
    ("贵阳市", "花溪区"),
    ("西安市", "雁塔区"),
    ("郑州市", "中原区"),
)
_TOWNS = ("两城镇", "城关镇", "新华街道", "梅园新村街道", "湖滨街道", "北关街道", "龙山镇", "东风街道", "红星镇")
_DEPARTMENTS = (
    "科学技术局",
    "教育局",
    "财政局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "人力资源和社会保障局",
    "民政局",
    "司法局",
    "发展和改革委员会",
    "工业和信息化局",
    "林业局",
    "人民政府",
    "人民政府办公室",
)
_PROVINCE_DEPARTMENTS = ("教育厅", "科学技术厅", "财政厅", "自然资源厅", "生态环境厅", "民政厅", "人民政府办公厅")


def random_body(rng: random.Random) -> str:
    """A real-sounding issuing body: place (province, city, county or town) + agency type."""
    x = rng.random()
    if x < 0.08:
        return rng.choice(_PROVINCES) + rng.choice(_PROVINCE_DEPARTMENTS)
    if x < 0.3:
        return rng.choice(_CITIES) + rng.choice(_DEPARTMENTS)
    city, county = rng.choice(_COUNTIES)
    if x < 0.85:
        prefix = city if rng.random() < 0.25 else ""
        return prefix + county + rng.choice(_DEPARTMENTS)
    town = rng.choice(_TOWNS)
    return county + town + ("办事处" if town.endswith("街道") else "人民政府")


def _self_name(body: str) -> str:
    """How the agency calls itself in its prose: 我局, 我委, 我镇 …"""
    if body.endswith("街道办事处"):
        return "我街道"
    if body.endswith("人民政府办公厅") or body.endswith("人民政府办公室"):
        return "我办"
    if body.endswith("人民政府"):
        place = body[-5]  # 镇 区 县 市 省
        return f"我{place}" if place in "镇区县市省" else "本级政府"
    for suffix, name in (("委员会", "我委"), ("厅", "我厅"), ("局", "我局")):
        if body.endswith(suffix):
            return name
    return "本机关"


# ------------------------------------------------------------------ narrative
_CHANNELS = ("政府门户网站", "政务新媒体", "政务公开栏", "微信公众号", "新闻发布会", "政府公报")
_MEASURES = (
    "严格落实信息发布“三审三校”制度",
    "及时调整政务公开工作领导小组",
    "修订完善政府信息公开指南和主动公开目录",
    "将政务公开纳入年度工作考核",
    "组织开展政务公开业务培训{n}次",
    "开展“政府开放日”活动{n}场",
)
_PROBLEMS = (
    "公开内容的深度和广度还需拓展",
    "政策解读形式较为单一",
    "部分信息更新不够及时",
    "工作人员业务能力有待提高",
    "依申请公开办理的规范化水平有待提升",
    "公开平台的互动功能有待加强",
)
_FIXES = (
    "加强业务培训，提高工作人员的政策理论水平和业务能力",
    "丰富政策解读形式，综合运用图表、视频等方式解读政策",
    "建立信息更新台账，确保公开信息准确、及时",
    "规范依申请公开办理流程，严格按照法定时限答复",
    "加强政务新媒体建设，畅通公众参与渠道",
    "强化监督考核，将政务公开工作纳入绩效考核",
)


def _received_total(cells: dict[str, Value]) -> int:
    total = cells.get("t3.received.total")
    if isinstance(total, int):
        return total
    return sum(v for p in T3_PARTS if isinstance(v := cells.get(f"t3.received.{p}"), int))


def _overview(rng: random.Random, me: str, year: int, cells: dict[str, Value]) -> str:
    n_pub = _log_uniform(rng, 3000)
    channels = "、".join(rng.sample(_CHANNELS, 3))
    received = _received_total(cells)
    paras = [
        f"{year}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"围绕中心工作扎实推进政府信息公开，不断提升工作透明度。",
        "（一）主动公开",
        f"全年通过{channels}等渠道主动公开政府信息{n_pub}条，其中政策文件{rng.randint(0, 60)}条，"
        f"财政预决算信息{rng.randint(1, 12)}条，工作动态{rng.randint(0, n_pub)}条。",
        "（二）依申请公开",
        (f"本年度共收到政府信息公开申请{received}件，均在法定期限内予以答复。" if received else "本年度未收到政府信息公开申请。"),
        "（三）政府信息管理",
        f"{me}{rng.choice(_MEASURES[:3])}，严格执行公文公开属性源头认定和保密审查机制。",
        "（四）政府信息公开平台建设",
        f"依托{rng.choice(_CHANNELS)}做好信息发布，安排专人负责平台的维护和运行，全年平台运行平稳。",
        "（五）监督保障",
        f"{me}{rng.choice(_MEASURES[3:]).format(n=rng.randint(1, 6))}，主动接受社会监督，本年度未发生因政府信息公开工作被责任追究的情况。",
    ]
    return "\n".join(paras)


def _problems(rng: random.Random, me: str, year: int) -> str:
    problems = rng.sample(_PROBLEMS, rng.randint(1, 3))
    fixes = rng.sample(_FIXES, rng.randint(2, 4))
    nums = "一二三四"
    return "\n".join(
        [
            f"{year}年，{me}政府信息公开工作取得了一定成效，但也存在一些不足：" + "；".join(problems) + "。",
            f"下一步，{me}将从以下方面加以改进：" + "；".join(f"{nums[i]}是{f}" for i, f in enumerate(fixes)) + "。",
        ]
    )


def _other(rng: random.Random, me: str, year: int) -> str:
    x = rng.random()
    if x < 0.3:
        return "无。"
    if x < 0.6:
        return f"{year}年度，{me}未收取信息处理费。"
    if x < 0.8:
        return f"{year}年度，{me}无其他需要报告的事项。"
    return f"依据《政府信息公开信息处理费管理办法》，{me}本年度收取信息处理费{rng.randint(1, 40) * 10}元。\n{me}认真落实上级政务公开工作要点，各项任务均已按期完成。"


def _preamble(body: str, year: int) -> str:
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{body}编制。"
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


def _publication_date(rng: random.Random, year: int, body: str) -> str:
    # departments publish by Jan 31, governments by Mar 31 (§0)
    government = body.endswith("人民政府")
    month = rng.randint(1, 3) if government else 1
    day = rng.randint(10 if month == 1 else 1, 31 if month != 2 else 28)
    return f"{year + 1:04d}-{month:02d}-{day:02d}"


def _signature(rng: random.Random, body: str) -> str | None:
    """Some county-level bodies sign with their city in front (seed 004: 大同市新荣区科学技术局
    under a 新荣区科学技术局 title)."""
    if rng.random() >= 0.3:
        return None
    for city, county in _COUNTIES:
        if body.startswith(county):
            return city + body
    return None


def random_report(
    rng: random.Random,
    fmt: str,
    *,
    blank_style: str | Iterable[str] = "random",
    year: int | None = None,
    body: str | None = None,
) -> ReportSpec:
    """A random, valid report: cells as ``random_cells``, a body, a year of the format's
    range (2019–2020 for "2019", 2021–2025 for "2021"), narrative and a publication date."""
    if year is None:
        year = rng.randint(2019, 2020) if fmt == "2019" else rng.randint(2021, 2025)
    body = body or random_body(rng)
    busy = body.endswith(("人民政府", "厅")) or rng.random() < 0.1
    cells = random_cells(rng, fmt, blank_style=blank_style, busy=busy)
    me = _self_name(body)
    sections = {
        "overview": _overview(rng, me, year, cells),
        "proactive": "",
        "applications": "",
        "remedies": "",
        "problems": _problems(rng, me, year),
        "other": _other(rng, me, year),
    }
    return ReportSpec(
        signature=_signature(rng, body),
        issuing_body=body,
        report_year=year,
        format=fmt,
        cells=cells,
        sections=sections,
        preamble=_preamble(body, year),
        publication_date=_publication_date(rng, year, body),
    )
