"""The arithmetic identities of the official tables, as data.

Each ``RuleSpec`` is one kind of identity with its Chinese message template; ``identities``
expands the kinds into concrete equations over canonical cell keys for one table layout.
The extractor uses the equations to resolve ambiguous layouts and derive lost cells, the
validator to check the report: one table, two readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .labels import T3_COLUMNS, T3_PARTS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, t3_rows


@dataclass(frozen=True, slots=True)
class RuleSpec:
    rule: str
    table: str
    severity: str
    title: str  # Chinese name of the identity
    template: str  # Chinese message; {lhs} {rhs} {lhs_value} {rhs_value} {where}


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "T3_BALANCE",
        "t3",
        "error",
        "表三勾稽关系",
        "表三{where}：第一项加第二项之和（{lhs_value}）不等于第三项加第四项之和（{rhs_value}）",
    ),
    RuleSpec(
        "T3_ROW_TOTAL",
        "t3",
        "error",
        "表三行合计",
        "表三{where}：总计（{lhs_value}）不等于自然人与五类法人或其他组织之和（{rhs_value}）",
    ),
    RuleSpec(
        "T3_OUTCOME_TOTAL",
        "t3",
        "error",
        "表三办理结果总计",
        "表三{where}：（七）总计（{lhs_value}）不等于各项办理结果之和（{rhs_value}）",
    ),
    RuleSpec(
        "T4_GROUP_TOTAL",
        "t4",
        "error",
        "表四合计",
        "表四{where}：总计（{lhs_value}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{rhs_value}）",
    ),
)
RULE_BY_ID = {r.rule: r for r in RULES}


@dataclass(frozen=True, slots=True)
class Identity:
    """sum(lhs) == sum(rhs) over canonical keys."""

    rule: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    where: str  # Chinese: which column/row/group the equation is about

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


def side_sum(values: Mapping[str, Any], keys: Iterable[str]) -> Any:
    """The sum of ``keys``' values; None when any is blank or absent (the side is unknowable)."""
    total = 0
    get = values.get
    for k in keys:
        v = get(k)
        if v is None:
            return None
        total += v
    return total


@lru_cache(maxsize=8)
def identities(fmt: str, single_other: bool = False) -> tuple[Identity, ...]:
    """All equations of tables 3 and 4 for a format ("2019" or "2021")."""
    out: list[Identity] = []
    rows = t3_rows(fmt, single_other)
    outcomes = [r for r in rows if T3_ROW_BY_KEY[r].outcome]
    for col in T3_COLUMNS:
        c = col.key
        out.append(
            Identity(
                "T3_BALANCE",
                (f"t3.received.{c}", f"t3.carried_over.{c}"),
                (f"t3.total_handled.{c}", f"t3.carried_forward.{c}"),
                f"「{col.label}」列",
            )
        )
        out.append(
            Identity(
                "T3_OUTCOME_TOTAL",
                (f"t3.total_handled.{c}",),
                tuple(f"t3.{r}.{c}" for r in outcomes),
                f"「{col.label}」列",
            )
        )
    for r in rows:
        label = T3_ROW_BY_KEY[r].label.split("（区分")[0]
        out.append(
            Identity(
                "T3_ROW_TOTAL",
                (f"t3.{r}.total",),
                tuple(f"t3.{r}.{p}" for p in T3_PARTS),
                f"「{label}」行",
            )
        )
    for g, glabel in T4_GROUPS:
        out.append(
            Identity(
                "T4_GROUP_TOTAL",
                (f"t4.{g}.total",),
                tuple(f"t4.{g}.{c.key}" for c in T4_COLUMNS[:-1]),
                f"「{glabel}」",
            )
        )
    return tuple(out)
