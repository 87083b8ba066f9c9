"""the corpus list's sort indexes hold the filter columns; the list sorted by ingest time

Revision ID: 0010_web_list_indexes
Revises: 0009_web_menu_index
Create Date: 2026-12-03

The corpus list sorted by one column and filtered by another (format, body type, "with
extraction problems", a year with the sort by body, ...) walked the sort's index in order and
read each report's table row to test the filter: ~300 ms at 100,000 reports, 600 ms and a
temporary B-tree for the sort by ingest time, which had no index. Each sort index,
(is_latest, column, id), now carries the filter columns after the id: the order is the same
(the id is unique), the filters are tested in the index and only the rows of the page are
read from the table (index-only for the count). A new one serves the sort by ingested_at.

SQLite plans by the statistics of ANALYZE where a database has them (sqlite_stat1): dropping
an index drops its rows, so a database that had statistics gets them again for reports.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_web_list_indexes"
down_revision = "0009_web_menu_index"
branch_labels = None
depends_on = None

FILTERS = ("year", "province", "city", "county", "format", "body_type", "n_errors_reviewed", "n_extraction")
SORTS = {  # index -> its sort column
    "ix_reports_latest_year": "year",
    "ix_reports_latest_province": "province",
    "ix_reports_latest_body": "normalized_body",
    "ix_reports_latest_errors": "n_errors_reviewed",
}


def _has_statistics() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return True  # PostgreSQL keeps statistics of every table (autovacuum)
    return bind.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first() is not None


def _analyze() -> None:
    if _has_statistics():
        op.execute("ANALYZE reports")


def upgrade() -> None:
    for name, col in SORTS.items():
        op.drop_index(name, "reports")
        op.create_index(name, "reports", ["is_latest", col, "id", *(f for f in FILTERS if f != col)])
    op.create_index("ix_reports_latest_ingested", "reports", ["is_latest", "ingested_at", "id", *FILTERS])
    _analyze()


def downgrade() -> None:
    op.drop_index("ix_reports_latest_ingested", "reports")
    for name, col in SORTS.items():
        op.drop_index(name, "reports")
        op.create_index(name, "reports", ["is_latest", col, "id"])
    _analyze()
