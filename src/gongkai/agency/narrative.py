"""The six sections' text, with the computed figures written in.

The agency edits the text; the figures stay tied to the records because the text keeps
placeholders — ``{t3.received.total}`` for a cell, ``{body}`` and ``{year}`` — that are
filled from the computed cells each time the report is made. A cell that is absent is
written as （未填报）, never as 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from ..domain.labels import SECTIONS, all_keys
from ..errors import GongkaiError

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")
ABSENT = "（未填报）"
NAMES = ("body", "year")

_DEFAULTS: dict[str, dict[str, str]] = {
    "2021": {
        "overview": "{year}年，{body}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
        "依法做好政府信息公开工作。",
        "proactive": "本年度制发规章{t2.regulations.issued}件、行政规范性文件{t2.normative_docs.issued}件，"
        "废止规章{t2.regulations.repealed}件、行政规范性文件{t2.normative_docs.repealed}件。",
        "applications": "本年度新收政府信息公开申请{t3.received.total}件，上年结转{t3.carried_over.total}件，"
        "结转下年度继续办理{t3.carried_forward.total}件。",
        "remedies": "本年度因政府信息公开被申请行政复议{t4.review.total}件，被提起行政诉讼"
        "（未经复议直接起诉）{t4.litigation_direct.total}件、（复议后起诉）{t4.litigation_after_review.total}件。",
        "problems": "（请填写本年度政府信息公开工作存在的主要问题及改进情况。）",
        "other": "（请填写其他需要报告的事项，如收取信息处理费的情况；没有的写“无”。）",
    },
}
_DEFAULTS["2019"] = {k: v for k, v in _DEFAULTS["2021"].items() if k != "proactive"} | {
    "proactive": "（请填写本年度主动公开政府信息的情况。）",
}


class NarrativeError(GongkaiError):
    code = "narrative"


def default_text(fmt: str, section: str) -> str:
    return _DEFAULTS[fmt][section]


def defaults(fmt: str) -> dict[str, str]:
    return {s.key: _DEFAULTS[fmt][s.key] for s in SECTIONS}


def check_text(fmt: str, text: str) -> None:
    """Refuse a placeholder that names no cell of the format (the editor says which)."""
    keys = set(all_keys(fmt)) | set(NAMES)
    bad = sorted({m[1] for m in PLACEHOLDER.finditer(text)} - keys)
    if bad:
        raise NarrativeError("文字中引用了不存在的单元格：" + "、".join("{" + b + "}" for b in bad))


def _show(v: object) -> str:
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else format(v.normalize(), "f")
    return str(v)


def fill(text: str, cells: Mapping[str, object], body: str, year: int) -> str:
    names = {"body": body, "year": str(year)}

    def one(m: re.Match[str]) -> str:
        k = m[1]
        if k in names:
            return names[k]
        v = cells.get(k)
        return ABSENT if v is None else _show(v)

    return PLACEHOLDER.sub(one, text)
