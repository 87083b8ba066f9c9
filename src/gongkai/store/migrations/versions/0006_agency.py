"""the agency workbench: applications, remedies, documents, counts, disclosures, the case
timeline, the audit log, due-date changes, the working-day calendar, narratives

Revision ID: 0006_agency
Revises: 0005_web
Create Date: 2026-12-02

The records an agency keeps (``shared/spec/ledger.md``), per body. Nothing is deleted: a
record is voided with a reason, and every change is logged in ``agency_audit``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006_agency"
down_revision = "0005_web"
branch_labels = None
depends_on = None

NUM = sa.Numeric(20, 4)


def _voidable() -> list[sa.Column[Any]]:
    return [
        sa.Column("extra", sa.JSON),
        sa.Column("voided_at", sa.DateTime),
        sa.Column("void_reason", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    ]


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "agency_applications",
        _id(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("applicant_type", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("applicant", sa.Text),
        sa.Column("contact", sa.Text),
        sa.Column("content", sa.Text),
        sa.Column("correction_requested", sa.Date),
        sa.Column("correction_received", sa.Date),
        sa.Column("consult_start", sa.Date),
        sa.Column("consult_end", sa.Date),
        sa.Column("fee_notice", sa.Date),
        sa.Column("fee_paid", sa.Date),
        sa.Column("extension_days", sa.Integer),
        sa.Column("answered", sa.Date),
        sa.Column("outcome", sa.String(40)),
        sa.Column("handler", sa.Text),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("provisional", sa.Boolean, nullable=False),
        *_voidable(),
        sa.UniqueConstraint("body", "number", name="uq_agency_applications_number"),
    )
    op.create_index("ix_agency_applications_state", "agency_applications", ["body", "state"])
    op.create_table(
        "agency_remedies",
        _id(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("application", sa.Text),
        sa.Column("received", sa.Date, nullable=False),
        sa.Column("result", sa.String(16)),
        sa.Column("concluded", sa.Date),
        *_voidable(),
        sa.UniqueConstraint("body", "number", name="uq_agency_remedies_number"),
    )
    op.create_table(
        "agency_documents",
        _id(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("issued", sa.Date, nullable=False),
        sa.Column("repealed", sa.Date),
        *_voidable(),
        sa.UniqueConstraint("body", "number", name="uq_agency_documents_number"),
    )
    op.create_table(
        "agency_counts",
        _id(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("value", NUM, nullable=False),
        *_voidable(),
        sa.UniqueConstraint("body", "year", "item", name="uq_agency_counts_item"),
    )
    op.create_table(
        "agency_disclosures",
        _id(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("channel", sa.Text),
        sa.Column("published_on", sa.Date),
        sa.Column("catalogue", sa.Text),
        sa.Column("drafter", sa.Text),
        sa.Column("drafted_at", sa.DateTime),
        sa.Column("reviewer", sa.Text),
        sa.Column("reviewed_at", sa.DateTime),
        sa.Column("publisher", sa.Text),
        sa.Column("published_at", sa.DateTime),
        *_voidable(),
    )
    op.create_index("ix_agency_disclosures_body", "agency_disclosures", ["body", "published_on"])
    op.create_table(
        "agency_events",
        _id(),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("agency_applications.id"), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_agency_events_application", "agency_events", ["application_id"])
    op.create_table(
        "agency_audit",
        _id(),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("tbl", sa.String(32), nullable=False),
        sa.Column("record_key", sa.Text),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_agency_audit_record", "agency_audit", ["body", "tbl", "record_key"])
    op.create_table(
        "agency_due_log",
        _id(),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("agency_applications.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("previous", sa.Date),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_agency_due_log_application", "agency_due_log", ["application_id"])
    op.create_table(
        "agency_calendar_years",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("entered_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "agency_calendar_days",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text),
    )
    op.create_table(
        "agency_narratives",
        sa.Column("body", sa.Text, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("section", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.Text),
    )


def downgrade() -> None:
    for name in (
        "agency_narratives", "agency_calendar_days", "agency_calendar_years", "agency_due_log", "agency_audit",
        "agency_events", "agency_disclosures", "agency_counts", "agency_documents", "agency_remedies", "agency_applications",
    ):  # fmt: skip
        op.drop_table(name)
