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
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..domain.labels import T2_ROWS, T3_PARTS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, all_keys, t3_rows
from ..model import Value
from ..render.spec import ReportSpec

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
# Prose is put together from sentence templates whose slots draw on pools of topics,
# measures, channels and phrasing, so two bodies' reports share about as much as real ones
# do (stock phrases, the official sub-headings), not whole paragraphs. Each body also has
# habits, drawn from its name: an opening it keeps, favourite topics and channels, and a
# few sentences it repeats from year to year, so one body's consecutive years overlap the
# way real ones do, well below a copy. Copied narratives are planted by the tests and
# benchmarks, never made here. Numbers the validator reads (applications received, review
# and litigation cases) are taken from the cells, so the prose never contradicts the tables.
_CHANNELS = (
    "政府门户网站",
    "政务新媒体",
    "政务公开栏",
    "微信公众号",
    "新闻发布会",
    "政府公报",
    "政务微博",
    "政务服务大厅",
    "电子显示屏",
    "村（居）务公开栏",
    "政务公开专区",
    "短视频平台",
    "广播电视",
    "报刊",
    "便民服务中心",
    "政务服务热线",
    "信息公开查阅室",
    "手机客户端",
)
_TOPICS = (
    "财政预决算",
    "重大建设项目",
    "公共资源配置",
    "社会公益事业建设",
    "乡村振兴",
    "优化营商环境",
    "安全生产",
    "生态环境保护",
    "食品药品监管",
    "就业创业",
    "社会救助",
    "征地拆迁",
    "住房保障",
    "养老服务",
    "政府采购",
    "“双随机、一公开”监管",
    "减税降费",
    "涉企优惠政策",
    "民生实事项目",
    "防汛抗旱",
    "农村集体“三资”管理",
    "城市更新",
    "交通出行",
    "文化旅游",
    "义务教育",
    "医疗卫生",
    "疫情防控",
    "耕地保护",
    "河湖长制",
    "人才引进",
    "市场主体培育",
    "行政执法",
    "权责清单",
    "惠民惠农财政补贴",
    "国有资产管理",
    "应急管理",
)
# Topics of one kind of agency (by the end of its name), mixed with the general ones.
_OWN_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("科学技术局", ("科技项目立项", "高新技术企业认定", "科技特派员", "科技创新券", "科研经费管理")),
    ("教育局", ("招生入学", "学生资助", "校外培训监管", "教师招聘", "学校食堂管理", "课后服务")),
    ("财政局", ("预决算公开", "政府债务", "财政资金直达", "政府采购意向", "惠民补贴发放")),
    ("自然资源局", ("国土空间规划", "土地征收", "不动产登记", "矿产资源管理", "耕地保护")),
    ("生态环境局", ("环评审批", "环境质量监测", "排污许可", "中央环保督察整改", "污染防治攻坚")),
    ("住房和城乡建设局", ("保障性住房", "老旧小区改造", "建筑市场监管", "物业管理", "燃气安全")),
    ("交通运输局", ("道路运输管理", "农村公路建设", "公交线路调整", "治超治限", "交通工程招投标")),
    ("农业农村局", ("高标准农田建设", "农业补贴", "动物防疫", "农村人居环境整治", "农产品质量安全")),
    ("水利局", ("河湖管理", "水资源费征收", "防汛调度", "农田水利建设", "水土保持")),
    ("商务局", ("外贸外资", "消费券发放", "商贸流通", "电子商务进农村", "成品油市场监管")),
    ("文化和旅游局", ("文物保护", "旅游市场监管", "公共文化服务", "非遗传承", "演出市场管理")),
    ("卫生健康委员会", ("医疗机构监管", "疾病预防控制", "家庭医生签约", "妇幼健康", "医疗服务价格")),
    ("退役军人事务局", ("优待抚恤", "退役军人安置", "就业创业扶持", "光荣牌悬挂", "烈士纪念设施")),
    ("应急管理局", ("安全生产执法", "自然灾害救助", "应急预案", "危险化学品监管", "森林防火")),
    ("审计局", ("审计结果公告", "审计整改", "经济责任审计", "政府投资审计")),
    ("市场监督管理局", ("市场主体登记", "食品安全抽检", "特种设备安全", "价格监管", "知识产权保护")),
    ("统计局", ("统计公报", "统计数据发布", "经济普查", "统计执法检查")),
    ("医疗保障局", ("医保基金监管", "药品集中带量采购", "医保待遇", "异地就医结算")),
    ("人力资源和社会保障局", ("社会保险", "根治欠薪", "职业技能培训", "事业单位招聘", "劳动人事争议仲裁")),
    ("民政局", ("低保救助", "养老机构管理", "社会组织登记", "婚姻登记", "殡葬改革")),
    ("司法局", ("法律援助", "人民调解", "普法宣传", "行政复议体制改革", "公共法律服务")),
    ("发展和改革委员会", ("重点项目建设", "价格管理", "粮食储备", "社会信用体系建设", "节能审查")),
    ("工业和信息化局", ("中小企业服务", "技术改造", "工业园区建设", "专精特新企业培育")),
    ("林业局", ("森林资源管理", "林木采伐许可", "古树名木保护", "林业有害生物防治")),
    ("厅", ("全省规划部署", "行业监管", "专项资金分配", "地方标准制定")),
    ("人民政府", ("政府工作报告", "重大行政决策", "政府常务会议", "民生实事项目", "为民办实事")),
    ("办公室", ("政务服务改革", "政府文件发布", "政务值班", "督查督办")),
    ("办事处", ("网格化管理", "社区服务", "老旧小区改造", "居民议事", "辖区安全")),
)
_VERBS = (
    "扎实推进",
    "持续深化",
    "不断完善",
    "全面落实",
    "着力加强",
    "积极探索",
    "稳步推进",
    "进一步规范",
    "切实做好",
    "认真做好",
    "大力推进",
    "有序推进",
    "统筹推进",
    "深入开展",
    "持续加强",
    "全力抓好",
)
_LEADERS = (
    "上级党委、政府的坚强领导",
    "上级主管部门的精心指导",
    "区委、区政府的正确领导",
    "县委、县政府的坚强领导",
    "市委、市政府的正确领导",
    "党组的统一部署",
)
_CENTRES = (
    "中心工作",
    "全年重点任务",
    "经济社会发展大局",
    "“十四五”规划目标任务",
    "优化营商环境和民生保障",
    "高质量发展主题",
    "群众关切",
    "法治政府建设",
)
_GOALS = (
    "政务公开工作水平稳步提升",
    "工作透明度和公信力进一步增强",
    "人民群众的知情权、参与权、表达权和监督权得到有效保障",
    "以公开促落实、以公开强监管、以公开优服务的作用持续显现",
    "公开的质量和实效不断提高",
    "各项工作取得了新的进展",
    "为建设人民满意的服务型机关提供了有力支撑",
)
_CATEGORIES = (
    "政策文件",
    "工作动态",
    "通知公告",
    "人事信息",
    "财政资金信息",
    "规划计划",
    "行政执法信息",
    "统计数据",
    "公示公告",
    "招标采购信息",
    "民生实事进展",
    "机构职能信息",
    "会议信息",
    "建议提案办理结果",
)
_FORMS = (
    "图文解读",
    "视频解读",
    "动漫解读",
    "专家解读",
    "负责人访谈",
    "一图读懂",
    "问答式解读",
    "新闻发布会",
    "媒体专访",
    "案例解读",
    "现场宣讲",
)
_DOCS = ("规范性文件", "专项规划", "实施方案", "管理办法", "年度计划", "补助标准", "重大行政决策事项")
_COLUMNS = ("政策解读", "政务动态", "通知公告", "专题专栏", "互动交流", "办事服务", "信息公开目录", "机构概况")
_SITES = ("政府门户网站", "微信公众号", "政务公开专区", "手机客户端", "政务服务网")
_PLACES = ("政务服务大厅", "档案馆", "图书馆", "便民服务中心", "机关办公楼一楼大厅", "各村（社区）服务站")
_AIMS = (
    "确保发布信息准确、规范",
    "做到应公开尽公开",
    "防止泄密和不当公开",
    "全年未发生失泄密事件",
    "工作规范化水平明显提升",
    "有效防范了信息发布风险",
    "确保公开内容合法、准确、及时",
    "全年未出现错发漏发",
    "保障了各项工作有序开展",
    "便于群众查找和监督",
)
_WHO = (
    "由办公室牵头负责",
    "各科室（站所）协同配合",
    "明确专人负责",
    "由分管领导具体抓",
    "实行科室负责人审核把关",
    "形成了一级抓一级的工作格局",
)
_FISCAL = (
    "细化到功能分类项级科目，同步公开“三公”经费情况",
    "并对{topic}等专项资金的安排情况作出说明",
    "在{site}设置预决算公开专栏集中发布",
    "做到公开时间、内容和方式规范统一",
)
_EFFECTS = (
    "有效增进了群众对政策的理解和支持",
    "政策知晓度明显提高",
    "社会反响良好",
    "及时澄清了不实信息",
    "切实做到了权威发布、正面引导",
    "确保政策落地见效",
    "群众满意度进一步提升",
)

# Sentence templates of each part of 一、总体情况. Slots: {me} {verb} {topic} {topics}
# {channel} {channels} {n} {m} {k} {cats} {form} {forms} {doc} {column} {columns} {place}
# {effect} {year}.
_PROACTIVE = (
    "全年通过{channels}等渠道主动公开政府信息{n}条，其中{cats}。",
    "{verb}{topics}等重点领域信息公开，全年发布相关信息{n}条。",
    "围绕{topic}等社会关注事项，采取{forms}等方式开展政策解读{m}次，{effect}。",
    "对涉及{topic}的热点问题，通过{channel}及时回应关切{k}次，{effect}。",
    "在制定{doc}过程中，通过{channel}公开征求意见{k}次，收集意见建议{m}条，对采纳情况予以反馈。",
    "按照“双公示”要求，在{channel}公开行政许可信息{n}条、行政处罚信息{m}条。",
    "按时公开{year}年度部门预算和上一年度部门决算，{fiscal}。",
    "{verb}{topic}信息公开，逐项公开政策依据、办理流程和实施结果，接受群众监督。",
    "坚持政策文件与解读材料同步组织、同步审签、同步部署，围绕{topic}等政策发布解读材料{m}篇，{effect}。",
    "邀请群众代表列席{me}{doc}研究会议{k}次，就{topic}等事项听取意见建议。",
    "编制并公开{topic}工作清单，明确责任单位和完成时限，定期公开进展情况。",
    "依托{site}开设“{topic}”专栏，集中发布政策文件、办事指南和工作进展{n}条。",
)
_APPLICATIONS = (
    "{me}严格按照《条例》规定的程序和时限办理依申请公开事项，{process}。",
    "进一步规范依申请公开工作流程，{process}，做到依法、规范、及时。",
    "安排专人负责依申请公开的受理、登记、审核和送达，{process}。",
)
_PROCESSES = (
    "建立了受理、登记、审核、答复的闭环流程",
    "实行一案一档管理",
    "对疑难申请组织法律顾问会商研判",
    "答复文书统一由法制机构合法性审核",
    "与申请人加强沟通，准确把握申请意图",
    "制作统一的告知书格式文本",
    "定期梳理申请事项，对申请较多的信息及时转为主动公开",
)
_MANAGEMENT = (
    "{verb}公文公开属性源头认定机制，拟制公文时同步明确主动公开、依申请公开或不予公开属性。",
    "{verb}信息发布“三审三校”制度，{aim}。",
    "健全保密审查机制，坚持“先审查、后公开”和“一事一审”原则，{who}，{aim}。",
    "动态更新政府信息公开指南和主动公开目录，在{site}集中展示，方便公众查阅和申请。",
    "对本机关制发的规范性文件进行全面清理，并在{channel}集中公开现行有效的规范性文件。",
    "开展{site}和政务新媒体内容自查，对{column}等栏目的过时信息和错链断链进行集中整改。",
    "建立政府信息公开工作台账，{who}，对发布、更新和撤回实行全程留痕管理。",
    "按照档案管理要求做好{topic}等政府信息的归档和移交工作，{aim}。",
    "{verb}政务公开标准化规范化建设，梳理形成{topic}等领域公开事项标准目录。",
)
_PLATFORMS = (
    "{verb}政府门户网站建设，优化{columns}等栏目，全年网站运行平稳，未发生安全事故。",
    "{me}现有政务新媒体账号{k}个，全年发布信息{n}条，及时转载上级权威信息。",
    "在{place}设立政府信息公开查阅点，配备查阅设备和公开资料，方便群众就近查询。",
    "依托{channel}做好信息发布，安排专人负责平台的维护和运行，全年平台运行平稳。",
    "做好政府公报的编印和发放，全年编发{k}期，免费放置在{place}等公共查阅点。",
    "推进政务公开专区建设，在{place}整合公开查阅、政策咨询和办事服务等功能，{aim}。",
    "规范政务新媒体管理，建立内容审核和值班值守制度，{who}，{aim}。",
    "对{site}的{column}栏目进行改版，提升信息检索和移动端浏览的便捷度。",
)
_OVERSIGHT = (
    "{me}调整了政务公开工作领导小组，由主要负责同志任组长，{who}，定期研究部署{topic}等方面的公开工作。",
    "组织开展政务公开业务培训{k}次，参训人员{m}人次，提升了工作人员的业务能力。",
    "将政务公开工作纳入年度目标考核，{who}，考核结果与评先评优挂钩。",
    "主动接受社会监督，通过{channel}收集意见建议，本年度未发生因政府信息公开工作被责任追究的情况。",
    "聘请社会监督员{k}名，定期就{topic}等方面的公开工作征求意见建议。",
    "开展“政府开放日”活动{k}场，邀请群众走进{place}、了解{topic}等工作。",
    "对照上级政务公开工作要点逐项制定任务清单，{who}，{aim}。",
    "通过{channel}公布监督举报电话，畅通群众监督渠道。",
    "{me}定期对政务公开工作开展督查，重点检查{topic}等领域的信息公开，对发现的问题督促限期整改。",
)
_OPENINGS = (
    "{year}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，{verb}政务公开工作，{goal}。",
    "{year}年，在{leader}下，{me}紧紧围绕{centre}，{verb}政府信息公开各项工作，{goal}。",
    "{year}年，{me}认真贯彻落实党中央、国务院关于全面推进政务公开的决策部署，按照上级政务公开工作要点的要求，{verb}{topic}等领域信息公开，{goal}。",
    "{me}高度重视政府信息公开工作，将其列入重要议事日程，{year}年{verb}公开制度建设和平台建设，{goal}。",
    "{year}年，{me}以群众需求为导向，{verb}决策、执行、管理、服务、结果公开，{goal}。",
    "{year}年，{me}把政务公开作为建设法治政府的重要抓手，围绕{centre}{verb}各项工作，{goal}。",
)
_PROBLEMS = (
    "公开内容的深度和广度还需拓展",
    "政策解读形式较为单一",
    "部分信息更新不够及时",
    "工作人员业务能力有待提高",
    "依申请公开办理的规范化水平有待提升",
    "公开平台的互动功能有待加强",
    "政务新媒体的运营维护力量不足",
    "基层政务公开标准化规范化建设推进不够平衡",
    "政策解读的针对性和实效性不强",
    "回应社会关切的时效性有待提高",
    "公众参与的渠道不够宽、形式不够多",
    "部分栏目内容更新较慢，存在“空白栏目”",
    "专职工作人员少，人员变动较为频繁",
    "对{topic}等重点领域信息的公开不够细化",
    "信息发布前的审核把关还不够严格",
    "公开信息的可读性和易用性有待改进",
    "政府信息管理的信息化水平不高",
    "对公开工作的监督考核力度不够",
)
_FIXES = (
    "加强业务培训，提高工作人员的政策理论水平和业务能力",
    "丰富政策解读形式，综合运用图表、视频等方式解读政策",
    "建立信息更新台账，确保公开信息准确、及时",
    "规范依申请公开办理流程，严格按照法定时限办理",
    "加强政务新媒体建设，畅通公众参与渠道",
    "强化监督考核，将政务公开工作纳入绩效考核",
    "细化{topic}等重点领域的公开事项，提高公开的精准度",
    "完善舆情收集和回应机制，及时回应群众关切",
    "充实工作力量，保持工作人员相对稳定",
    "推进基层政务公开标准目录的落地应用",
    "严格落实信息发布审核制度，杜绝错发漏发",
    "优化网站栏目设置，提升信息检索和浏览体验",
    "积极开展“政府开放日”等活动，拓展公众参与的深度和广度",
    "加强与上级部门的沟通对接，学习先进地区的经验做法",
    "定期开展自查自纠，对发现的问题建立清单、限期整改",
    "围绕{topic}等群众关注的事项，{verb}政策解读和回应关切",
    "依托{site}完善{column}栏目，做到信息及时更新、内容准确完整",
    "把{topic}信息公开纳入年度工作计划，明确时间节点和责任人",
    "运用{forms}等形式，提升政策解读的可读性",
    "{verb}政务公开标准目录在{topic}领域的应用",
)
# What a shortcoming led to, or where it showed; appended to some of them.
_PROBLEM_DETAILS = (
    "，{topic}等领域尤为明显",
    "，群众反映较多的{topic}信息未能及时更新",
    "，{column}栏目的内容还不够丰富",
    "，与群众的期待还有差距",
    "，在{topic}信息公开中表现得较为突出",
    "，{site}上的部分信息发布滞后",
)
_PROBLEM_OPENINGS = (
    "{year}年，{me}政府信息公开工作取得了一定成效，但也存在一些不足：",
    "对照上级要求和群众期盼，{me}政务公开工作还存在一些问题：",
    "回顾全年工作，{me}在政府信息公开方面仍有差距，主要表现在：",
    "{me}政府信息公开工作虽然取得了一定进展，但仍存在以下问题：",
    "从工作实际看，还存在一些短板：",
)
_FIX_OPENINGS = (
    "下一步，{me}将从以下方面加以改进：",
    "针对上述问题，{me}将采取以下措施：",
    "下一步，{me}将重点做好以下工作：",
    "对此，{me}将着力抓好以下几个方面：",
    "改进措施：",
)
_ORDINALS = "一二三四五六"


@dataclass(frozen=True, slots=True)
class _Habits:
    """What a body keeps from year to year: drawn from its name, the same every year."""

    opening: int  # index into _OPENINGS
    topics: tuple[str, ...]
    channels: tuple[str, ...]
    sentences: tuple[tuple[str, str], ...]  # (part, sentence) it tends to repeat
    problem: str  # a shortcoming it keeps reporting


def _body_topics(body: str) -> tuple[str, ...]:
    for suffix, topics in _OWN_TOPICS:
        if body.endswith(suffix):
            return topics
    return ()


@lru_cache(maxsize=4096)
def _habits(body: str, me: str) -> _Habits:
    rng = random.Random(zlib.crc32(body.encode("utf-8")))
    own = _body_topics(body)
    topics = tuple(rng.sample(own, min(2, len(own)))) + tuple(rng.sample(_TOPICS, 2))
    channels = tuple(rng.sample(_CHANNELS, 3))
    habit = _Filler(rng, me, 0, topics, channels)
    parts = (("management", _MANAGEMENT), ("platforms", _PLATFORMS), ("oversight", _OVERSIGHT), ("proactive", _PROACTIVE))
    sentences = []
    for part, pool in rng.sample(parts, 2):  # sentences without numbers: those are the year's own
        plain = [t for t in pool if not _NUMBER_SLOTS & set(_slot_names(t))]
        sentences.append((part, habit.fill(rng.choice(plain))))
    return _Habits(rng.randrange(len(_OPENINGS)), topics, channels, tuple(sentences), habit.fill(rng.choice(_PROBLEMS)))


class _Filler:
    """Fills a template's slots; topics and channels lean on the body's favourites."""

    def __init__(
        self, rng: random.Random, me: str, year: int, topics: tuple[str, ...] = (), channels: tuple[str, ...] = ()
    ) -> None:
        self.rng, self.me, self.year, self.topics, self.channels = rng, me, year, topics, channels

    def _topic(self) -> str:
        if self.topics and self.rng.random() < 0.4:
            return self.rng.choice(self.topics)
        return self.rng.choice(_TOPICS)

    def _channel(self) -> str:
        if self.channels and self.rng.random() < 0.5:
            return self.rng.choice(self.channels)
        return self.rng.choice(_CHANNELS)

    def _some(self, pool: tuple[str, ...], lo: int, hi: int) -> str:
        return "、".join(self.rng.sample(pool, self.rng.randint(lo, hi)))

    def fill(self, template: str) -> str:
        slots: dict[str, object] = {"me": self.me, "year": self.year}
        for name in _slot_names(template):
            if name not in slots:
                slots[name] = _SLOT_FILLERS[name](self)
        return template.format(**slots)


def _cats(f: _Filler) -> str:
    cats = f.rng.sample(_CATEGORIES, f.rng.randint(2, 4))
    return "、".join(f"{c}{_log_uniform(f.rng, 400)}条" for c in cats)


_SLOT_FILLERS: dict[str, Callable[[_Filler], object]] = {
    "topic": lambda f: f._topic(),
    "topics": lambda f: "、".join(dict.fromkeys(f._topic() for _ in range(f.rng.randint(2, 4)))),
    "channel": lambda f: f._channel(),
    "channels": lambda f: "、".join(dict.fromkeys(f._channel() for _ in range(f.rng.randint(2, 4)))),
    "cats": _cats,
    "n": lambda f: _log_uniform(f.rng, 3000),
    "m": lambda f: _log_uniform(f.rng, 200),
    "k": lambda f: f.rng.randint(1, 12),
    "verb": lambda f: f.rng.choice(_VERBS),
    "leader": lambda f: f.rng.choice(_LEADERS),
    "centre": lambda f: f.rng.choice(_CENTRES),
    "goal": lambda f: f.rng.choice(_GOALS),
    "forms": lambda f: f._some(_FORMS, 2, 4),
    "doc": lambda f: f.rng.choice(_DOCS),
    "column": lambda f: f.rng.choice(_COLUMNS),
    "columns": lambda f: f._some(_COLUMNS, 2, 4),
    "place": lambda f: f.rng.choice(_PLACES),
    "site": lambda f: f.rng.choice(_SITES),
    "effect": lambda f: f.rng.choice(_EFFECTS),
    "aim": lambda f: f.rng.choice(_AIMS),
    "who": lambda f: f.rng.choice(_WHO),
    "fiscal": lambda f: f.fill(f.rng.choice(_FISCAL)),
    "process": lambda f: "，".join(f.rng.sample(_PROCESSES, f.rng.randint(1, 2))),
}
_NUMBER_SLOTS = frozenset({"n", "m", "k", "cats", "year"})


@lru_cache(maxsize=512)
def _slot_names(template: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\{(\w+)\}", template))


def _received_total(cells: dict[str, Value]) -> int:
    total = cells.get("t3.received.total")
    if isinstance(total, int):
        return total
    return sum(v for p in T3_PARTS if isinstance(v := cells.get(f"t3.received.{p}"), int))


def _no_remedies(cells: dict[str, Value]) -> bool:
    """Table 4 shows no review and no lawsuit at all (blank cells say nothing)."""
    keys = ("t4.review.total", "t4.litigation_direct.total", "t4.litigation_after_review.total")
    return all(cells.get(k) == 0 and isinstance(cells.get(k), int) for k in keys)


def _part(rng: random.Random, fill: _Filler, pool: tuple[str, ...], lo: int, hi: int, keep: list[str]) -> str:
    """A few of ``pool``'s sentences in random order, with the body's habitual ones (``keep``)."""
    out = [fill.fill(t) for t in rng.sample(pool, rng.randint(lo, hi))]
    for sentence in keep:
        out.insert(rng.randint(0, len(out)), sentence)
    return "".join(dict.fromkeys(out))


def _overview(rng: random.Random, body: str, me: str, year: int, cells: dict[str, Value]) -> str:
    habits = _habits(body, me)
    fill = _Filler(rng, me, year, habits.topics, habits.channels)
    keep = {
        part: [s for p, s in habits.sentences if p == part and rng.random() < 0.7]
        for part in ("proactive", "management", "platforms", "oversight")
    }
    opening = _OPENINGS[habits.opening if rng.random() < 0.6 else rng.randrange(len(_OPENINGS))]
    received = _received_total(cells)
    if received:
        lead = rng.choice(
            ("本年度共收到政府信息公开申请{r}件", "全年共收到政府信息公开申请{r}件", "{year}年，{me}共收到政府信息公开申请{r}件")
        )
        applications = lead.format(r=received, year=year, me=me) + "，均在法定期限内予以答复。"
        applications += (
            "申请内容主要涉及" + "、".join(dict.fromkeys(fill.fill("{topic}") for _ in range(2))) + "等方面。"
            if rng.random() < 0.5
            else ""
        )
    else:
        applications = rng.choice(("本年度未收到政府信息公开申请。", "全年未收到政府信息公开申请。"))
    applications += _part(rng, fill, _APPLICATIONS, 0, 1, [])
    if _no_remedies(cells) and rng.random() < 0.5:
        applications += "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。"
    paras = [
        fill.fill(opening),
        "（一）主动公开",
        _part(rng, fill, _PROACTIVE, 1, 2 - len(keep["proactive"]), keep["proactive"]),
        "（二）依申请公开",
        applications,
        "（三）政府信息管理",
        _part(rng, fill, _MANAGEMENT, 1 - len(keep["management"]), 1, keep["management"]),
        "（四）政府信息公开平台建设",
        _part(rng, fill, _PLATFORMS, 1 - len(keep["platforms"]), 1, keep["platforms"]),
        "（五）监督保障",
        _part(rng, fill, _OVERSIGHT, 1 - len(keep["oversight"]), 1, keep["oversight"]),
    ]
    return "\n".join(paras)


def _problems(rng: random.Random, body: str, me: str, year: int) -> str:
    habits = _habits(body, me)
    fill = _Filler(rng, me, year, habits.topics, habits.channels)
    problems = [fill.fill(p) for p in rng.sample(_PROBLEMS, rng.randint(2, 4))]
    if rng.random() < 0.6:
        problems.insert(0, habits.problem)
    problems = [p + fill.fill(rng.choice(_PROBLEM_DETAILS)) if rng.random() < 0.5 else p for p in dict.fromkeys(problems)]
    fixes = [fill.fill(f) for f in rng.sample(_FIXES, rng.randint(3, 5))]
    head = fill.fill(rng.choice(_PROBLEM_OPENINGS))
    if len(problems) > 1 and rng.random() < 0.5:
        first = head + "；".join(f"{_ORDINALS[i]}是{p}" for i, p in enumerate(problems)) + "。"
    else:
        first = head + "；".join(problems) + "。"
    second = fill.fill(rng.choice(_FIX_OPENINGS)) + "；".join(f"{_ORDINALS[i]}是{f}" for i, f in enumerate(fixes)) + "。"
    return "\n".join([first, second])


# 六、其他需要报告的事项: mostly a line, sometimes the 2021 template's three points. The
# short lines are what every body writes (too short to compare); the longer parts carry
# the body's own topics, so they do not read as copies of each other.
_OTHER_SHORT = (
    "无。",
    "{year}年度，{me}无其他需要报告的事项。",
    "{year}年度，{me}未收取信息处理费。",
    "本年度{me}未收取政府信息公开信息处理费。",
)
_OTHER_PROPOSALS = (
    "{year}年，{me}共承办人大代表建议{k}件、政协委员提案{m}件，主要涉及{topics}等方面，均已按期办结，办理结果按规定予以公开。",
    "{me}本年度承办的建议提案涉及{topics}等方面，已全部按时答复，答复全文在{site}公开。",
)
_OTHER_POINTS = (
    "对照年度政务公开工作要点，{me}逐项细化分解任务：",
    "年度政务公开工作要点落实情况：",
    "{me}认真落实上级政务公开工作要点，",
)


# Sentences with topics of their own to fill in: a few that differ only in a channel's
# name would read the same in any two reports that happened to pick them.
_OTHER_POOL = tuple(
    t
    for t in _PROACTIVE + _MANAGEMENT + _PLATFORMS + _OVERSIGHT
    if {"topic", "topics", "forms", "columns", "cats", "fiscal"} & set(_slot_names(t))
)


def _other(rng: random.Random, body: str, me: str, year: int) -> str:
    x = rng.random()
    if x < 0.6:
        return _OTHER_SHORT[min(3, int(x / 0.15))].format(year=year, me=me)
    habits = _habits(body, me)
    fill = _Filler(rng, me, year, habits.topics, habits.channels)
    parts = [fill.fill(rng.choice(_OTHER_POINTS)) + _part(rng, fill, _OTHER_POOL, 4, 5, [])]
    if rng.random() < 0.5:
        parts.insert(0, fill.fill(rng.choice(_OTHER_PROPOSALS)))
    if rng.random() < 0.4:
        parts.insert(0, f"依据《政府信息公开信息处理费管理办法》，{me}本年度收取信息处理费{rng.randint(1, 40) * 10}元。")
    return "\n".join(parts)


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
        "overview": _overview(rng, body, me, year, cells),
        "proactive": "",
        "applications": "",
        "remedies": "",
        "problems": _problems(rng, body, me, year),
        "other": _other(rng, body, me, year),
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
