"""Who may do what in the web app: permissions and roles, as data.

A role is a named set of permissions; the app checks permissions, never role names, so a
new role (the agency workbench adds registrar, handler, approver) is one ``Role`` added to
``ROLES`` with ``register_role`` and no route changes. Labels are Chinese, for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

# permission -> Chinese label
PERMISSIONS: dict[str, str] = {
    "read": "查看报告与统计",
    "correct": "更正单元格",
    "dismiss": "驳回问题",
    "reparse": "重新解析报告",
    "upload": "上传报告",
    "manage_users": "管理用户",
    "audit": "查看与导出审计日志",
}


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    label: str  # Chinese
    permissions: frozenset[str]
    description: str = ""

    def can(self, permission: str) -> bool:
        return permission in self.permissions


ROLES: dict[str, Role] = {}


def register_role(role: Role) -> Role:
    """Add (or replace) a role; its permissions must be known (``register_permission``)."""
    unknown = role.permissions - PERMISSIONS.keys()
    if unknown:
        raise ValueError(f"未知的权限：{'、'.join(sorted(unknown))}")
    ROLES[role.name] = role
    return role


def register_permission(name: str, label: str) -> None:
    PERMISSIONS.setdefault(name, label)


# the agency workbench (gongkai.agency): its records, cases and report
PERMISSIONS.update(
    {
        "agency_read": "查看工作台（台账、申请、报告）",
        "agency_personal": "查看申请人个人信息",
        "agency_register": "登记申请、导入台账",
        "agency_handle": "办理申请、编辑报告文字",
        "agency_approve": "批准延期答复",
        "agency_review": "主动公开保密审查",
        "agency_calendar": "修改工作日历",
    }
)
# the workflow role (gongkai.domain.ledger.ACTIONS) a permission lets a user act as, strongest first
AGENCY_ACTING: tuple[tuple[str, str], ...] = (("agency_approve", "approver"), ("agency_handle", "handler"),
                                              ("agency_register", "registrar"))  # fmt: skip

register_role(Role("viewer", "查看者", frozenset({"read"}), "查看报告、语料与统计"))
_REGISTRAR = frozenset({"read", "agency_read", "agency_personal", "agency_register"})
register_role(Role("reviewer", "审核员", frozenset({"read", "correct", "dismiss", "agency_read", "agency_review"}), "更正单元格、驳回问题；主动公开信息的保密审查"))
register_role(Role("registrar", "登记员", _REGISTRAR, "登记申请、导入台账、收到补正和缴费"))
register_role(Role("handler", "承办人", _REGISTRAR | {"agency_handle"}, "办理申请、生成答复书、编辑年度报告文字"))
register_role(Role("approver", "审批人", _REGISTRAR | {"agency_handle", "agency_approve"}, "批准延期答复，以及承办人的全部操作"))
register_role(Role("admin", "管理员", frozenset(PERMISSIONS), "管理用户与上传，重新解析，查看审计日志；工作台的全部操作和工作日历"))


def acting_role(permissions: frozenset[str]) -> str | None:
    """The workflow role a set of permissions acts as (admin for all of them), None for none."""
    if {"agency_approve", "agency_calendar"} <= permissions:
        return "admin"
    return next((r for p, r in AGENCY_ACTING if p in permissions), None)


def role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise ValueError(f"未知的角色：{name}（可选 {'、'.join(ROLES)}）") from None
