"""Web app commands (``gongkai serve``, ``gongkai users add|token|list|disable``).

``gongkai.web`` needs the ``web`` extra (FastAPI, uvicorn, Jinja2, argon2-cffi,
itsdangerous): it is imported when one of these commands runs.
"""

from __future__ import annotations

import os
import sys

import click

from ..domain import extras
from .options import db_option

NEED = extras.message("web")


def _web():  # type: ignore[no-untyped-def]
    try:
        import gongkai.web  # the web extra (optional)
        import gongkai.web.accounts
        import gongkai.web.app
    except ImportError as e:
        raise extras.missing("web", modules=(e.name,) if e.name else None) from None
    return gongkai.web


def _engine(db: str | None):  # type: ignore[no-untyped-def]
    from gongkai.store.db import open_engine  # the store extra (optional)

    try:
        return open_engine(db)
    except Exception as e:
        raise click.ClickException(f"无法打开数据库 {db or 'gongkai.db'}：{e}") from None


@click.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址（默认只在本机；对外提供服务请放在 HTTPS 反向代理之后）"
)
@click.option("--port", default=8000, show_default=True, type=int, help="端口")
@click.option(
    "--data-dir", type=click.Path(file_okay=False), help="上传文件、页面图像与会话密钥的目录（默认：数据库文件旁的 <db>.files）"
)
@click.option("--secure-cookies/--no-secure-cookies", default=None, help="会话 Cookie 加 Secure 标记（默认：请求经 HTTPS 时加）")
@click.option("--proxy-headers", is_flag=True, help="信任反向代理的 X-Forwarded-Proto/For（在 HTTPS 代理之后运行时使用）")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="工作进程数（多核机器上可设为核数）")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="每个工作进程同时处理的请求数（本机 SQLite 以 1 为最快；导出、统计等耗时请求另有线程，不占此数）",
)
@click.option("--allow-private-urls", is_flag=True, help="允许上传指向本机、内网或保留地址的网址（默认拒绝，以防服务端请求伪造）")
def serve(
    db: str | None,
    host: str,
    port: int,
    data_dir: str | None,
    secure_cookies: bool | None,
    proxy_headers: bool,
    workers: int,
    threads: int,
    allow_private_urls: bool,
) -> None:
    """启动网页应用：浏览、审核、更正报告（需先用 gongkai users add 创建用户）。"""
    web = _web()
    try:
        import uvicorn  # the web extra (optional)
    except ImportError:
        raise click.ClickException(NEED) from None
    config = web.WebConfig.make(
        db, data_dir, secure_cookies=secure_cookies, allow_private_urls=allow_private_urls, threads=threads, warm_dashboards=True
    )
    try:
        app = web.create_app(config)
    except Exception as e:
        raise click.ClickException(f"无法启动：{e}") from None
    if web.accounts.count_admins(app.state.engine) == 0:
        click.echo("提示：还没有管理员，请先运行 gongkai users add NAME --role admin --password-stdin", err=True)
    click.echo(f"gongkai 网页应用：http://{host if ':' not in host else f'[{host}]'}:{port}/（数据库 {config.db}）", err=True)
    proxy = {"proxy_headers": proxy_headers, "forwarded_allow_ips": "*" if proxy_headers else None, "log_level": "warning"}
    if workers == 1:
        web.app.settle_heap()
        uvicorn.run(app, host=host, port=port, **proxy)
        return
    # several processes: each builds the app from the configuration in its environment
    app.state.engine.dispose()
    os.environ[web.app.CONFIG_ENV] = web.app.config_to_env(config)
    # a busy worker (a long export, a loaded machine) is not a dead one: uvicorn's 5 s
    # health check would kill it mid-request
    uvicorn.run(
        "gongkai.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=60,
        **proxy,
    )


@click.group()
def users() -> None:
    """网页应用的用户：添加、生成 API 令牌、列出、停用。"""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, help="角色：admin（管理员）、reviewer（审核员）、viewer（查看者）等")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（一行）")
@db_option
def users_add(name: str, role: str, password_stdin: bool, db: str | None) -> None:
    """添加用户（已有则修改角色与密码）。"""
    web = _web()
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        web.accounts.add_user(_engine(db), name, role, password)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"已保存用户 {name}（{role}）", err=True)


@users.command("token")
@click.argument("name")
@db_option
def users_token(name: str, db: str | None) -> None:
    """为用户生成 API 令牌并打印（只显示这一次；API 请求带 Authorization: Bearer 令牌）。"""
    web = _web()
    try:
        click.echo(web.accounts.make_token(_engine(db), name))
    except ValueError as e:
        raise click.ClickException(str(e)) from None


@users.command("list")
@db_option
def users_list(db: str | None) -> None:
    """列出用户。"""
    web = _web()
    for u in web.accounts.list_users(_engine(db)):
        click.echo(f"{u['name']}\t{u['role']}\t{'已停用' if u['disabled'] else '正常'}")


@users.command("disable")
@click.argument("name")
@db_option
def users_disable(name: str, db: str | None) -> None:
    """停用用户（注销其会话，作废其令牌）。"""
    web = _web()
    try:
        web.accounts.set_disabled(_engine(db), name, True, by="cli")
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"已停用 {name}", err=True)
