"""The agency workbench: the disclosure office's records, and the annual report from them.

* ``records``: applications, remedies, documents, yearly counts as plain values;
* ``ledger``: the ledgers of ``shared/spec/ledger.md`` in (CSV, XLSX) and out (template, export);
* ``calendar`` and ``deadlines``: the State Council's working days, the answer due dates;
* ``workflow``: the case state machine (the transition table is ``domain.ledger.ACTIONS``);
* ``compute``, ``narrative``, ``report``: tables 2–4 from the records, the six sections'
  text with the figures in, validation and year-to-year checks;
* ``letters``: reply letters (答复书) from editable DOCX templates;
* ``db``: all of it in the corpus database (needs the ``store`` extra).

Rendering is ``gongkai.render``'s and validation ``gongkai.validate``'s: nothing is re-implemented.
"""

from __future__ import annotations

from .calendar import Arrangement, WorkCalendar
from .compute import Computed, compute, report_format
from .deadlines import CaseRow, Deadline, answer_deadline
from .ledger import LedgerError, LedgerFile, export_xlsx, read_ledger, template_xlsx
from .records import Application, Count, Document, Remedy, state_of
from .report import AgencyReport, Records, make_report
from .workflow import WorkflowError, allowed, apply

__all__ = [
    "AgencyReport",
    "Application",
    "Arrangement",
    "CaseRow",
    "Computed",
    "Count",
    "Deadline",
    "Document",
    "LedgerError",
    "LedgerFile",
    "Records",
    "Remedy",
    "WorkCalendar",
    "WorkflowError",
    "allowed",
    "answer_deadline",
    "apply",
    "compute",
    "export_xlsx",
    "make_report",
    "read_ledger",
    "report_format",
    "state_of",
    "template_xlsx",
]
