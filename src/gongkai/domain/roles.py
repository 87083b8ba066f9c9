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


register_role(Role("viewer", "查看者", frozenset({"read"}), "查看报告、语料与统计"))
register_role(Role("reviewer", "审核员", frozenset({"read", "correct", "dismiss"}), "更正单元格、驳回问题"))
register_role(Role("admin", "管理员", frozenset(PERMISSIONS), "管理用户与上传，重新解析，查看审计日志"))


def role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise ValueError(f"未知的角色：{name}（可选 {'、'.join(ROLES)}）") from None
