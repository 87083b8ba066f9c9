"""Random but realistic agency records (the workbench's tests and benchmark).

Each application gets a received day, an applicant type drawn with the skew real tables
show (natural persons most), and a life: perhaps a 补正, a consultation, a fee notice, an
extension, then an answer with a table-3 outcome some working days later, or still open.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ..agency.records import Application, Count, Document, Remedy
from ..domain.labels import T3_OUTCOME_ROWS_2021, T3_PARTS

Date = dt.date
_TYPE_WEIGHTS = (70, 12, 3, 3, 6, 6)
_OUTCOME_WEIGHTS = {k: 1 for k in T3_OUTCOME_ROWS_2021} | {"disclosed": 30, "partially_disclosed": 8, "unavailable.not_held": 12}
_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强")


def _day(rng: random.Random, year: int) -> Date:
    return Date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def random_application(rng: random.Random, number: str, year: int, open_share: float = 0.05) -> Application:
    received = _day(rng, year)
    a = Application(number, received, rng.choices(T3_PARTS, _TYPE_WEIGHTS)[0], channel=rng.choice(("网络", "信函", "当面")))
    a.applicant = rng.choice(_NAMES)
    a.contact = f"139{rng.randrange(10**8):08d}"
    a.content = "申请公开" + rng.choice(("年度预算", "征收补偿方案", "行政处罚决定书", "会议纪要", "项目审批文件"))
    t = received
    if rng.random() < 0.08:
        a.correction_requested = t = t + dt.timedelta(days=rng.randint(1, 6))
        if rng.random() < 0.2:  # never came back
            a.answered = t + dt.timedelta(days=rng.randint(16, 40))
            a.outcome = "other.no_correction"
            return a
        a.correction_received = t = t + dt.timedelta(days=rng.randint(1, 14))
    if rng.random() < 0.06:
        a.consult_start = t = t + dt.timedelta(days=rng.randint(1, 10))
        a.consult_end = t = t + dt.timedelta(days=rng.randint(3, 20))
    if rng.random() < 0.03:
        a.fee_notice = t = t + dt.timedelta(days=rng.randint(1, 10))
        if rng.random() < 0.3:
            a.answered = t + dt.timedelta(days=rng.randint(25, 40))
            a.outcome = "other.unpaid_fee"
            return a
        a.fee_paid = t = t + dt.timedelta(days=rng.randint(1, 15))
    if rng.random() < 0.05:
        a.extension_days = rng.randint(5, 20)
    a.handler = rng.choice(_NAMES[:4])
    if rng.random() < open_share:
        return a
    a.answered = t + dt.timedelta(days=rng.randint(1, 40))
    outcome = rng.choices(list(_OUTCOME_WEIGHTS), list(_OUTCOME_WEIGHTS.values()))[0]
    if outcome in ("other.no_correction", "other.unpaid_fee"):
        outcome = "other.other"
    a.outcome = outcome
    a.withdrawn = outcome == "other.other" and rng.random() < 0.5
    return a


def random_records(rng: random.Random, years: tuple[int, ...], per_year: int) -> dict[str, list[object]]:
    apps, remedies, docs, counts = [], [], [], []
    for y in years:
        for i in range(per_year):
            apps.append(random_application(rng, f"{y}-{i + 1:05d}", y))
        for i in range(rng.randint(0, max(1, per_year // 20))):
            base = rng.choice(apps)
            kind = rng.choices(("review", "litigation_direct", "litigation_after_review"), (6, 3, 1))[0]
            got = _day(rng, y)
            if rng.random() < 0.8:
                result = rng.choices(("upheld", "corrected", "other"), (6, 2, 2))[0]
                remedies.append(Remedy(f"复{y}-{i + 1}", kind, got, base.number, result, got + dt.timedelta(days=rng.randint(10, 120))))
            else:
                remedies.append(Remedy(f"复{y}-{i + 1}", kind, got, base.number))
        for i in range(rng.randint(0, 6)):
            issued = _day(rng, y)
            repealed = issued + dt.timedelta(days=rng.randint(100, 1500)) if rng.random() < 0.3 else None
            kind = "regulations" if rng.random() < 0.15 else "normative_docs"
            docs.append(Document(f"文〔{y}〕{i + 1}号", kind, issued, f"关于{y}年第{i + 1}项工作的通知", repealed))
        for item in ("t2.licensing.decisions", "t2.punishment.decisions", "t2.enforcement.decisions"):
            if rng.random() < 0.9:
                counts.append(Count(y, item, rng.randint(0, 3000)))
        if rng.random() < 0.8:
            counts.append(Count(y, "t2.fees.amount", Decimal(rng.randint(0, 100000)) / 100))
    for c in counts:
        if isinstance(c.value, Decimal) and c.value == c.value.to_integral_value():
            c.value = int(c.value)
    return {"cases": apps, "remedies": remedies, "documents": docs, "counts": counts}
