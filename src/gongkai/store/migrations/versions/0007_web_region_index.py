"""the corpus list's region indexes: (is_latest, province, id) and (is_latest, city, id)

Revision ID: 0007_web_region_index
Revises: 0006_agency
Create Date: 2026-12-02

0005's (is_latest, province, city, county, id) served a province filter but not the list
sorted by region, nor a province's reports in id order for keyset paging (SQLite sorted
them in a temporary B-tree). Two narrower indexes serve both.
"""

from __future__ import annotations

from alembic import op

revision = "0007_web_region_index"
down_revision = "0006_agency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_reports_latest_region", "reports")
    op.create_index("ix_reports_latest_province", "reports", ["is_latest", "province", "id"])
    op.create_index("ix_reports_latest_city", "reports", ["is_latest", "city", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_latest_city", "reports")
    op.drop_index("ix_reports_latest_province", "reports")
    op.create_index("ix_reports_latest_region", "reports", ["is_latest", "province", "city", "county", "id"])
