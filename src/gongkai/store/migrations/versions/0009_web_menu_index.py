"""the corpus list's region menus: (is_latest, province, city, county)

Revision ID: 0009_web_menu_index
Revises: 0008_errors_reviewed
Create Date: 2026-12-02

The list page's menu of a province's cities (and a city's counties) read every report row of
the province from the table (~420 ms for a province at 100,000 reports): 0007's indexes lead
with province or city alone. This one holds the three, so the menus are index-only.
"""

from __future__ import annotations

from alembic import op

revision = "0009_web_menu_index"
down_revision = "0008_errors_reviewed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_latest_region_menu", "reports", ["is_latest", "province", "city", "county"])


def downgrade() -> None:
    op.drop_index("ix_reports_latest_region_menu", "reports")
