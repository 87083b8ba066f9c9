"""The arithmetic identities of the official tables, as data.

Each of ``RULES`` is one kind of identity, a finding code of ``domain.findings`` with its
Chinese message template; ``identities`` expands the kinds into concrete equations over canonical cell keys for one table layout.
The extractor uses the equations to resolve ambiguous layouts and derive lost cells, the
validator to check the report: one table, two readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .findings import FindingKind, kind
from .labels import T3_COLUMNS, T3_PARTS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, t3_rows

# The kinds of identity, each a finding code of the catalogue with its Chinese message
# ({where} {lhs_value} {rhs_value}).
RULES: tuple[FindingKind, ...] = tuple(kind(r) for r in ("T3_BALANCE", "T3_ROW_TOTAL", "T3_OUTCOME_TOTAL", "T4_GROUP_TOTAL"))


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

    @property
    def table(self) -> str:
        """"t3" or "t4": the table the equation is about."""
        return self.lhs[0].split(".", 1)[0]


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
        label = T3_ROW_BY_KEY[r].short
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
