"""The app's routers, in the order they are included (``app.create_app``)."""

from __future__ import annotations

from fastapi import APIRouter

from . import admin_pages, api, corpus_pages, explore_pages, report_pages, upload_pages

ROUTERS: list[APIRouter] = [
    admin_pages.router,
    report_pages.router,
    corpus_pages.router,
    api.router,
    api.page_router,
    upload_pages.router,
    explore_pages.router,
]
