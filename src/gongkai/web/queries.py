"""The corpus list: filters, sorting and keyset paging over ``reports``.

Keyset (seek) paging, not OFFSET: a page after the 5,000th costs what the first costs. The
cursor is the last row's (sort value, id); the next page is the rows after it in the
(sort value, id) order, which an index on (is_latest, column, id) serves directly
(migration 0005). NULLs sort first ascending on SQLite and last on PostgreSQL; the seek
condition follows the backend's order, so no COALESCE hides the column from its index.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..store.schema import report_review, reports

SORTS: dict[str, tuple[str, str]] = {  # name -> (column, Chinese label)
    "year": ("year", "年度"),
    "body": ("normalized_body", "机关"),
    "region": ("province", "地区"),
    "errors": ("n_errors_reviewed", "错误数"),  # after corrections and dismissals (0008)
    "ingested": ("ingested_at", "入库时间"),
}
PAGE = 50
MAX_PAGE = 500
# The first page's total is counted up to this many reports, beyond it "more than": a count
# reads every matching index entry (~15 ms per 100,000 on the development machine), the page
# itself only its 51 rows.
COUNT_LIMIT = 10_000
_ID = re.compile(r"[0-9a-f]{16}")


@dataclass(slots=True)
class ReportFilter:
    q: str | None = None  # part of the body's name or the title
    body: str | None = None  # the normalized body, exactly
    province: str | None = None
    city: str | None = None
    county: str | None = None
    year: int | None = None
    format: str | None = None
    body_type: str | None = None
    findings: str | None = None  # "errors" | "clean" | "extraction" | "corrected" | "conflicts"
    all_versions: bool = False

    def query_args(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, "", False)}


def _conditions(f: ReportFilter) -> list[Any]:
    r, rv = reports.c, report_review.c
    out: list[Any] = []
    if not f.all_versions:
        out.append(r.is_latest.is_(True))
    if f.q:
        like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        out.append(
            sa.or_(
                r.normalized_body.like(like, escape="\\"), r.issuing_body.like(like, escape="\\"), r.title.like(like, escape="\\")
            )
        )
    for name in ("body", "province", "city", "county", "year", "format", "body_type"):
        v = getattr(f, name)
        if v not in (None, ""):
            out.append((r.normalized_body if name == "body" else r[name]) == v)
    errors = r.n_errors_reviewed  # stored and indexed (0008): no review join for these two
    if f.findings == "errors":
        out.append(errors > 0)
    elif f.findings == "clean":
        out.append(errors == 0)
    elif f.findings == "extraction":
        out.append(r.n_extraction > 0)
    elif f.findings == "corrected":
        out.append(rv.n_corrections > 0)
    elif f.findings == "conflicts":
        out.append(rv.n_conflicts > 0)
    return out


def encode_cursor(value: Any, rid: str) -> str:
    if hasattr(value, "isoformat"):
        value = value.isoformat(" ", "microseconds")
    return base64.urlsafe_b64encode(json.dumps([value, rid], ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[Any, str] | None:
    if not cursor:
        return None
    try:
        value, rid = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise ValueError("翻页参数无效") from None
    if not isinstance(rid, str) or not _ID.fullmatch(rid) or not (value is None or isinstance(value, int | str)):
        raise ValueError("翻页参数无效")
    return value, rid


def _seek(col: Any, idc: Any, value: Any, rid: str, descending: bool, nulls_first_asc: bool) -> Any:
    """Rows after (value, rid) in the order (col, id), both ascending or both descending."""
    nulls_first = nulls_first_asc != descending  # DESC reverses where the backend puts NULLs
    past = (lambda a, b: a < b) if descending else (lambda a, b: a > b)
    if value is None:
        cond = sa.and_(col.is_(None), past(idc, rid))
        return sa.or_(cond, col.is_not(None)) if nulls_first else cond
    cond = sa.or_(past(col, value), sa.and_(col == value, past(idc, rid)))
    return cond if nulls_first else sa.or_(cond, col.is_(None))


def list_reports(
    engine: Engine,
    f: ReportFilter,
    sort: str = "year",
    descending: bool = True,
    after: str | None = None,
    before: str | None = None,
    limit: int = PAGE,
    count: bool = True,
) -> dict[str, Any]:
    """One page of reports: {"items", "next", "prev", "total", "total_over"}.

    ``total`` is the number of matching reports, counted on the first page only and up to
    COUNT_LIMIT; beyond that it is None and ``total_over`` is COUNT_LIMIT ("more than")."""
    if sort not in SORTS:
        raise ValueError(f"未知的排序：{sort}（可选 {'、'.join(SORTS)}）")
    limit = max(1, min(limit, MAX_PAGE))
    r, rv = reports.c, report_review.c
    col = r[SORTS[sort][0]]
    source = reports.outerjoin(report_review, rv.report_id == r.id)
    conds = _conditions(f)
    nulls_first_asc = engine.dialect.name == "sqlite"
    backwards = before is not None and after is None
    cur = decode_cursor(before if backwards else after)
    order_desc = descending != backwards
    if cur is not None:
        conds.append(_seek(col, r.id, cur[0], cur[1], order_desc, nulls_first_asc))
    order = [col.desc(), r.id.desc()] if order_desc else [col.asc(), r.id.asc()]
    q = (
        sa.select(
            r.id,
            r.title,
            r.issuing_body,
            r.normalized_body,
            r.province,
            r.city,
            r.county,
            r.body_type,
            r.year,
            r.format,
            r.media_type,
            r.version,
            r.is_latest,
            r.n_cells,
            r.n_extraction,
            r.ingested_at,
            r.n_errors_reviewed.label("n_errors"),
            r.n_errors.label("n_errors_parsed"),
            sa.func.coalesce(rv.n_corrections, 0).label("n_corrections"),
            sa.func.coalesce(rv.n_conflicts, 0).label("n_conflicts"),
        )
        .select_from(source)
        .where(*conds)
        .order_by(*order)
        .limit(limit + 1)
    )
    with engine.connect() as conn:
        rows = [dict(x._mapping) for x in conn.execute(q)]
        total = over = None
        if count and cur is None:  # counted on the first page only; later pages carry no total
            # the review join only when a filter reads it: a count of reports alone is an index count
            counted = source if f.findings in ("corrected", "conflicts") else reports
            upto = sa.select(sa.literal(1)).select_from(counted).where(*_conditions(f)).limit(COUNT_LIMIT + 1).subquery()
            total = conn.execute(sa.select(sa.func.count()).select_from(upto)).scalar_one()
            if total > COUNT_LIMIT:
                total, over = None, COUNT_LIMIT
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    key = "n_errors" if sort == "errors" else SORTS[sort][0]  # the errors column is labelled n_errors
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    nxt = encode_cursor(last[key], last["id"]) if last and (more or backwards) else None
    prv = encode_cursor(first[key], first["id"]) if first and (cur is not None and (not backwards or more)) else None
    return {"items": rows, "next": nxt, "prev": prv, "total": total, "total_over": over}


def query_plan(engine: Engine, f: ReportFilter, sort: str = "year", descending: bool = True) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of the list query's first page (for the benchmark and tests)."""
    r, rv = reports.c, report_review.c
    col = r[SORTS[sort][0]]
    q = (
        sa.select(r.id)
        .select_from(reports.outerjoin(report_review, rv.report_id == r.id))
        .where(*_conditions(f))
        .order_by(col.desc() if descending else col.asc(), r.id.desc() if descending else r.id.asc())
        .limit(PAGE + 1)
    )
    sql = str(q.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


@functools.cache
def _menu(column: str, where: tuple[str, ...], limit: int) -> Any:
    """The loose index scan of ``distinct_values``, built once per shape (the ``where``
    columns' values bound at run time): a recursive select costs more to make than to run."""
    r = reports.c
    col = r[column]
    conds = [r.is_latest.is_(True)] + [r[k] == sa.bindparam(k) for k in where]
    seen = sa.select(sa.func.min(col).label("v")).where(*conds, col.is_not(None)).cte("seen", recursive=True)
    after = sa.select(sa.func.min(col)).where(*conds, col > seen.c.v).scalar_subquery()
    seen = seen.union_all(sa.select(after).where(seen.c.v.is_not(None)))
    return sa.select(seen.c.v).where(seen.c.v.is_not(None)).limit(limit)


def distinct_values(engine: Engine, column: str, where: dict[str, Any] | None = None, limit: int = 500) -> list[Any]:
    """Values of a reports column among latest reports (for filter menus), in order.

    A loose index scan: each value is the least one above the last, one seek of the index
    led by (is_latest, [the ``where`` columns,] column) per value, so a menu of 30 provinces
    costs 30 seeks, not a read of every report's index entry (a GROUP BY walked all
    100,000: ~20 ms a menu, two to four menus a list page)."""
    bound = {k: v for k, v in (where or {}).items() if v not in (None, "")}
    with engine.connect() as conn:
        return list(conn.execute(_menu(column, tuple(sorted(bound)), limit), bound).scalars())
