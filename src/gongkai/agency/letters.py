"""Reply letters (答复书) from editable DOCX templates.

A template is a Word document with docxtpl (Jinja) fields — ``{{ 申请人 }}``, ``{{ 编号 }}``,
``{{ 收到日期 }}``, ``{{ 申请内容 }}``, ``{{ 办理结果 }}``, ``{{ 依据 }}``, ``{{ 答复日期 }}``,
``{{ 机关 }}``, ``{{ 救济途径 }}`` — that an agency edits in Word. ``default_template``
writes the built-in one (python-docx); ``render_letter`` fills a template with a case's facts.
An agency that wants its own wording per outcome keeps a folder of templates named by the
outcome's key (``withheld.state_secret.docx``), its group (``withheld.docx``) or
``default.docx``; ``template_for`` picks the most specific one there is.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ..domain.ledger import LETTER_BASIS, REMEDY_NOTICE, outcome_label
from ..errors import GongkaiError, MissingDependency
from .records import Application

FIELDS = ("机关", "编号", "申请人", "收到日期", "申请内容", "办理结果", "依据", "答复日期", "救济途径")

# what the letter says for each group of outcomes, before the basis
_DECISION: dict[str, str] = {
    "disclosed": "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开，现将有关信息提供给您。",
    "partially_disclosed": "经审查，您申请获取的政府信息中含有不应当公开的内容，本机关对可以公开的部分予以提供。",
    "withheld": "经审查，您申请获取的政府信息属于不予公开的范围（{outcome}），本机关决定不予公开。",
    "unavailable": "经审查，本机关无法提供您申请获取的政府信息（{outcome}）。",
    "not_processed": "经审查，您的申请不属于政府信息公开申请的处理范围（{outcome}），本机关不作为政府信息公开申请处理。",
    "other.no_correction": "本机关于{correction}向您发出补正告知，您无正当理由逾期未补正，本机关不再处理您的政府信息公开申请。",
    "other.unpaid_fee": "本机关于{fee}向您发出收费通知，您逾期未按要求缴纳信息处理费，本机关不再处理您的政府信息公开申请。",
    "other.other": "{outcome}。",
}


class LetterError(GongkaiError):
    code = "letter"


def _cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def decision_text(app: Application) -> str:
    o = app.outcome or ""
    text = _DECISION.get(o) or _DECISION.get(o.split(".")[0], "{outcome}。")
    shown = "申请人撤回申请，本机关终止办理" if app.withdrawn else (outcome_label(o) if o else "")
    return text.format(outcome=shown, correction=_cn_date(app.correction_requested), fee=_cn_date(app.fee_notice))


def context(app: Application, body: str) -> dict[str, str]:
    if app.answered is None or app.outcome is None:
        raise LetterError(f"申请 {app.number} 尚未办结（没有答复日期和办理结果），不能生成答复书")
    return {
        "机关": body,
        "编号": app.number,
        "申请人": app.applicant or "申请人",
        "收到日期": _cn_date(app.received),
        "申请内容": app.content or "",
        "办理结果": decision_text(app),
        "依据": "" if app.withdrawn else f"根据{LETTER_BASIS[app.outcome]}的规定，特此告知。",
        "答复日期": _cn_date(app.answered),
        "救济途径": "" if app.withdrawn else REMEDY_NOTICE,
    }


def default_template() -> bytes:
    """The built-in template as DOCX bytes (one for every outcome: the text is a field)."""
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
    except ImportError:
        raise MissingDependency("生成答复书需要 python-docx 和 docxtpl：pip install 'gongkai[agency]'") from None
    d = docx.Document()
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ 机关 }}\n政府信息公开申请答复书")
    run.bold = True
    d.add_paragraph("编号：{{ 编号 }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("{{ 申请人 }}：")
    d.add_paragraph("本机关于{{ 收到日期 }}收到您提出的政府信息公开申请，申请内容为：{{ 申请内容 }}。")
    d.add_paragraph("{{ 办理结果 }}")
    d.add_paragraph("{{ 依据 }}")
    d.add_paragraph("{{ 救济途径 }}")
    for text in ("{{ 机关 }}", "{{ 答复日期 }}"):
        d.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def template_for(folder: str | Path, app: Application) -> bytes | None:
    """The most specific template of ``folder`` for the case's outcome (key, group, default),
    None when the folder has none of them (the built-in one is used)."""
    o = app.outcome or ""
    names = ["withdrawn.docx"] if app.withdrawn else []
    names += [f"{o}.docx", f"{o.split('.')[0]}.docx", "default.docx"]
    for name in names:
        p = Path(folder) / name
        if p.is_file():
            return p.read_bytes()
    return None


def render_letter(app: Application, body: str, template: bytes | None = None) -> bytes:
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        raise MissingDependency("生成答复书需要 docxtpl：pip install 'gongkai[agency]'") from None
    ctx: dict[str, Any] = context(app, body)
    try:
        doc = DocxTemplate(io.BytesIO(template if template is not None else default_template()))
        doc.render(ctx)
    except Exception as e:  # a damaged file or a broken Jinja field in an edited template
        raise LetterError(f"答复书模板无法使用：{type(e).__name__}: {e}") from None
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
