"""Pages and API of the corpus views: who has not published, compare, copied narratives, dashboards."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from ..model import json_number
from .accounts import User
from .auth import require
from .dashboards import chart, charts
from .explore import compare, copy_clusters, unpublished
from .lanes import slow_lane
from .pages import render
from .queries import distinct_values

router = APIRouter()
RIDQ = Query(None, pattern=r"^[0-9a-f]{16}$", description="报告编号")


def _unpublished(
    request: Request, year: int | None, province: str | None, city: str | None, county: str | None
) -> dict[str, Any] | None:
    if not (year and province):
        return None
    return unpublished(request.app.state.engine, year, province, city or None, county or None)


@router.get("/unpublished", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def unpublished_page(
    request: Request,
    user: User = Depends(require("read")),
    year: int | None = Query(None, ge=1990, le=2100),
    province: str | None = Query(None, max_length=50),
    city: str | None = Query(None, max_length=50),
    county: str | None = Query(None, max_length=50),
) -> Response:
    engine = request.app.state.engine
    menus = {
        "provinces": distinct_values(engine, "province"),
        "cities": distinct_values(engine, "city", {"province": province}) if province else [],
        "years": distinct_values(engine, "year"),
    }
    result = _unpublished(request, year, province, city, county)
    return render(
        request,
        "unpublished.html",
        {"result": result, "menus": menus, "q": {"year": year, "province": province, "city": city, "county": county}},
    )


@router.get(
    "/api/unpublished", tags=["语料"], summary="未发布：某地区某年度应发布而没有报告的机关（区划的人民政府与往年发布过的机关）"
)
@slow_lane
def api_unpublished(
    request: Request,
    user: User = Depends(require("read")),
    year: int = Query(..., ge=1990, le=2100),
    province: str = Query(..., max_length=50),
    city: str | None = Query(None, max_length=50),
    county: str | None = Query(None, max_length=50),
) -> dict[str, Any]:
    out = _unpublished(request, year, province, city, county)
    assert out is not None
    out["missing"] = [asdict(m) for m in out["missing"]]
    return out


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, user: User = Depends(require("read")), a: str | None = RIDQ, b: str | None = RIDQ) -> Response:
    result = None
    if a and b:
        result = compare(request.app.state.engine, a, b)
        if result is None:
            raise HTTPException(404, "没有这份报告")
    return render(request, "compare.html", {"result": result, "a": a, "b": b})


def _j(v: Any) -> Any:
    return json_number(v)


@router.get("/api/compare", tags=["语料"], summary="比较两份报告：不同的单元格、结转衔接、正文中相同的段落")
def api_compare(
    request: Request,
    user: User = Depends(require("read")),
    a: str = Query(..., pattern=r"^[0-9a-f]{16}$"),
    b: str = Query(..., pattern=r"^[0-9a-f]{16}$"),
) -> dict[str, Any]:
    result = compare(request.app.state.engine, a, b)
    if result is None:
        raise HTTPException(404, "没有这份报告")
    return {
        "a": result["a"].row.id,
        "b": result["b"].row.id,
        "same_cells": result["same"],
        "cells": [
            {
                "key": c.key,
                "label": c.label,
                "a": _j(c.a),
                "b": _j(c.b),
                "a_corrected": c.a_corrected,
                "b_corrected": c.b_corrected,
            }
            for c in result["cells"]
        ],
        "carry_over": [{k: _j(v) for k, v in x.items()} for x in result["carry"]] if result["carry"] is not None else None,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "copied_chars": s.copied_chars,
                "copied_share": round(s.ratio, 4),
                "copied": [t for t, c in s.b if c],
            }
            for s in result["sections"]
        ],
    }


@router.get("/copies", response_class=HTMLResponse, include_in_schema=False)
def copies_page(request: Request, user: User = Depends(require("read"))) -> Response:
    return render(request, "copies.html", {"clusters": copy_clusters(request.app.state.engine)})


@router.get("/api/copies", tags=["语料"], summary="抄袭文字：近似重复检查找到的报告群")
def api_copies(request: Request, user: User = Depends(require("read"))) -> list[dict[str, Any]]:
    out = copy_clusters(request.app.state.engine)
    for c in out:
        c["reports"] = [{k: v for k, v in m.items()} for m in c["reports"]]
    return out


@router.get("/dashboards", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def dashboards_page(request: Request, user: User = Depends(require("read"))) -> Response:
    return render(request, "dashboards.html", {"charts": charts(request.app.state.engine)})


@router.get("/dashboards/{cid}.csv", include_in_schema=False)
@slow_lane
def chart_csv(
    request: Request, cid: str = PathParam(..., pattern=r"^[a-z-]{1,60}$"), user: User = Depends(require("read"))
) -> Response:
    c = chart(request.app.state.engine, cid)
    if c is None:
        raise HTTPException(404, "没有这个图表")
    return Response(
        c.to_csv(), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{cid}.csv"'}
    )


@router.get("/api/charts", tags=["统计"], summary="统计图表的数据（每个图表的表格）")
@slow_lane
def api_charts(request: Request, user: User = Depends(require("read"))) -> list[dict[str, Any]]:
    return [c.to_json() for c in charts(request.app.state.engine)]
