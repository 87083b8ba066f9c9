"""What the corpus statistics count (``gongkai stats``, ``gongkai.store.stats``) and their
Chinese headers: the dimensions, the body types, the cells each figure adds up."""

from __future__ import annotations

from .labels import T3_ROWS

DIMENSIONS = {"year": "年度", "region": "地区", "body_type": "机关类型"}
# Chinese names of gongkai.corpus.bodies' body types, for tables (JSON keeps the codes).
BODY_TYPES = {
    "government": "人民政府",
    "general_office": "政府办公厅（室）",
    "department": "政府部门",
    "township": "乡镇（街道）",
    "other": "其他",
}
WITHHELD = tuple(r.key for r in T3_ROWS if r.key.startswith("withheld."))
REVIEW = ("review",)
LITIGATION = ("litigation_direct", "litigation_after_review")
KEYS = {
    "received": "t3.received.total",
    "total_handled": "t3.total_handled.total",
    "disclosed": "t3.disclosed.total",
    **{w: f"t3.{w}.total" for w in WITHHELD},
    **{f"{g}.{c}": f"t4.{g}.{c}" for g in REVIEW + LITIGATION for c in ("upheld", "corrected", "other")},
}
# Column order and Chinese headers of a stats row.
COLUMNS: dict[str, str] = {
    "dimension": "维度",
    "value": "取值",
    "reports": "报告数",
    "received": "新收申请",
    "total_handled": "办理总数",
    "disclosed": "予以公开",
    "disclosed_rate": "予以公开率",
    "withheld": "不予公开",
    **{w: "不予公开·" + next(r.label for r in T3_ROWS if r.key == w).split(".", 1)[-1] for w in WITHHELD},
    "review_decided": "复议已审结",
    "review_corrected": "复议纠正",
    "review_correction_rate": "复议纠错率",
    "litigation_decided": "诉讼已审结",
    "litigation_corrected": "诉讼纠正",
    "litigation_correction_rate": "诉讼纠错率",
    "missing": "缺报",
    "with_errors": "有错误的报告",
}
# The outcome mix of the dashboards: table 3's outcome rows in six groups (their total
# column added up), (id, Chinese name, row keys).
OUTCOMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("disclosed", "予以公开", ("disclosed",)),
    ("partially_disclosed", "部分公开", ("partially_disclosed",)),
    ("withheld", "不予公开", WITHHELD),
    ("unavailable", "无法提供", tuple(r.key for r in T3_ROWS if r.key.startswith("unavailable."))),
    ("not_processed", "不予处理", tuple(r.key for r in T3_ROWS if r.key.startswith("not_processed."))),
    ("other", "其他处理", tuple(r.key for r in T3_ROWS if r.key == "other" or r.key.startswith("other."))),
)
OUTCOME_KEYS: tuple[str, ...] = tuple(f"t3.{row}.total" for _id, _name, rows in OUTCOMES for row in rows)
# Every cell the statistics and the dashboards add up: the writer copies them out of a
# report's cells into ``report_figures`` (store/schema.py), so that a pass over the corpus
# reads a few hundred bytes a report. Changing this set needs a migration that fills
# ``report_figures`` again (tests/test_store_figures.py checks it).
FIGURE_KEYS: tuple[str, ...] = tuple(sorted({*KEYS.values(), *OUTCOME_KEYS}))
