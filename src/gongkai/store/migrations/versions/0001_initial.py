"""initial corpus schema: sources, reports, cells, sections, findings, failures, narratives

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(16)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", ID, primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("media_type", sa.String(120)),
        sa.Column("size", sa.BigInteger),
        sa.Column("fetched_at", sa.DateTime),
        sa.Column("parsed_at", sa.DateTime),
    )
    op.create_table(
        "source_paths",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), primary_key=True),
        sa.Column("seen_at", sa.DateTime),
    )
    op.create_table(
        "reports",
        sa.Column("id", ID, primary_key=True),
        sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("lineage", ID, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("is_latest", sa.Boolean, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("issuing_body", sa.Text),
        sa.Column("normalized_body", sa.Text),
        sa.Column("province", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("county", sa.Text),
        sa.Column("division_code", sa.String(12)),
        sa.Column("body_type", sa.Text),
        sa.Column("year", sa.Integer),
        sa.Column("format", sa.String(8)),
        sa.Column("publication_date", sa.String(10)),
        sa.Column("media_type", sa.String(120)),
        sa.Column("script", sa.String(16)),
        sa.Column("encoding", sa.String(32)),
        sa.Column("n_cells", sa.Integer, nullable=False),
        sa.Column("n_errors", sa.Integer, nullable=False),
        sa.Column("n_extraction", sa.Integer, nullable=False),
        sa.Column("confidence", sa.JSON),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_body_year", "reports", ["normalized_body", "year"])
    op.create_index("ix_reports_lineage", "reports", ["lineage", "version"])
    op.create_index("ix_reports_source", "reports", ["source_id"])
    op.create_table(
        "cells",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Numeric(20, 4)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("raw", sa.Text),
        sa.Column("unit", sa.String(16)),
        sa.Column("provenance", sa.JSON),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "sections",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id")),
        sa.Column("report_ids", sa.JSON),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("tbl", sa.String(4)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("cells", sa.JSON),
        sa.Column("expected", sa.Text),
        sa.Column("found", sa.Text),
        sa.Column("body", sa.Text),
    )
    op.create_index("ix_findings_report", "findings", ["report_id"])
    op.create_index("ix_findings_rule", "findings", ["source", "rule"])
    op.create_table(
        "failures",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_table(
        "narrative_bands",
        sa.Column("band_key", sa.Text, primary_key=True),
        sa.Column("section", sa.String(32), primary_key=True),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "narrative_minhash",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("section", sa.String(32), primary_key=True),
        sa.Column("hashvalues", sa.LargeBinary, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for name in (
        "narrative_minhash",
        "narrative_bands",
        "failures",
        "findings",
        "sections",
        "cells",
        "reports",
        "source_paths",
        "sources",
    ):
        op.drop_table(name)
