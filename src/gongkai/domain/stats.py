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
