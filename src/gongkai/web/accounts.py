"""Accounts: users with a role, argon2id password hashes, API tokens, browser sessions.

Secrets never reach the database in the clear: passwords are hashed with argon2id
(argon2-cffi, memory-hard, the OWASP first choice), session ids and API tokens (random,
256 bits) with SHA-256, which is enough for values that carry their own entropy.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection, Engine

from ..domain.roles import ROLES, Role, role
from ..store.schema import api_tokens, audit_log, users, web_sessions
from ..store.work import now

SESSION_DAYS = 7
MIN_PASSWORD = 8
_HASHER = PasswordHasher()  # argon2id, 64 MiB, 3 passes (argon2-cffi's RFC 9106 low-memory profile)
# A hash to verify against when the user does not exist, so that timing does not tell.
_DUMMY = _HASHER.hash("gongkai-no-such-user")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    csrf: str | None = None  # the session's CSRF token (browser sessions only)

    @property
    def role_info(self) -> Role:
        return ROLES.get(self.role) or Role(self.role, self.role, frozenset())

    def can(self, permission: str) -> bool:
        return self.role_info.can(permission)


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def check_name(name: str) -> str:
    name = name.strip()
    if not (1 <= len(name) <= 64) or any(ch.isspace() or ord(ch) < 32 for ch in name):
        raise ValueError("用户名须为 1–64 个字符，不含空白")
    return name


def audit(conn: Connection, user_name: str, action: str, target: str | None, detail: dict | None = None) -> None:
    conn.execute(audit_log.insert().values(at=now(), user_name=user_name, action=action, target=target, detail=detail))


def add_user(engine: Engine, name: str, role_name: str, password: str | None, by: str = "cli") -> int:
    name = check_name(name)
    role(role_name)  # raises on an unknown role
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符")
    pw = _HASHER.hash(password) if password is not None else None
    with engine.begin() as conn:
        existing = conn.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
        if existing is not None:
            values = {"role": role_name, "disabled": False}
            if pw is not None:
                values["password_hash"] = pw
            conn.execute(users.update().where(users.c.id == existing).values(**values))
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id == existing))  # a changed role or password logs out
            audit(conn, by, "user.update", name, {"role": role_name, "password": pw is not None})
            return int(existing)
        uid = conn.execute(
            users.insert().values(name=name, role=role_name, password_hash=pw, disabled=False, created_at=now())
        ).inserted_primary_key[0]
        audit(conn, by, "user.add", name, {"role": role_name})
        return int(uid)


def set_disabled(engine: Engine, name: str, disabled: bool, by: str) -> None:
    with engine.begin() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
        if uid is None:
            raise ValueError(f"没有用户：{name}")
        conn.execute(users.update().where(users.c.id == uid).values(disabled=disabled))
        if disabled:
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id == uid))
            conn.execute(api_tokens.delete().where(api_tokens.c.user_id == uid))
        audit(conn, by, "user.disable" if disabled else "user.enable", name)


def list_users(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(users.c.id, users.c.name, users.c.role, users.c.disabled, users.c.created_at).order_by(users.c.name)
        )
        return [dict(r._mapping) for r in rows]


def count_admins(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(users).where(users.c.role == "admin")).scalar_one())


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(users.c.id, users.c.name, users.c.role, users.c.password_hash, users.c.disabled).where(users.c.name == name)
        ).first()
    if row is None or row.password_hash is None or row.disabled:
        try:
            _HASHER.verify(_DUMMY, password + "x")
        except VerificationError:
            pass
        return None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        with engine.begin() as conn:
            conn.execute(users.update().where(users.c.id == row.id).values(password_hash=_HASHER.hash(password)))
    return User(row.id, row.name, row.role)


def make_token(engine: Engine, name: str, by: str = "cli") -> str:
    """A new API token for ``name`` (shown once; only its hash is kept)."""
    token = "gk_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.name == name, users.c.disabled.is_(False))).scalar()
        if uid is None:
            raise ValueError(f"没有用户：{name}（先用 gongkai users add 创建）")
        conn.execute(api_tokens.insert().values(token_hash=_sha(token), user_id=uid, created_at=now()))
        audit(conn, by, "token.add", name)
    return token


# The two lookups of every request, built once: making a select costs ~0.3 ms of CPU, more
# than SQLite's own work for them (executed with bound parameters from SQLAlchemy's cache).
_BY_TOKEN = (
    sa.select(users.c.id, users.c.name, users.c.role)
    .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
    .where(api_tokens.c.token_hash == sa.bindparam("token_hash"), users.c.disabled.is_(False))
)
_BY_SESSION = (
    sa.select(users.c.id, users.c.name, users.c.role, web_sessions.c.csrf)
    .select_from(web_sessions.join(users, users.c.id == web_sessions.c.user_id))
    .where(
        web_sessions.c.id_hash == sa.bindparam("id_hash"),
        web_sessions.c.expires_at > sa.bindparam("now"),
        users.c.disabled.is_(False),
    )
)


def user_by_token(conn: Connection, token: str) -> User | None:
    row = conn.execute(_BY_TOKEN, {"token_hash": _sha(token)}).first()
    return None if row is None else User(row.id, row.name, row.role)


def new_session(engine: Engine, user: User) -> str:
    sid = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        t = now()
        conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < t))
        conn.execute(
            web_sessions.insert().values(
                id_hash=_sha(sid),
                user_id=user.id,
                csrf=secrets.token_urlsafe(32),
                created_at=t,
                expires_at=t + timedelta(days=SESSION_DAYS),
            )
        )
        audit(conn, user.name, "login", user.name)
    return sid


def user_by_session(conn: Connection, sid: str) -> User | None:
    row = conn.execute(_BY_SESSION, {"id_hash": _sha(sid), "now": now()}).first()
    return None if row is None else User(row.id, row.name, row.role, row.csrf)


def end_session(engine: Engine, sid: str, user_name: str) -> None:
    with engine.begin() as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == _sha(sid)))
        audit(conn, user_name, "logout", user_name)
