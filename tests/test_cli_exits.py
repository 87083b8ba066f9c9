"""Exit codes say what happened (``domain/exits.py``, in ``--help`` and the README); a
database is created only by ``ingest``; database errors are Chinese with the server's words
below (issue 11 items 3 and 4)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PG_URL
from gongkai.cli import main
from gongkai.domain import exits
from gongkai.store.db import explain
from helpers import CORPUS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(str(p) for p in (CORPUS / "seeds").glob("*.txt"))


def run(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def test_the_table_is_in_the_help_and_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    helptext = run("-h").output
    for c in exits.EXIT_CODES:
        assert f"| {c.code} | {c.meaning} |" in readme, c
        assert re.search(rf"^\s*{c.code}\s+{re.escape(c.meaning)}$", helptext, re.M), c
    assert len({c.code for c in exits.EXIT_CODES}) == len(exits.EXIT_CODES)


def test_parse_and_check_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run("parse", SEEDS[0]).exit_code == exits.OK.code
    assert run("parse", SEEDS[0], str(empty)).exit_code == exits.PARTIAL.code
    assert run("parse", str(empty), str(tmp_path / "missing.txt")).exit_code == exits.NOTHING.code
    assert run("parse", "--bogus", SEEDS[0]).exit_code == exits.USAGE.code
    text = Path(SEEDS[0]).read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace("一、本年新收政府信息公开申请数量\t0\t0", "一、本年新收政府信息公开申请数量\t5\t0"), encoding="utf-8")
    assert run("check", str(broken)).exit_code == exits.FOUND_ERRORS.code
    assert run("check", str(broken), str(empty)).exit_code == exits.PARTIAL.code  # a failure outranks a finding


def test_ingest_of_nothing_is_not_success(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    res = run("ingest", str(tmp_path / "no_such_dir"), "--db", str(db), "--no-progress")
    assert res.exit_code == exits.NOTHING.code and "不存在" in res.output
    assert not db.exists()  # nothing to ingest: no database made either
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (bad / "b.txt").write_bytes(b"")
    res = run("ingest", str(bad), "--db", str(db), "--no-progress", "--jobs", "1")
    assert res.exit_code == exits.NOTHING.code, res.output  # every file failed
    good = tmp_path / "good"
    good.mkdir()
    (good / "r.txt").write_bytes(Path(SEEDS[0]).read_bytes())
    (good / "e.txt").write_bytes(b"")
    res = run("ingest", str(good), "--db", str(db), "--no-progress", "--jobs", "1")
    assert res.exit_code == exits.PARTIAL.code, res.output
    res = run("ingest", str(good / "r.txt"), "--db", str(db), "--no-progress", "--jobs", "1")
    assert res.exit_code == exits.OK.code, res.output  # already stored: nothing failed


@pytest.mark.parametrize("command", [["stats"], ["check-corpus"], ["export", "-o", "x.csv"]])
def test_reading_commands_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "typo.db"
    res = CliRunner().invoke(main, [*command[:1], "--db", str(typo), *command[1:]])
    assert res.exit_code == exits.DATABASE.code and "数据库不存在" in res.output and str(typo) in res.output
    assert not typo.exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    res = CliRunner().invoke(main, [*command[:1], "--db", str(empty), *command[1:]])
    assert res.exit_code == exits.DATABASE.code and "不是 gongkai 数据库" in res.output


def test_library_corpus_create_false(tmp_path: Path) -> None:
    from gongkai.errors import DatabaseError
    from gongkai.store import Corpus

    with pytest.raises(DatabaseError, match="数据库不存在"):
        Corpus(tmp_path / "nope.db", create=False)
    Corpus(tmp_path / "yes.db").close()  # the default creates
    Corpus(tmp_path / "yes.db", create=False).close()


def test_a_server_that_is_not_there(tmp_path: Path) -> None:
    res = run("stats", "--db", "postgresql://someone@127.0.0.1:9/gongkai")
    assert res.exit_code == exits.DATABASE.code
    assert "无法连接：服务器没有运行，或地址、端口不对" in res.output and "详细信息：" in res.output
    assert "Traceback" not in res.output and "OperationalError" not in res.output.split("详细信息")[0]


@pytest.mark.skipif(not PG_URL, reason="GONGKAI_TEST_PG_URL 未设置")
def test_postgres_errors_in_chinese_with_the_detail() -> None:
    import sqlalchemy as sa

    assert PG_URL
    url = sa.engine.make_url(PG_URL)
    res = run("stats", "--db", url.set(database="gongkai_no_such_db").render_as_string(hide_password=False))
    assert res.exit_code == exits.DATABASE.code
    assert "数据库 gongkai_no_such_db 不存在" in res.output and 'database "gongkai_no_such_db" does not exist' in res.output
    res = run("stats", "--db", url.set(username="gongkai_no_such_role").render_as_string(hide_password=False))
    assert res.exit_code == exits.DATABASE.code and "服务器上没有用户 gongkai_no_such_role" in res.output


def test_libpq_messages_are_explained() -> None:
    """libpq's own wording for the errors a trust-auth test server cannot produce."""
    cases = {
        'connection failed: FATAL:  password authentication failed for user "ann"': "认证失败：用户 ann 的密码不对",
        "connection failed: fe_sendauth: no password supplied": "认证失败：服务器要求密码",
        'could not translate host name "db.example" to address: Name or service not known': "找不到主机名 db.example",
        "connection timeout expired": "连接超时",
        'FATAL:  no pg_hba.conf entry for host "10.0.0.1", user "ann", database "g"': "pg_hba.conf",
        "something else entirely": "数据库返回错误",
    }
    for raw, zh in cases.items():
        out = explain(RuntimeError(raw))
        assert zh in out and raw.split()[0] in out, (raw, out)


def test_interrupt_is_130(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) during a parse of standard input that never ends."""
    import os
    import signal
    import time

    code = (
        "import sys; import gongkai.cli; sys.stderr.write('ready\\n'); sys.stderr.flush(); "
        "gongkai.cli.main(['parse', '-'], prog_name='gongkai')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.stderr is not None
    assert proc.stderr.readline().strip() == b"ready"  # imported: the next signal lands in the command
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    err = rest
    assert proc.returncode == exits.INTERRUPTED.code, err.decode()
    assert "已中断" in err.decode() and "Traceback" not in err.decode()


def test_python_dash_m_gongkai_is_the_same_command(tmp_path: Path) -> None:
    """``python -m gongkai`` works where the ``gongkai`` script is not on PATH."""
    report = tmp_path / "报告.txt"
    report.write_text("某某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "gongkai", "parse", str(report)], capture_output=True, text=True, timeout=120)
    assert done.returncode == exits.OK.code, done.stderr
    assert "报告年度：2023" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "gongkai", "parse", str(tmp_path / "无此文件.txt")], capture_output=True, text=True, timeout=120)
    assert missing.returncode == exits.NOTHING.code
    assert "无此文件.txt" in missing.stderr
