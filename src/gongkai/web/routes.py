"""The app's routers, in the order they are included (``app.create_app``)."""

from __future__ import annotations

from fastapi import APIRouter

from . import admin_pages, report_pages

ROUTERS: list[APIRouter] = [admin_pages.router, report_pages.router]
