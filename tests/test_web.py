"""The web app (``gongkai serve``): login, roles, CSRF, security headers, every route for
every role. The report, corpus and API pages have their own tests in test_web_*.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from gongkai.cli import main
from gongkai.web import (
    WebConfig,
    accounts,
    create_app,
)

PASSWORD = "correct horse battery"
ROLES = ("admin", "reviewer", "viewer")


@pytest.fixture
def app(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = create_app(WebConfig.make(f"sqlite:///{tmp_path / 'web.db'}", tmp_path / "files"), extensions=[])
    for role in ROLES:
        accounts.add_user(app.state.engine, role, role, PASSWORD)
    yield app
    app.state.engine.dispose()


def client(app, role: str | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url="http://127.0.0.1")
    if role:
        r = c.post("/login", data={"name": role, "password": PASSWORD, "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient) -> str:
    html = c.get("/").text
    m = re.search(r'data-csrf="([^"]+)"', html)
    assert m
    return m.group(1)


def test_every_page_needs_a_login(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app)
    for path in ("/", "/users", "/audit", "/api/docs", "/openapi.json"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 401, path
    r = c.get("/")
    assert "登录" in r.text and 'name="password"' in r.text
    assert c.get("/openapi.json").json() == {"detail": "需要登录"}


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app)
    r = c.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # plain http on loopback
    assert c.get("/").status_code == 200
    token = csrf_of(c)
    r = c.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/").status_code == 401
    # the old cookie is dead on the server too, not just deleted in the browser
    c2 = TestClient(app, base_url="http://127.0.0.1", cookies={"gongkai_session": cookie.split(";")[0].split("=", 1)[1]})
    assert c2.get("/").status_code == 401


def test_https_cookies_are_secure(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app, base_url="https://gongkai.example")
    r = c.post("/login", data={"name": "viewer", "password": PASSWORD}, follow_redirects=False)
    assert "Secure" in r.headers["set-cookie"]


def test_wrong_password_and_rate_limit(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app)
    for _ in range(5):
        r = c.post("/login", data={"name": "viewer", "password": "wrong-password"})
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = c.post("/login", data={"name": "viewer", "password": PASSWORD})
    assert r.status_code == 429 and "登录失败次数过多" in r.text


def test_next_only_goes_to_this_site(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app)
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        r = c.post("/login", data={"name": "viewer", "password": PASSWORD, "next": bad}, follow_redirects=False)
        assert r.headers["location"] == "/", bad


def test_forms_need_the_csrf_token(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app, "admin")
    r = c.post("/users", data={"action": "add", "name": "x", "role": "viewer", "password": "12345678"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = c.post("/users", data={"action": "add", "name": "x", "role": "viewer", "password": "12345678", "csrf": "forged"})
    assert r.status_code == 403
    r = c.post("/users", data={"action": "add", "name": "x", "role": "viewer", "password": "12345678", "csrf": csrf_of(c)})
    assert r.status_code == 200 and "已保存用户 x" in r.text
    assert c.post("/logout", data={}).status_code == 403  # logout too


def test_security_headers(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app, "viewer")
    for path in ("/", "/login", "/static/app.js"):
        h = c.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
    html = c.get("/").text
    assert "<script>" not in html and re.search(r"<script[^>]*>[^<]", html) is None  # no inline script
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html  # no CDN


ADMIN_ONLY = (("GET", "/users"), ("GET", "/audit"), ("GET", "/audit.csv"), ("GET", "/api/audit"))


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_by_role(app, role: str) -> None:  # type: ignore[no-untyped-def]
    c = client(app, role)
    for method, path in ADMIN_ONLY:
        r = c.request(method, path)
        assert r.status_code == (200 if role == "admin" else 403), (role, path)
        if role != "admin":
            assert "无权" in r.text


def test_tokens_and_the_bearer_header(app) -> None:  # type: ignore[no-untyped-def]
    token = accounts.make_token(app.state.engine, "viewer")
    c = client(app)
    assert c.get("/openapi.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert c.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200  # pages accept it too
    assert c.get("/openapi.json", headers={"Authorization": "Bearer gk_nope"}).status_code == 401
    assert c.get("/api/audit", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    accounts.set_disabled(app.state.engine, "viewer", True, by="test")
    assert c.get("/openapi.json", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_passwords_are_argon2_hashes_and_the_audit_log_lists_changes(app) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from gongkai.store.schema import users

    with app.state.engine.connect() as conn:
        hashes = conn.execute(sa.select(users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    c = client(app, "admin")
    csv = c.get("/audit.csv").text
    assert "user.add" in csv and "login" in csv
    with pytest.raises(ValueError, match="密码至少"):
        accounts.add_user(app.state.engine, "short", "viewer", "1234")
    with pytest.raises(ValueError, match="未知的角色"):
        accounts.add_user(app.state.engine, "who", "superuser", PASSWORD)


def test_api_docs_page_is_offline(app) -> None:  # type: ignore[no-untyped-def]
    c = client(app, "viewer")
    html = c.get("/api/docs").text
    assert "/openapi.json" in html and "cdn" not in html.lower()
    spec = c.get("/openapi.json").json()
    assert spec["info"]["title"] == "gongkai"


def test_cli_users(tmp_path: Path) -> None:
    from click.testing import CliRunner

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    r = CliRunner().invoke(
        main, ["users", "add", "ann", "--role", "reviewer", "--password-stdin", "--db", db], input=PASSWORD + "\n"
    )
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["users", "token", "ann", "--db", db])
    assert r.exit_code == 0 and r.output.strip().startswith("gk_")
    r = CliRunner().invoke(main, ["users", "token", "nobody", "--db", db])
    assert r.exit_code != 0 and "没有用户" in r.output
    r = CliRunner().invoke(main, ["users", "add", "bob", "--role", "boss", "--password-stdin", "--db", db], input=PASSWORD + "\n")
    assert r.exit_code != 0 and "未知的角色" in r.output
    r = CliRunner().invoke(main, ["users", "list", "--db", db])
    assert "ann\treviewer" in r.output


def test_a_server_process_settles_its_heap() -> None:
    """gongkai serve's start: what the imports made is frozen out of the collector's reach and
    the young generation collects at GC_YOUNG net allocations, not CPython's 700."""
    import gc

    from gongkai.web.app import GC_YOUNG, settle_heap

    before = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GC_YOUNG, *before[1:]) and GC_YOUNG > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
