"""The corpus list page: search, filters, sorting, keyset paging."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.stats import BODY_TYPES
from .accounts import User
from .auth import require
from .pages import render
from .queries import SORTS, ReportFilter, distinct_values, list_reports

router = APIRouter()
FINDING_FILTERS = {
    "errors": "有错误",
    "clean": "无错误",
    "extraction": "有识别问题",
    "corrected": "有人工更正",
    "conflicts": "更正与新解析不一致",
}
FORMATS = {"2021": "2021 年格式", "2019": "2019 年格式", "pre2019": "2019 年以前"}


def report_filter(
    q: str | None = Query(None, max_length=100, description="机关名称或标题中的文字"),
    body: str | None = Query(None, max_length=200, description="机关（规范名），精确匹配"),
    province: str | None = Query(None, max_length=50),
    city: str | None = Query(None, max_length=50),
    county: str | None = Query(None, max_length=50),
    year: int | None = Query(None, ge=1990, le=2100),
    format: str | None = Query(None, pattern="^(2019|2021|pre2019)$"),
    body_type: str | None = Query(None, pattern="^(government|general_office|department|township|other)$"),
    findings: str | None = Query(
        None,
        pattern="^(errors|clean|extraction|corrected|conflicts)$",
        description="errors、clean、extraction、corrected、conflicts",
    ),
    all_versions: bool = Query(False, description="包括旧版本"),
) -> ReportFilter:
    return ReportFilter(
        q or None,
        body or None,
        province or None,
        city or None,
        county or None,
        year,
        format or None,
        body_type or None,
        findings or None,
        all_versions,
    )


def page_of_reports(
    request: Request, f: ReportFilter, sort: str, order: str, after: str | None, before: str | None, limit: int
) -> dict[str, Any]:
    try:
        return list_reports(request.app.state.engine, f, sort, order != "asc", after, before, limit)
    except ValueError as e:
        raise HTTPException(400, str(e)) from None


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(
    request: Request,
    user: User = Depends(require("read")),
    f: ReportFilter = Depends(report_filter),
    sort: str = Query("year", pattern="^(year|body|region|errors|ingested)$"),
    order: str = Query("desc", pattern="^(asc|desc)$"),
    after: str | None = Query(None, max_length=400),
    before: str | None = Query(None, max_length=400),
) -> Response:
    page = page_of_reports(request, f, sort, order, after, before, 50)
    engine = request.app.state.engine
    menus = {
        "provinces": distinct_values(engine, "province"),
        "cities": distinct_values(engine, "city", {"province": f.province}) if f.province else [],
        "counties": distinct_values(engine, "county", {"province": f.province, "city": f.city}) if f.city else [],
        "years": distinct_values(engine, "year"),
    }
    args = f.query_args()
    return render(
        request,
        "reports.html",
        {
            "page": page,
            "f": f,
            "args": args,
            "sort": sort,
            "order": order,
            "sorts": SORTS,
            "menus": menus,
            "body_types": BODY_TYPES,
            "finding_filters": FINDING_FILTERS,
            "formats": FORMATS,
        },
    )
