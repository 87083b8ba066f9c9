"""SQL views for people browsing the database (datasette gongkai.db, psql, DBeaver)

Revision ID: 0002_views
Revises: 0001_initial
Create Date: 2025-01-01

Plain SQL that SQLite and PostgreSQL read alike: ``1.0 *`` makes the division exact on
both, and ``is_latest`` is used bare because it is a boolean on PostgreSQL and 0/1 on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "0002_views"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _cell(alias: str, key: str) -> str:
    return f"LEFT JOIN cells {alias} ON {alias}.report_id = r.id AND {alias}.key = '{key}'"


REPORT_SUMMARY = f"""
CREATE VIEW report_summary AS
SELECT r.id, r.issuing_body, r.normalized_body, r.province, r.city, r.county, r.body_type,
       r.year, r.format, r.publication_date, r.version,
       rc.value AS received_total,
       th.value AS total_handled,
       ds.value AS disclosed,
       CASE WHEN th.value > 0 THEN ROUND(1.0 * ds.value / th.value, 4) END AS disclosed_rate,
       r.n_cells, r.n_errors, r.path
FROM reports r
{_cell("rc", "t3.received.total")}
{_cell("th", "t3.total_handled.total")}
{_cell("ds", "t3.disclosed.total")}
WHERE r.is_latest
"""

FINDING_COUNTS = """
CREATE VIEW finding_counts AS
SELECT f.source, f.rule, f.severity, COUNT(*) AS n
FROM findings f
LEFT JOIN reports r ON r.id = f.report_id
WHERE f.report_id IS NULL OR r.is_latest
GROUP BY f.source, f.rule, f.severity
"""

CORPUS_FINDINGS = """
CREATE VIEW corpus_findings AS
SELECT f.id, f.body, f.rule, f.severity, f.message, f.report_ids, f.cells, f.expected, f.found
FROM findings f
WHERE f.source = 'corpus'
"""


def upgrade() -> None:
    op.execute(REPORT_SUMMARY)
    op.execute(FINDING_COUNTS)
    op.execute(CORPUS_FINDINGS)


def downgrade() -> None:
    for name in ("corpus_findings", "finding_counts", "report_summary"):
        op.execute(f"DROP VIEW {name}")
