"""The case workflow (the transition table), its log, and the reply letters."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest

from gongkai.agency.db import Workbench
from gongkai.agency.letters import LetterError, render_letter
from gongkai.agency.records import Application, state_of
from gongkai.agency.workflow import WorkflowError, allowed, apply
from gongkai.domain.ledger import ACTIONS, OPEN_STATES, STATES

D = dt.date


def _app(**kw: object) -> Application:
    return Application("A-1", D(2024, 3, 1), "natural_person", applicant="张三", content="年度预算", **kw)  # type: ignore[arg-type]


def test_the_table_covers_every_state_and_closed_cases_allow_nothing() -> None:
    targets = {a.target for a in ACTIONS if a.target}
    sources = {s for a in ACTIONS for s in a.sources}
    assert targets | {"registered"} == set(STATES)
    assert sources == OPEN_STATES
    closed = apply(_app(handler="李"), "answer", D(2024, 3, 5), outcome="disclosed")
    assert state_of(closed) == "answered" and allowed(closed) == []


def test_a_full_case_with_correction_consultation_fee_and_extension() -> None:
    a = _app()
    a = apply(a, "request_correction", D(2024, 3, 4), role="handler")
    assert state_of(a) == "correction_requested"
    a = apply(a, "receive_correction", D(2024, 3, 8), role="registrar")
    assert state_of(a) == "in_progress"
    a = apply(a, "start_consultation", D(2024, 3, 11), role="handler")
    assert state_of(a) == "consulting"
    a = apply(a, "end_consultation", D(2024, 3, 20), role="handler")
    a = apply(a, "send_fee_notice", D(2024, 3, 21), role="handler")
    assert state_of(a) == "fee_notice"
    a = apply(a, "receive_payment", D(2024, 3, 25), role="registrar")
    with pytest.raises(WorkflowError, match="审批人"):
        apply(a, "extend", D(2024, 3, 26), role="handler", days=10)
    a = apply(a, "extend", D(2024, 3, 26), role="approver", days=10)
    assert a.extension_days == 10
    with pytest.raises(WorkflowError, match="已延期过一次"):
        apply(a, "extend", D(2024, 3, 27), role="approver", days=5)
    assert "extend" not in {x.key for x in allowed(a)}
    a = apply(a, "answer", D(2024, 4, 10), outcome="partially_disclosed")
    assert state_of(a) == "answered" and a.answered == D(2024, 4, 10)


def test_illegal_transitions_are_refused_with_a_clear_message() -> None:
    a = _app()
    with pytest.raises(WorkflowError, match="当前状态为「已登记」，不能「征求意见结束」"):
        apply(a, "end_consultation", D(2024, 3, 2))
    with pytest.raises(WorkflowError, match="延期须为 1 至 20"):
        apply(apply(a, "start", D(2024, 3, 2), handler="李"), "extend", D(2024, 3, 3), days=21)
    with pytest.raises(WorkflowError, match="办理结果"):
        apply(a, "answer", D(2024, 3, 3), outcome=None)
    with pytest.raises(WorkflowError, match="早于"):
        apply(a, "request_correction", D(2024, 2, 1))
    with pytest.raises(WorkflowError, match="没有「fly」"):
        apply(a, "fly", D(2024, 3, 3))
    c = apply(a, "request_correction", D(2024, 3, 2))
    ab = apply(c, "abandon_no_correction", D(2024, 4, 1))
    assert state_of(ab) == "abandoned" and ab.outcome == "other.no_correction"
    w = apply(a, "withdraw", D(2024, 3, 3), role="registrar")
    assert state_of(w) == "withdrawn" and w.outcome == "other.other"


def test_actions_in_the_store_are_logged_with_due_changes(store_url: str) -> None:
    with Workbench(store_url) as wb:  # SQLite, and PostgreSQL where GONGKAI_TEST_PG_URL is set
        wb.register("某局", _app(), actor="登记员", today=D(2024, 3, 1))
        rid, _, row = wb.application("某局", "A-1")
        due0 = row["due"]
        wb.act("某局", "A-1", "start", D(2024, 3, 4), handler="李", actor="李")
        wb.act("某局", "A-1", "extend", D(2024, 3, 5), role="approver", days=5, actor="处长")
        with pytest.raises(WorkflowError):
            wb.act("某局", "A-1", "extend", D(2024, 3, 6), role="approver", days=5)
        wb.act("某局", "A-1", "answer", D(2024, 4, 2), outcome="disclosed", actor="李")
        events = [e["action"] for e in wb.events(rid)]
        assert events == ["start", "extend", "answer"]
        log = wb.due_log(rid)
        assert log[0]["previous"] is None and log[0]["due"] == due0
        assert log[1]["previous"] == due0 and log[1]["due"] > due0
        rows = wb.cases("某局", D(2024, 5, 1))
        assert rows[0].state == "answered" and not rows[0].overdue
        # a calendar change recomputes open cases only; the answered one keeps its date
        wb.register("某局", Application("A-2", D(2024, 3, 1), "commercial"), today=D(2024, 3, 1))
        cal = wb.calendar().with_day(D(2024, 3, 4), "holiday", "测试")
        n = wb.set_calendar(cal, [2024], actor="管理员", reason="测试", today=D(2024, 3, 2))
        assert n == 1
        after = {r.number: r for r in wb.cases("某局", D(2024, 3, 2))}
        assert after["A-1"].due == rows[0].due
        rid2, _, _ = wb.application("某局", "A-2")
        assert wb.due_log(rid2)[-1]["reason"].startswith("工作日历变更")
        assert wb.audit(None, "2024")[0]["action"] == "calendar"


def test_reply_letters_fill_the_case_facts() -> None:
    a = apply(_app(handler="李"), "answer", D(2024, 3, 20), outcome="withheld.state_secret")
    doc = docx.Document(io.BytesIO(render_letter(a, "某市某区教育局")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "某市某区教育局" in text and "张三：" in text and "2024年3月1日" in text and "年度预算" in text
    assert "不予公开" in text and "第十四条" in text and "2024年3月20日" in text and "六十日内" in text
    assert "{{" not in text
    with pytest.raises(LetterError, match="尚未办结"):
        render_letter(_app(), "某局")
    # an edited template: its own wording, the same fields
    t = docx.Document()
    t.add_paragraph("致{{ 申请人 }}：贵方申请（{{ 编号 }}）的答复如下。{{ 办理结果 }}")
    buf = io.BytesIO()
    t.save(buf)
    out = docx.Document(io.BytesIO(render_letter(a, "某局", buf.getvalue())))
    assert out.paragraphs[0].text.startswith("致张三：贵方申请（A-1）的答复如下。经审查")
    with pytest.raises(LetterError, match="模板无法使用"):
        render_letter(a, "某局", b"not a docx")


def test_a_folder_of_templates_per_outcome(tmp_path: Path) -> None:
    from gongkai.agency.letters import template_for

    def write(name: str, text: str) -> None:
        t = docx.Document()
        t.add_paragraph(text)
        t.save(str(tmp_path / name))

    write("default.docx", "通用：{{ 办理结果 }}")
    write("withheld.docx", "不予公开类：{{ 依据 }}")
    write("withheld.state_secret.docx", "国家秘密：{{ 编号 }}")
    secret = apply(_app(handler="李"), "answer", D(2024, 3, 20), outcome="withheld.state_secret")
    third = apply(_app(handler="李"), "answer", D(2024, 3, 20), outcome="withheld.third_party")
    shown = apply(_app(handler="李"), "answer", D(2024, 3, 20), outcome="disclosed")

    def text(app: Application) -> str:
        return docx.Document(io.BytesIO(render_letter(app, "某局", template_for(tmp_path, app)))).paragraphs[0].text

    assert text(secret) == "国家秘密：A-1"
    assert text(third).startswith("不予公开类：根据《中华人民共和国政府信息公开条例》第十五条")
    assert text(shown).startswith("通用：经审查，您申请获取的政府信息属于公开范围")
    assert template_for(tmp_path / "nothing", shown) is None


# ------------------------------------------------------------------ random event sequences
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.agency.calendar import WorkCalendar  # noqa: E402
from gongkai.agency.deadlines import answer_deadline  # noqa: E402

CAL = WorkCalendar.seeded()
_STEPS = st.lists(st.tuples(st.integers(0, len(ACTIONS) - 1), st.integers(0, 12)), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 10, 1)), _STEPS)
def test_invariants_over_random_event_sequences(received: dt.date, steps: list[tuple[int, int]]) -> None:
    app = Application("R-1", received, "natural_person")
    day = received
    fixed = None
    for i, gap in steps:
        day += dt.timedelta(days=gap)
        a = ACTIONS[i]
        if a not in allowed(app):
            with pytest.raises(WorkflowError):
                apply(app, a.key, day, outcome="disclosed", days=5, handler="李")
            continue
        app = apply(app, a.key, day, outcome="disclosed", days=5, handler="李")
        d = answer_deadline(app, CAL, day)
        start = app.correction_received or app.received
        assert d.due > start and d.due > app.received  # never before (or on) its start
        # paused days never count: exactly 20 + the pauses' working days + the extension
        pauses = sum(CAL.working_days(s, e or day)[0] for s, e in ((app.consult_start, app.consult_end), (app.fee_notice, app.fee_paid)) if s)
        waiting = app.correction_requested is not None and app.correction_received is None
        if not waiting:
            assert CAL.working_days(start, d.due)[0] == 20 + pauses + (app.extension_days or 0)
        if state_of(app) not in OPEN_STATES:
            fixed = fixed or d.due
    if fixed is not None:
        assert allowed(app) == []  # a closed case takes no further step, so nothing moves its date


def test_an_answered_case_keeps_its_due_date_through_calendar_changes(tmp_path: Path) -> None:
    with Workbench(f"sqlite:///{tmp_path / 'g.db'}") as wb:
        wb.register("某局", _app(handler="李"), today=D(2024, 3, 1))
        wb.register("某局", Application("A-2", D(2024, 3, 1), "commercial", handler="李"), today=D(2024, 3, 1))
        wb.act("某局", "A-1", "answer", D(2024, 3, 20), outcome="disclosed")
        before = {r.number: r.due for r in wb.cases("某局", D(2024, 3, 21))}
        cal = wb.calendar()
        for day in (D(2024, 3, 5), D(2024, 3, 6), D(2024, 3, 7)):
            cal = cal.with_day(day, "holiday", "测试")
            wb.set_calendar(cal, [2024], reason="测试", today=D(2024, 3, 21))
        after = {r.number: r.due for r in wb.cases("某局", D(2024, 3, 21))}
        assert after["A-1"] == before["A-1"]
        want = answer_deadline(wb.application("某局", "A-2")[1], cal, D(2024, 3, 21)).due
        assert after["A-2"] == want.isoformat() and after["A-2"] > before["A-2"]
        assert CAL.working_days(dt.date.fromisoformat(before["A-2"]), want)[0] == 3  # the three new holidays
        rid, _, _ = wb.application("某局", "A-2")
        log = wb.due_log(rid)
        assert [x["previous"] for x in log[1:]] == [x["due"] for x in log[:-1]]  # each change logged with the previous date


def test_proactive_disclosures_are_signed_off_in_order(tmp_path: Path) -> None:
    with Workbench(f"sqlite:///{tmp_path / 'g.db'}") as wb:
        rid = wb.add_disclosure("某局", "2025年部门预算", "拟稿人", channel="政府网站", catalogue="财政预决算")
        with pytest.raises(WorkflowError, match="未经保密审查"):
            wb.sign_disclosure("某局", rid, "publish", "发布人")
        with pytest.raises(WorkflowError, match="拟稿人以外"):
            wb.sign_disclosure("某局", rid, "review", "拟稿人")
        wb.sign_disclosure("某局", rid, "review", "审查人")
        wb.sign_disclosure("某局", rid, "publish", "发布人", D(2025, 1, 5))
        with pytest.raises(WorkflowError, match="已发布"):
            wb.sign_disclosure("某局", rid, "publish", "发布人")
        d = wb.disclosures("某局")[0]
        assert (d["drafter"], d["reviewer"], d["publisher"]) == ("拟稿人", "审查人", "发布人")
        assert d["drafted_at"] <= d["reviewed_at"] <= d["published_at"] and d["published_on"] == D(2025, 1, 5)
        assert [a["action"] for a in wb.audit("某局", str(rid))] == ["publish", "review", "insert"]


def test_disclosure_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from gongkai.cli import main

    db = f"sqlite:///{tmp_path / 'g.db'}"
    run = CliRunner().invoke
    assert "已登记第 1 条" in run(main, ["agency", "disclosure", "add", "--db", db, "--body", "某局", "2025年预算", "--by", "甲"]).output
    r = run(main, ["agency", "disclosure", "sign", "--db", db, "--body", "某局", "1", "publish", "--by", "乙"])
    assert r.exit_code != 0 and "未经保密审查" in r.output
    assert run(main, ["agency", "disclosure", "sign", "--db", db, "--body", "某局", "1", "review", "--by", "乙"]).exit_code == 0
    assert run(main, ["agency", "disclosure", "sign", "--db", db, "--body", "某局", "1", "publish", "--by", "丙", "--date", "2025-01-05"]).exit_code == 0
    out = run(main, ["agency", "disclosure", "list", "--db", db, "--body", "某局"]).output
    assert "拟稿 甲" in out and "审查 乙" in out and "发布 丙 2025-01-05" in out
