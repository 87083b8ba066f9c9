"""Downloading a report: http(s) only, redirects followed by hand (each target checked),
every network wait bounded by ``settings.fetch_timeout_s``, the whole download — connect,
headers, body, every redirect — by one deadline (``settings.fetch_deadline_s``: a timer
shuts the sockets down, so a server sending its headers a byte at a time cannot outlive
it), and the body capped at ``settings.fetch_max_bytes`` while it streams (a
Content-Length over the cap is refused before reading). With ``settings.fetch_private``
off (the web app's default), an address that is loopback, link-local, private, reserved
or multicast is refused: the host is resolved here, each address checked, and the
connection made to the checked address (a second lookup cannot swap it). The bytes are
then sniffed like any file: nothing here trusts the server's Content-Type.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
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


class PrivateAddress(OSError):
    """The host resolves to an address the settings do not allow (``fetch_private``)."""


@dataclass(slots=True)
class _Transfer:
    """The sockets of one download, shut down together when its deadline passes."""

    settings: Settings
    deadline: float
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    expired: bool = False

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def connect(self, address, timeout=None, source_address=None):  # type: ignore[no-untyped-def]
        """``socket.create_connection`` to a checked address, registered for the deadline."""
        host, port = address
        wait = max(0.01, min(self.settings.fetch_timeout_s, self.remaining()))
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not self.settings.fetch_private:
            for info in infos:
                ip = ipaddress.ip_address(info[4][0].split("%")[0])
                if _forbidden(ip):
                    raise PrivateAddress(f"{host} 解析为内网或本机地址 {ip}")
        err: OSError | None = None
        for family, kind, proto, _, addr in infos:
            sock = socket.socket(family, kind, proto)
            with self.lock:
                if self.expired:
                    sock.close()
                    raise TimeoutError
                self.sockets.append(sock)
            try:
                sock.settimeout(wait)
                if source_address:
                    sock.bind(source_address)
                sock.connect(addr)
                return sock
            except OSError as e:
                err = e
                sock.close()
        raise err or OSError(f"无法连接 {host}")

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_link_local or ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_unspecified


def _opener(transfer: _Transfer) -> urllib.request.OpenerDirector:
    def http_conn(host, **kw):  # type: ignore[no-untyped-def]
        conn = http.client.HTTPConnection(host, **kw)
        conn._create_connection = transfer.connect  # type: ignore[attr-defined]
        return conn

    def https_conn(host, **kw):  # type: ignore[no-untyped-def]
        conn = http.client.HTTPSConnection(host, **kw)
        conn._create_connection = transfer.connect  # type: ignore[attr-defined]
        return conn

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):  # type: ignore[no-untyped-def]
            return self.do_open(http_conn, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):  # type: ignore[no-untyped-def]
            return self.do_open(https_conn, req, context=self._context)

    return urllib.request.build_opener(_NoRedirect(), Http(), Https())


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


def deadline_s(settings: Settings) -> float:
    """The whole download's bound: ``fetch_deadline_s``, and never more than
    ``DEADLINE_FACTOR`` network waits."""
    return min(settings.fetch_deadline_s, settings.fetch_timeout_s * DEADLINE_FACTOR)


def fetch(url: str, settings: Settings = DEFAULT) -> bytes:
    """The body at ``url`` (after redirects), decompressed if the server compressed it."""
    current = check_url(url)
    total = deadline_s(settings)
    transfer = _Transfer(settings, time.monotonic() + total)
    timer = threading.Timer(total, transfer.expire)
    timer.daemon = True
    timer.start()
    try:
        opener = _opener(transfer)
        for _ in range(MAX_REDIRECTS + 1):
            resp = _open(opener, current, settings, url, transfer)
            try:
                location = _redirect_target(resp, current, url)
                if location is None:
                    return _read_body(resp, settings, transfer, url)
            except FetchError:
                raise
            except (http.client.HTTPException, OSError, ValueError) as e:
                raise _failed(e, settings, transfer, url) from None
            finally:
                resp.close()
            current = location
        raise FetchError(f"重定向超过 {MAX_REDIRECTS} 次，已停止（可能是重定向循环）", url)
    finally:
        timer.cancel()


def _failed(e: BaseException, settings: Settings, transfer: _Transfer, url: str) -> FetchError:
    if transfer.expired or transfer.remaining() <= 0:
        return FetchError(f"下载超时（超过 {deadline_s(settings):g} 秒仍未完成，含等待响应头的时间）", url)
    if isinstance(e, TimeoutError):
        return FetchError(f"下载超时（超过 {settings.fetch_timeout_s:g} 秒没有收到数据）", url)
    return FetchError(f"下载中断：{e}", url)


def _open(opener, target: str, settings: Settings, url: str, transfer: _Transfer):  # type: ignore[no-untyped-def]
    req = urllib.request.Request(
        target,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    try:
        return opener.open(req, timeout=max(0.01, min(settings.fetch_timeout_s, transfer.remaining())))
    except urllib.error.HTTPError as e:
        if e.code in _REDIRECTS:
            return e  # an HTTPError is a response too; fetch follows its Location
        reason = _HTTP_REASONS.get(e.code, e.reason if isinstance(e.reason, str) else "")
        e.close()
        raise FetchError(f"服务器返回 HTTP {e.code}（{reason}）", url) from None
    except urllib.error.URLError as e:
        if transfer.expired:
            raise _failed(e, settings, transfer, url) from None
        raise FetchError(_network_message(e.reason, settings), url) from None
    except TimeoutError as e:
        if transfer.expired:
            raise _failed(e, settings, transfer, url) from None
        raise FetchError(f"连接超时（超过 {settings.fetch_timeout_s:g} 秒无响应）", url) from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        if transfer.expired:
            raise _failed(e, settings, transfer, url) from None
        raise FetchError(f"下载失败：{e}", url) from None


def _network_message(reason: object, settings: Settings) -> str:
    if isinstance(reason, PrivateAddress):
        return f"拒绝访问内网、本机或保留地址（{reason}）；如确需访问，请管理员允许内网地址"
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


def _read_body(resp, settings: Settings, transfer: _Transfer, url: str) -> bytes:  # type: ignore[no-untyped-def]
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
        if transfer.remaining() <= 0:
            raise _failed(TimeoutError(), settings, transfer, url)
        try:
            chunk = read(CHUNK)
        except (http.client.HTTPException, OSError) as e:
            raise _failed(e, settings, transfer, url) from None
        if not chunk:
            if transfer.expired:  # the timer shut the socket: not the end of the body
                raise _failed(TimeoutError(), settings, transfer, url)
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


__all__ = ["MAX_REDIRECTS", "FetchTooLarge", "PrivateAddress", "check_url", "deadline_s", "fetch"]
