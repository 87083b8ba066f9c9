"""The application case workflow: the explicit transition table of ``domain.ledger.ACTIONS``.

``allowed(app, role)`` lists the actions a case's state allows (for the case page's
buttons); ``apply(app, action, day, …)`` returns the case with the action's date set, or
raises ``WorkflowError`` with a Chinese message saying why not. The state of a case is what
its dates say (``records.state_of``), so a case imported from a ledger and one worked here
follow the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..domain.labels import T3_OUTCOME_ROWS_2021
from ..domain.ledger import (
    ABANDONED_OUTCOMES,
    ACTION_BY_KEY,
    ACTION_OUTCOME,
    ACTIONS,
    MAX_EXTENSION,
    STATES,
    Action,
    outcome_label,
)
from ..errors import GongkaiError
from .records import Application, state_of

Date = dt.date

# who may take an action: its own role, and the roles above it
ROLE_RANK: dict[str, int] = {"registrar": 1, "handler": 2, "approver": 3, "admin": 4}
ANSWER_OUTCOMES: tuple[str, ...] = tuple(k for k in T3_OUTCOME_ROWS_2021 if k not in ABANDONED_OUTCOMES)


class WorkflowError(GongkaiError):
    code = "workflow"


def may(role: str, action: Action) -> bool:
    if action.role == "approver":
        return role in ("approver", "admin")
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[action.role]


def allowed(app: Application, role: str = "admin") -> list[Action]:
    state = state_of(app)
    out = []
    for a in ACTIONS:
        if state not in a.sources or not may(role, a):
            continue
        if a.key == "extend" and app.extension_days:
            continue  # once only
        out.append(a)
    return out


def _last_day(app: Application) -> Date:
    days = [
        d
        for d in (app.received, app.correction_requested, app.correction_received, app.consult_start, app.consult_end,
                  app.fee_notice, app.fee_paid)
        if d is not None
    ]
    return max(days)


def apply(
    app: Application,
    action: str,
    day: Date,
    *,
    role: str = "admin",
    outcome: str | None = None,
    days: int | None = None,
    handler: str | None = None,
) -> Application:
    """The case after ``action`` on ``day``; WorkflowError when the table does not allow it."""
    a = ACTION_BY_KEY.get(action)
    if a is None:
        raise WorkflowError(f"没有「{action}」这个操作；可用的操作：" + "、".join(x.key for x in ACTIONS))
    state = state_of(app)
    if state not in a.sources:
        can = "、".join(f"{x.label}（{x.key}）" for x in allowed(app)) or "无（已办结）"
        raise WorkflowError(f"申请 {app.number} 当前状态为「{STATES[state]}」，不能「{a.label}」；当前可以：{can}")
    if not may(role, a):
        raise WorkflowError(f"「{a.label}」需要{ {'registrar': '登记员', 'handler': '承办人', 'approver': '审批人'}[a.role] }权限，当前角色为 {role}")
    if day < _last_day(app):
        raise WorkflowError(f"日期 {day.isoformat()} 早于该申请已记录的最后日期 {_last_day(app).isoformat()}")
    changes: dict[str, object] = {}
    if a.key == "extend":
        if app.extension_days:
            raise WorkflowError(f"申请 {app.number} 已延期过一次，不能再次延期")
        if days is None or not 1 <= days <= MAX_EXTENSION:
            raise WorkflowError(f"延期须为 1 至 {MAX_EXTENSION} 个工作日")
        changes["extension_days"] = days
    elif a.key == "answer":
        if outcome not in ANSWER_OUTCOMES:
            raise WorkflowError("作出答复须选择表三的办理结果：" + "、".join(outcome_label(k) for k in ANSWER_OUTCOMES))
        changes["outcome"] = outcome
    elif a.key in ACTION_OUTCOME:
        changes["outcome"] = ACTION_OUTCOME[a.key]
        changes["withdrawn"] = a.key == "withdraw"
    if a.date_field:
        changes[a.date_field] = day
    if a.key == "start" and handler is None and app.handler is None:
        raise WorkflowError("开始办理须指定承办人")
    if handler is not None:
        changes["handler"] = handler
    new = replace(app, **changes)  # type: ignore[arg-type]
    if a.target is not None and state_of(new) != a.target:  # the table and the dates agree, always
        raise WorkflowError(f"内部错误：操作「{a.label}」后状态应为 {a.target}，实为 {state_of(new)}")
    return new
