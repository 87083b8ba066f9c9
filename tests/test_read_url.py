"""URL fetching against a local server on 127.0.0.1: a report, redirects, a body over the
cap (declared and streamed), HTTP errors, a server that never answers, compression."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import FetchError, InputTooLarge
from gongkai.read.url import MAX_REDIRECTS, fetch
from gongkai.settings import Settings
from helpers import load_official_layout

HERE = Path(__file__).resolve().parent





OL = load_official_layout()
CELLS = OL.consistent_cells("2021", seed=41)
REPORT = OL.report_html(
    OL.ReportSpec(
        "某某县科学技术局",
        2022,
        "2021",
        CELLS,
        ["本年度我局主动公开政府信息。"],
        ["公开力度有待加强。"],
        ["本年度未收取信息处理费。"],
    ),
    charset="gb2312",
).encode("gbk")
SLOW_S = 3.0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_"), None)
        if route is None:
            self.send_error(404, "Not Found")
            return
        route()

    def _send(self, body: bytes, ctype: str = "text/html", headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, code: int = 302) -> None:
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route_report(self) -> None:
        self._send(REPORT, "text/html; charset=gbk")

    def route_moved(self) -> None:
        self._redirect("/report", 301)

    def route_hop1(self) -> None:
        self._redirect("hop2", 302)  # relative Location

    def route_hop2(self) -> None:
        self._redirect("/report", 307)

    def route_loop(self) -> None:
        self._redirect("/loop")

    def route_to_ftp(self) -> None:
        self._redirect("ftp://127.0.0.1/report.doc")

    def route_to_file(self) -> None:
        self._redirect("file:///etc/passwd")

    def route_big_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(10 * 1024 * 1024 * 1024))
        self.end_headers()
        self.wfile.write(b"%PDF-1.4\n")

    def route_big_streamed(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()  # no Content-Length: the body ends when the connection closes
        try:
            for _ in range(64):
                self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def route_gzip(self) -> None:
        self._send(gzip.compress(REPORT), "text/html", {"Content-Encoding": "gzip"})

    def route_gzip_bomb(self) -> None:
        self._send(gzip.compress(b" " * (20 * 1024 * 1024)), "text/html", {"Content-Encoding": "gzip"})

    def route_slow(self) -> None:
        time.sleep(SLOW_S)
        try:
            self._send(REPORT)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route_drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route_error(self) -> None:
        self.send_error(503, "Service Unavailable")

    def route_no_location(self) -> None:
        self.send_response(302)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_report_over_http(server: str) -> None:
    report = gongkai.parse(f"{server}/report")
    assert report.path == f"{server}/report"
    assert (report.issuing_body, report.report_year, report.format, report.media_type) == (
        "某某县科学技术局",
        2022,
        "2021",
        "text/html",
    )
    assert report.encoding == "gb18030"
    assert report.values() == CELLS


def test_redirects_followed(server: str) -> None:
    assert fetch(f"{server}/moved") == REPORT
    assert fetch(f"{server}/hop1") == REPORT


def test_redirect_loop_stops(server: str) -> None:
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/loop")
    assert f"{MAX_REDIRECTS} 次" in e.value.message


@pytest.mark.parametrize("route", ["to-ftp", "to-file"])
def test_redirect_to_other_scheme_refused(server: str, route: str) -> None:
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/{route}")
    assert "不支持" in e.value.message


def test_redirect_without_location(server: str) -> None:
    with pytest.raises(FetchError):
        fetch(f"{server}/no-location")


def test_declared_size_over_cap_refused_before_reading(server: str) -> None:
    t = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/big-declared", Settings(fetch_max_bytes=1024 * 1024))
    assert time.monotonic() - t < 2.0
    assert isinstance(e.value, InputTooLarge) and "上限" in e.value.message


def test_streamed_size_over_cap_stopped(server: str) -> None:
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/big-streamed", Settings(fetch_max_bytes=512 * 1024))
    assert "上限" in e.value.message


def test_http_404(server: str) -> None:
    with pytest.raises(FetchError) as e:
        gongkai.parse(f"{server}/missing")
    assert "404" in e.value.message and "页面不存在" in e.value.message


def test_http_503(server: str) -> None:
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/error")
    assert "503" in e.value.message


def test_timeout(server: str) -> None:
    t = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/slow", Settings(fetch_timeout_s=0.5))
    assert time.monotonic() - t < SLOW_S
    assert "超时" in e.value.message


def test_slow_drip_bounded_by_deadline(server: str) -> None:
    t = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/drip", Settings(fetch_timeout_s=0.5))
    assert time.monotonic() - t < 4.0
    assert "超时" in e.value.message


def test_gzip_body_inflated(server: str) -> None:
    assert fetch(f"{server}/gzip") == REPORT


def test_gzip_bomb_bounded(server: str) -> None:
    with pytest.raises(FetchError) as e:
        fetch(f"{server}/gzip-bomb", Settings(fetch_max_bytes=1024 * 1024))
    assert "上限" in e.value.message


def test_connection_refused() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens on this port now
    with pytest.raises(FetchError) as e:
        fetch(f"http://127.0.0.1:{port}/report", Settings(fetch_timeout_s=2))
    assert "连接" in e.value.message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x.doc", "file:///etc/passwd", "http://", "javascript:alert(1)"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError):
        fetch(url)
