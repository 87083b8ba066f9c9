"""report_figures: the cells the statistics and dashboards add up, a small row per report

Revision ID: 0011_report_figures
Revises: 0010_web_list_indexes
Create Date: 2026-12-03

The corpus statistics (``gongkai stats``) and the web app's dashboards add up 33 cells of
each latest report. They looked them up in ``report_cells.cell_values``, which sits beside
``cell_details`` in a ~25 kB row: one pass over 100,000 reports read most of a 4 GB
database (164 s with a cold cache, 21 s of CPU). The writer now copies those cells into a
row of their own (``figures``: the same JSON, null = blank, a key the report does not show
is absent); existing reports get theirs here, from their stored cells.

``KEYS`` is ``domain.stats.FIGURE_KEYS`` as of this revision: a later change of that set
needs a migration that fills the table again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011_report_figures"
down_revision = "0010_web_list_indexes"
branch_labels = None
depends_on = None

ID = sa.String(16)
JSONB = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

KEYS = (
    "t3.disclosed.total",
    "t3.not_processed.confirmation.total",
    "t3.not_processed.duplicate.total",
    "t3.not_processed.excessive.total",
    "t3.not_processed.petition.total",
    "t3.not_processed.publication.total",
    "t3.other.no_correction.total",
    "t3.other.other.total",
    "t3.other.total",
    "t3.other.unpaid_fee.total",
    "t3.partially_disclosed.total",
    "t3.received.total",
    "t3.total_handled.total",
    "t3.unavailable.needs_creation.total",
    "t3.unavailable.not_held.total",
    "t3.unavailable.unclear.total",
    "t3.withheld.enforcement_file.total",
    "t3.withheld.inquiry.total",
    "t3.withheld.internal_affairs.total",
    "t3.withheld.process_info.total",
    "t3.withheld.prohibited_by_law.total",
    "t3.withheld.security_stability.total",
    "t3.withheld.state_secret.total",
    "t3.withheld.third_party.total",
    "t4.litigation_after_review.corrected",
    "t4.litigation_after_review.other",
    "t4.litigation_after_review.upheld",
    "t4.litigation_direct.corrected",
    "t4.litigation_direct.other",
    "t4.litigation_direct.upheld",
    "t4.review.corrected",
    "t4.review.other",
    "t4.review.upheld",
)

FILL = {
    "sqlite": """
INSERT INTO report_figures (report_id, figures)
SELECT rc.report_id,
       COALESCE((SELECT json_group_object(v.key, v.value) FROM json_each(rc.cell_values) v WHERE v.key IN ({keys})), '{{}}')
FROM report_cells rc
""",
    "postgresql": """
INSERT INTO report_figures (report_id, figures)
SELECT rc.report_id,
       COALESCE((SELECT jsonb_object_agg(v.key, v.value) FROM jsonb_each(rc.cell_values) v WHERE v.key IN ({keys})), '{{}}'::jsonb)
FROM report_cells rc
""",
}


def upgrade() -> None:
    op.create_table(
        "report_figures",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("figures", JSONB, nullable=False),
    )
    dialect = op.get_bind().dialect.name
    op.execute(FILL[dialect].format(keys=", ".join(f"'{k}'" for k in KEYS)))


def downgrade() -> None:
    op.drop_table("report_figures")
