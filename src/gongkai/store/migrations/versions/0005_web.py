"""the web app: users, sessions, API tokens, corrections, dismissals, review state, audit log, uploads

Revision ID: 0005_web
Revises: 0004_report_rows
Create Date: 2026-12-02

``gongkai serve`` keeps people's work next to what the parser read: a correction or a
dismissal is a row of its own (never an update of report_cells), written in one
transaction with its audit_log row. Three indexes on reports serve the corpus list's
filters and keyset paging.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_web"
down_revision = "0004_report_rows"
branch_labels = None
depends_on = None

ID = sa.String(16)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_id"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("parsed", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_corrections_report", "corrections", ["report_id", "key", "id"])
    op.create_table(
        "dismissals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dismissals_report", "dismissals", ["report_id", "fingerprint", "id"])
    op.create_table(
        "report_review",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("n_errors", sa.Integer, nullable=False),
        sa.Column("n_corrections", sa.Integer, nullable=False),
        sa.Column("n_dismissed", sa.Integer, nullable=False),
        sa.Column("n_conflicts", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("size", sa.BigInteger),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("report_id", ID),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
    )
    op.create_index("ix_uploads_batch", "uploads", ["batch", "id"])
    op.create_index("ix_uploads_status", "uploads", ["status"])
    op.create_index("ix_reports_latest_year", "reports", ["is_latest", "year", "id"])
    op.create_index("ix_reports_latest_region", "reports", ["is_latest", "province", "city", "county", "id"])
    op.create_index("ix_reports_latest_body", "reports", ["is_latest", "normalized_body", "id"])


def downgrade() -> None:
    for name in ("ix_reports_latest_body", "ix_reports_latest_region", "ix_reports_latest_year"):
        op.drop_index(name, "reports")
    for table in ("uploads", "audit_log", "report_review", "dismissals", "corrections", "api_tokens", "web_sessions", "users"):
        op.drop_table(table)
