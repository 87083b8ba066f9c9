"""Downloading a report: http(s) only, redirects followed by hand (each target checked),
every network wait bounded by ``settings.fetch_timeout_s``, the whole transfer by a
deadline, and the body capped at ``settings.fetch_max_bytes`` while it streams (a
Content-Length over the cap is refused before reading). The bytes are then sniffed like
any file: nothing here trusts the server's Content-Type.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError, InputTooLarge
from ..settings import DEFAULT, Settings

MAX_REDIRECTS = 10
CHUNK = 64 * 1024
DEADLINE_FACTOR = 4  # the whole download may take this many times the per-wait timeout
USER_AGENT = "Mozilla/5.0 (compatible; gongkai/0.1; +https://pypi.org/project/gongkai/)"
_REDIRECTS = (301, 302, 303, 307, 308)
_HTTP_REASONS = {
    400: "请求无效",
    401: "需要登录",
    403: "禁止访问",
    404: "页面不存在",
    410: "页面已删除",
    429: "请求过于频繁",
    500: "服务器内部错误",
    502: "网关错误",
    503: "服务暂不可用",
    504: "网关超时",
}


class FetchTooLarge(FetchError, InputTooLarge):
    """A download over ``settings.fetch_max_bytes``: both a fetch error and a size error."""

    code = "too_large"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to ``fetch``, which checks each target itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def check_url(url: str) -> str:
    """The URL if it is http(s) with a host; FetchError otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError("网址格式不正确", url) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"只支持 http 和 https 网址，不支持「{parts.scheme or '无协议'}」", url)
    if not parts.hostname:
        raise FetchError("网址缺少主机名", url)
    return url


def fetch(url: str, settings: Settings = DEFAULT) -> bytes:
    """The body at ``url`` (after redirects), decompressed if the server compressed it."""
    deadline = time.monotonic() + settings.fetch_timeout_s * DEADLINE_FACTOR
    current = check_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        resp = _open(current, settings, url)
        try:
            location = _redirect_target(resp, current, url)
            if location is None:
                return _read_body(resp, settings, deadline, url)
        finally:
            resp.close()
        current = location
    raise FetchError(f"重定向超过 {MAX_REDIRECTS} 次，已停止（可能是重定向循环）", url)


def _open(target: str, settings: Settings, url: str):  # type: ignore[no-untyped-def]
    req = urllib.request.Request(
        target,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    try:
        return _opener().open(req, timeout=settings.fetch_timeout_s)
    except urllib.error.HTTPError as e:
        if e.code in _REDIRECTS:
            return e  # an HTTPError is a response too; fetch follows its Location
        reason = _HTTP_REASONS.get(e.code, e.reason if isinstance(e.reason, str) else "")
        e.close()
        raise FetchError(f"服务器返回 HTTP {e.code}（{reason}）", url) from None
    except urllib.error.URLError as e:
        raise FetchError(_network_message(e.reason, settings), url) from None
    except TimeoutError:
        raise FetchError(f"连接超时（超过 {settings.fetch_timeout_s:g} 秒无响应）", url) from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        raise FetchError(f"下载失败：{e}", url) from None


def _network_message(reason: object, settings: Settings) -> str:
    if isinstance(reason, TimeoutError):
        return f"连接超时（超过 {settings.fetch_timeout_s:g} 秒无响应）"
    if isinstance(reason, ssl.SSLError):
        return f"HTTPS 证书或加密连接出错：{reason}"
    if isinstance(reason, socket.gaierror):
        return "无法解析域名（网址错误或网络不通）"
    if isinstance(reason, ConnectionRefusedError):
        return "服务器拒绝连接"
    return f"无法连接服务器：{reason}"


def _redirect_target(resp, current: str, url: str) -> str | None:  # type: ignore[no-untyped-def]
    code = getattr(resp, "status", None) or resp.getcode()
    if code not in _REDIRECTS:
        return None
    location = resp.headers.get("Location")
    if not location:
        raise FetchError(f"服务器返回重定向（HTTP {code}），但没有给出新地址", url)
    target = urljoin(current, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise FetchError(f"服务器重定向到不支持的网址：{target}", url)
    return target


def _read_body(resp, settings: Settings, deadline: float, url: str) -> bytes:  # type: ignore[no-untyped-def]
    cap = settings.fetch_max_bytes
    declared = resp.headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > cap:
        raise FetchTooLarge(f"文件大小 {int(declared) // 1048576} MB 超过下载上限 {cap // 1048576} MB", url)
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    inflater = _inflater(encoding)
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived; read(n) would wait for n bytes and let a server
    # dripping a byte at a time outlive the deadline
    read = getattr(resp, "read1", resp.read)
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"下载超时（超过 {settings.fetch_timeout_s * DEADLINE_FACTOR:g} 秒仍未完成）", url)
        try:
            chunk = read(CHUNK)
        except TimeoutError:
            raise FetchError(f"下载超时（超过 {settings.fetch_timeout_s:g} 秒没有收到数据）", url) from None
        except (http.client.HTTPException, OSError) as e:
            raise FetchError(f"下载中断：{e}", url) from None
        if not chunk:
            break
        if inflater is not None:
            # bounded inflation: a small gzip body must not expand past the cap
            chunk = _inflate(inflater, chunk, cap - size + 1, url)
        size += len(chunk)
        if size > cap:
            raise FetchTooLarge(f"下载内容超过上限 {cap // 1048576} MB，已停止", url)
        chunks.append(chunk)
    if inflater is not None:
        chunks.append(inflater.flush())
    return b"".join(chunks)


def _inflater(encoding: str):  # type: ignore[no-untyped-def]
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto-detected
    return None


def _inflate(inflater, chunk: bytes, room: int, url: str) -> bytes:  # type: ignore[no-untyped-def]
    try:
        out = inflater.decompress(chunk, max(1, room))
    except zlib.error as e:
        raise FetchError(f"服务器返回的压缩数据已损坏：{e}", url) from None
    if inflater.unconsumed_tail:
        raise FetchTooLarge("下载内容解压后超过上限，已停止", url)
    return out


__all__ = ["MAX_REDIRECTS", "FetchTooLarge", "check_url", "fetch"]
