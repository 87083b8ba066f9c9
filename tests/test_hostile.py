"""Issue 12's table of hostile inputs, row by row: each ends in a clear Chinese error (or a
report) within its bound, and the batch around it goes on. The files are made small by
tests/hostile_files.py; the bounds are made small where a row would otherwise take the
default 30 s."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile_files as h
from gongkai.api import parse, parse_bounded, parse_bytes
from gongkai.cli import main
from gongkai.domain import exits
from gongkai.errors import CorruptDocument, FetchError, GongkaiError, InputTooLarge, NotARegularFile, OutOfMemory, Timeout
from gongkai.guard import worker
from gongkai.guard.names import original, shown, stored
from gongkai.read.url import fetch
from gongkai.settings import Settings
from helpers import CORPUS

SEED = sorted((CORPUS / "seeds").glob("*.txt"))[0]
QUICK = Settings(max_seconds=3)


def _fails_with(
    kind: type[GongkaiError], source, settings: Settings = QUICK, within: float = 10.0, text: str = ""
) -> GongkaiError:  # type: ignore[no-untyped-def]
    t = time.monotonic()
    with pytest.raises(kind) as e:
        parse_bounded(source, settings)
    assert time.monotonic() - t < within
    assert text in e.value.message
    return e.value


# ------------------------------------------------------------------ the budget itself
def test_a_hang_ends_at_the_time_bound() -> None:
    t = time.monotonic()
    with pytest.raises(Timeout) as e:
        worker.run("time", "sleep", (60,), Settings(max_seconds=1), "x.pdf")
    assert time.monotonic() - t < 8
    assert e.value.path == "x.pdf" and "1 秒" in e.value.message


def test_memory_past_the_bound_is_a_clear_error() -> None:
    with pytest.raises(OutOfMemory) as e:
        worker.run("builtins", "bytearray", (1 << 30,), Settings(max_memory_bytes=256 << 20), "x.docx")
    assert "256 MB" in e.value.message and e.value.path == "x.docx"


def test_a_crash_in_native_code_is_a_clear_error_and_the_next_job_runs() -> None:
    with pytest.raises(OutOfMemory) as e:
        worker.run("os", "abort", (), QUICK, "x.pdf")
    assert "信号 6" in e.value.message
    assert worker.run("builtins", "len", ([1, 2],), QUICK) == 2


def test_pool_goes_on_past_hangs_and_keeps_every_job() -> None:
    jobs = [worker.Job(i, "time", "sleep", (60 if i in (0, 5) else 0,), f"f{i}") for i in range(12)]
    t = time.monotonic()
    with worker.Pool(2, Settings(max_seconds=1), depth=3) as pool:
        out = dict(pool.imap(jobs))
    assert sorted(out) == list(range(12))
    assert sorted(k for k, v in out.items() if isinstance(v, Timeout)) == [0, 5]
    assert time.monotonic() - t < 20


def test_a_child_that_died_while_idle_is_replaced_and_no_job_is_lost() -> None:
    """A reused pool's child may die between jobs (killed, or gone with its parent's fork):
    the next send meets a broken pipe; the job goes to a fresh child instead of failing."""
    with worker.Pool(1, QUICK, depth=2) as pool:
        assert dict(pool.imap([worker.Job("a", "builtins", "len", ([1],), None)])) == {"a": 1}
        (child,) = pool.children
        child.kill()
        child.proc.wait()
        jobs = [worker.Job(i, "builtins", "len", ([0] * i,), None) for i in range(4)]
        assert dict(pool.imap(jobs)) == {i: i for i in range(4)}
        assert pool.started == 2


def test_threads_of_one_process_each_drive_their_own_child() -> None:
    """A Dask worker's threads (or the web app's) use the shared pool at once: each thread
    gets its own child, so one thread's hang or replacement never breaks another's pipe."""
    results: dict[int, list[object]] = {}

    def work(n: int) -> None:
        out = []
        for i in range(6):
            try:
                out.append(worker.run("time", "sleep", (30 if (n, i) == (0, 2) else 0,), QUICK, f"t{n}-{i}"))
            except Timeout as e:
                out.append(e)
        results[n] = out

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [0, 1, 2]
    assert [isinstance(v, Timeout) for v in results[0]] == [False, False, True, False, False, False]
    assert results[1] == results[2] == [None] * 6
    # a thread that ended leaves no child behind once another call comes
    worker.shared_pool(QUICK)
    assert all(k[0] == threading.get_ident() for k in worker._shared)


# ------------------------------------------------------------------ PDF reference cycles
@pytest.mark.parametrize("where", ["Count", "Resources", "Contents", "Rotate"])
def test_pdf_reference_cycle_refused(where: str) -> None:
    e = _fails_with(CorruptDocument, h.pdf_cycle(where), within=8, text="循环")
    assert "7 0 R → 8 0 R → 7 0 R" in e.message


def test_pdf_self_reference_refused() -> None:
    _fails_with(CorruptDocument, h.pdf_self_reference(), within=8, text="循环")


def test_pdf_page_tree_that_holds_itself_ends() -> None:
    t = time.monotonic()
    try:
        parse_bounded(h.pdf_cycle("Kids"), QUICK)
    except GongkaiError as e:
        assert e.message
    assert time.monotonic() - t < 8


def test_dense_pdf_ends_at_the_bound() -> None:
    t = time.monotonic()
    try:
        parse_bounded(h.pdf_dense(20), Settings(max_seconds=2, max_memory_bytes=512 << 20))
    except (Timeout, OutOfMemory, InputTooLarge) as e:  # the bound, or the reader's own cap first
        assert "上限" in e.message or "超过" in e.message
    assert time.monotonic() - t < 10


# ------------------------------------------------------------------ DOCX
@pytest.mark.parametrize("fmt", ["upperLetter", "upperRoman", "chineseCounting"])
def test_docx_numbering_bomb_is_bounded(fmt: str) -> None:
    t = time.monotonic()
    report = parse_bytes(h.docx_numbering_bomb(400, fmt), "bomb.docx")
    assert time.monotonic() - t < 5
    assert max(len(s) for s in report.sections.values() or [""]) < 200_000


def test_docx_odd_numbering_attributes() -> None:
    parse_bytes(h.docx_odd_numbers(), "odd.docx")  # '²', 'x', 5000 nines: no exception


def test_docx_corrupt_deflate_is_a_corrupt_document() -> None:
    with pytest.raises(CorruptDocument, match="损坏"):
        parse_bytes(h.docx_corrupt_deflate(), "bad.docx")


def test_docx_element_flood_bounded() -> None:
    t = time.monotonic()
    with pytest.raises((InputTooLarge, OutOfMemory, Timeout)):
        parse_bounded(h.docx_many_elements(2_000_000), Settings(max_seconds=10, max_memory_bytes=512 << 20))
    assert time.monotonic() - t < 15


# ------------------------------------------------------------------ HTML, RTF, text
def test_html_tag_flood_refused_before_memory_grows() -> None:
    t = time.monotonic()
    with pytest.raises(InputTooLarge, match="标记"):
        parse_bytes(h.html_tag_flood(2_000_000), "flood.html")
    assert time.monotonic() - t < 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装")
def test_rtf_conversion_under_the_budget(tmp_path: Path) -> None:
    f = tmp_path / "rows.rtf"
    f.write_bytes(h.rtf_rows(300_000))
    t = time.monotonic()
    with pytest.raises((Timeout, OutOfMemory, CorruptDocument)):
        parse_bounded(f, Settings(max_seconds=6))
    assert time.monotonic() - t < 15
    assert not [p for p in _processes() if "soffice" in p], "LibreOffice left running"


def _processes() -> list[str]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                out.append((d / "cmdline").read_bytes().decode(errors="replace"))
            except OSError:
                pass
    return out


def test_a_line_of_many_digits_is_a_finding() -> None:
    report = parse_bytes(h.digits(5000), "digits.txt")
    f = [f for f in report.findings if f.rule == "NUMBER_TOO_LONG"]
    assert f and "5000 位" in f[0].message and f[0].source == "extraction"


# ------------------------------------------------------------------ special files
def _specials(d: Path) -> dict[str, Path]:
    os.mkfifo(d / "fifo")
    (d / "zero").symlink_to("/dev/zero")
    (d / "urandom").symlink_to("/dev/urandom")
    (d / "loop1").symlink_to(d / "loop2")
    (d / "loop2").symlink_to(d / "loop1")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "sock"))
    sock.close()
    return {n: d / n for n in ("fifo", "zero", "urandom", "loop1", "sock")}


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    for name, p in [*_specials(tmp_path).items(), ("dev", Path("/dev/zero"))]:
        t = time.monotonic()
        with pytest.raises(NotARegularFile) as e:
            parse(p)
        assert time.monotonic() - t < 1, name
        assert e.value.path == str(p) and ("不是普通文件" in e.value.message or "循环" in e.value.message)


def test_cli_parse_special_files(tmp_path: Path) -> None:
    files = [str(p) for p in _specials(tmp_path).values()]
    r = CliRunner().invoke(main, ["parse", *files, str(SEED)])
    assert r.exit_code == exits.PARTIAL.code  # the special files refused, the report read
    assert r.output.count("错误：") == len(files) and "== " in r.output


def test_ingest_of_a_folder_with_special_files_and_loops(tmp_path: Path) -> None:
    from gongkai.store import Corpus

    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    _specials(d)
    (d / "sub" / "up").symlink_to(d)  # a loop for a walk that follows links
    shutil.copy(SEED, d / "a.txt")
    shutil.copy(SEED, d / "sub" / "b.txt")
    (d / "sub" / "b.txt").write_bytes((d / "sub" / "b.txt").read_bytes() + b"\n")
    t = time.monotonic()
    with Corpus(tmp_path / "c.db") as c:
        s = c.ingest([d], jobs=2, progress=False)
    assert time.monotonic() - t < 60
    assert s.parsed == 2 and s.failed == 6, s.to_json()  # fifo, zero, urandom, loop1, loop2, sock


# ------------------------------------------------------------------ names of any bytes
def test_names_shown_and_stored() -> None:
    name = os.fsdecode(b"\xb1\xa8\xb8\xe6\\x.txt")
    assert shown(name) == "\ufffd\ufffd\ufffd\ufffd\\x.txt"
    assert stored(name).encode("utf-8") and os.fsencode(original(stored(name))) == b"\xb1\xa8\xb8\xe6\\x.txt"
    assert stored("报告.txt") == "报告.txt"


def test_ingest_and_parse_of_names_that_are_not_utf8(tmp_path: Path) -> None:
    from gongkai.store import Corpus

    d = tmp_path / "in"
    d.mkdir()
    bad = os.path.join(os.fsencode(d), b"\xb1\xa8\xb8\xe6.txt")
    with open(bad, "wb") as fh:
        fh.write(SEED.read_bytes())
    shutil.copy(SEED, d / "z.txt")
    (d / "z.txt").write_bytes(SEED.read_bytes() + b"\n")
    with Corpus(tmp_path / "c.db") as c:
        s = c.ingest([d], jobs=1, progress=False)
        assert s.parsed == 2 and s.failed == 0
        again = c.ingest([d], jobs=1, progress=False)
        assert again.unchanged == 2
    r = CliRunner().invoke(main, ["parse", "--jsonl", os.fsdecode(bad)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["path"].endswith("\\xb1\\xa8\\xb8\\xe6.txt")


# ------------------------------------------------------------------ a hang in an ingest
def test_one_hanging_input_does_not_stall_the_ingest(tmp_path: Path, hanging_url: str) -> None:
    """40 reports and a URL whose server never finishes its headers (a hang whatever the
    reader): the URL ends at the 2 s bound, every report is stored."""
    from gongkai.store import Corpus

    d = tmp_path / "in"
    d.mkdir()
    for i in range(40):
        (d / f"r{i:02}.txt").write_bytes(SEED.read_bytes() + b"\n" * (i + 1))
    t = time.monotonic()
    with Corpus(tmp_path / "c.db", Settings(max_seconds=2)) as c:
        s = c.ingest([str(d / "r00.txt"), hanging_url, str(d)], jobs=2, progress=False)
    assert s.parsed == 40 and s.failed == 1 and s.unchanged == 1, s.to_json()
    assert s.failures[0][0] == hanging_url and "时间上限 2 秒" in s.failures[0][1]
    assert time.monotonic() - t < 90


# ------------------------------------------------------------------ network
class _Server:
    """A raw TCP server: ``mode`` says how it answers."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.stop = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/r"

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(4096)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            if self.mode == "headers":
                for i in range(10_000):  # a header line a byte at a time, for ever
                    conn.sendall((head + b"X-Pad: " + b"a" * 10_000)[i : i + 1])
                    if self.stop.wait(0.1):
                        return
            else:
                conn.sendall(head + b"\r\n")
                for _ in range(10_000):
                    conn.sendall(b"x")
                    if self.stop.wait(0.3):
                        return
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture(params=["headers", "body"])
def drip(request: pytest.FixtureRequest) -> Iterator[_Server]:
    s = _Server(request.param)
    yield s
    s.close()


@pytest.fixture
def hanging_url() -> Iterator[str]:
    s = _Server("headers")
    yield s.url
    s.close()


def test_dripping_server_bounded_by_one_deadline(drip: _Server) -> None:
    t = time.monotonic()
    with pytest.raises(FetchError) as e:
        fetch(drip.url, Settings(fetch_timeout_s=1, fetch_deadline_s=2))
    assert time.monotonic() - t < 4
    assert "超时" in e.value.message and "2 秒" in e.value.message


def test_private_addresses_refused_unless_allowed(drip: _Server) -> None:
    for url in (drip.url, "http://localhost:9/r", "http://[::1]:9/r", "http://169.254.169.254/latest", "http://10.0.0.1/"):
        with pytest.raises(FetchError, match="内网"):
            fetch(url, Settings(fetch_private=False, fetch_deadline_s=2))


def test_web_url_uploads_refuse_private_addresses(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from web_support import client, csrf_of, make_app

    app = make_app(tmp_path, [])
    admin = client(app, "admin")
    r = admin.post(
        "/api/uploads",
        data={"urls": "http://127.0.0.1:9/r\nhttp://169.254.169.254/latest\n"},
        headers={"X-CSRF-Token": csrf_of(admin)},
    )
    assert r.status_code == 200, r.text
    app.state.uploads.run_pending()
    items = admin.get(f"/api/uploads/{r.json()['batch']}").json()["items"]
    assert len(items) == 2 and all(i["status"] == "failed" and "内网" in i["message"] for i in items), items
    app.state.engine.dispose()


def test_one_hanging_input_does_not_stall_a_dask_ingest(tmp_path: Path, hanging_url: str) -> None:
    pytest.importorskip("distributed")
    from gongkai.store import Corpus

    d = tmp_path / "in"
    d.mkdir()
    for i in range(12):
        (d / f"r{i:02}.txt").write_bytes(SEED.read_bytes() + b"\n" * (i + 1))
    with Corpus(tmp_path / "c.db", Settings(max_seconds=3)) as c:
        s = c.ingest([hanging_url, str(d)], jobs=2, engine="dask", progress=False)
    assert s.parsed == 12 and s.failed == 1, s.to_json()
    assert "时间上限 3 秒" in s.failures[0][1]
