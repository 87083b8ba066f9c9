"""Login, roles and CSRF as FastAPI dependencies.

A request is someone's when it carries ``Authorization: Bearer TOKEN`` (an API token from
``gongkai users token``) or the session cookie set at login (an itsdangerous-signed random
id; the database holds its SHA-256 and the session's CSRF token). Nobody: 401. A role
without the permission: 403. Every state-changing request of a browser session must carry
the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``); bearer requests
carry no ambient credential and need none.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer

from .accounts import User, user_by_session, user_by_token

COOKIE = "gongkai_session"


class NeedLogin(Exception):
    """No user: 401 (the login page for a browser, JSON for the API)."""


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadCsrf(Exception):
    pass


def signer(secret: bytes) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="gongkai-session")


def session_id(request: Request) -> str | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        sid = request.app.state.signer.loads(raw)
    except BadSignature:
        return None
    return sid if isinstance(sid, str) else None


def optional_user(request: Request) -> User | None:
    if "user" in request.state._state:
        return request.state.user
    user = None
    engine = request.app.state.engine
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with engine.connect() as conn:
            user = user_by_token(conn, header[7:].strip())
        request.state.bearer = True
    else:
        sid = session_id(request)
        if sid:
            with engine.connect() as conn:
                user = user_by_session(conn, sid)
    request.state.user = user
    return user


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise NeedLogin()
    return user


def require(permission: str) -> Callable[..., User]:
    """A dependency: the user, who must hold ``permission`` (403 otherwise)."""

    async def dep(user: User = Depends(current_user)) -> User:  # no I/O: in the event loop, not a thread hop
        if not user.can(permission):
            raise Forbidden(f"无权操作：需要“{permission}”权限，当前角色为 {user.role_info.label}")
        return user

    dep.__name__ = f"require_{permission}"
    return dep


def check_csrf(request: Request, user: User, form: Any = None) -> None:
    if getattr(request.state, "bearer", False):
        return
    sent = request.headers.get("x-csrf-token") or (form.get("csrf") if form is not None else None)
    if not user.csrf or not isinstance(sent, str) or not hmac.compare_digest(sent, user.csrf):
        raise BadCsrf()


def form_writer(permission: str) -> Callable[..., Any]:
    """A dependency for a form POST: the user with ``permission`` and a valid CSRF token;
    returns (user, form)."""
    need = require(permission)

    async def dep(request: Request, user: User = Depends(need)) -> tuple[User, Any]:
        form = await request.form()
        check_csrf(request, user, form)
        return user, form

    dep.__name__ = f"form_writer_{permission}"
    return dep


def api_writer(permission: str) -> Callable[..., User]:
    """A dependency for a JSON API write: the user with ``permission``; a browser session
    must send its CSRF token in ``X-CSRF-Token``."""
    need = require(permission)

    def dep(request: Request, user: User = Depends(need)) -> User:
        check_csrf(request, user)
        return user

    dep.__name__ = f"api_writer_{permission}"
    return dep


class RateLimit:
    """Failed logins per client address and per user name: at most ``limit`` in ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self.fails: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: str, t: float) -> deque[float]:
        q = self.fails.setdefault(key, deque())
        while q and q[0] < t - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> float:
        """Seconds to wait (0: allowed)."""
        t = time.monotonic()
        with self.lock:
            waits = [q[0] + self.window - t for k in keys if len(q := self._recent(k, t)) >= self.limit]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        t = time.monotonic()
        with self.lock:
            for k in keys:
                self._recent(k, t).append(t)
            if len(self.fails) > 100_000:  # bounded memory under a spray of names
                self.fails = {k: q for k, q in self.fails.items() if q and q[-1] > t - self.window}

    def succeeded(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.fails.pop(k, None)
