"""reports.n_errors_reviewed: errors after corrections and dismissals, stored and indexed

Revision ID: 0008_errors_reviewed
Revises: 0007_web_region_index
Create Date: 2026-12-02

The corpus list sorted by errors, or filtered to reports with errors, read
``COALESCE(report_review.n_errors, reports.n_errors)`` for every report (an outer join on the
whole table, ~2 s at 100,000 reports). The count now lives on ``reports`` itself: the writer
sets it to ``n_errors`` when a report is stored, and ``store.corrections.refresh_review``
updates it in the same transaction as the correction, dismissal or re-parse that changes it.
An index on (is_latest, n_errors_reviewed, id) serves the sort, the filter and keyset paging.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_errors_reviewed"
down_revision = "0007_web_region_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reports", sa.Column("n_errors_reviewed", sa.Integer, nullable=False, server_default="0"))
    op.execute(
        "UPDATE reports SET n_errors_reviewed = COALESCE("
        "(SELECT report_review.n_errors FROM report_review WHERE report_review.report_id = reports.id), reports.n_errors)"
    )
    op.create_index("ix_reports_latest_errors", "reports", ["is_latest", "n_errors_reviewed", "id"])


def downgrade() -> None:
    op.drop_index("ix_reports_latest_errors", "reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("n_errors_reviewed")
