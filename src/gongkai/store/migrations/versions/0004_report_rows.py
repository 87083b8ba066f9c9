"""one row of cells per report (report_cells, with a cells view); band keys without an index

Revision ID: 0004_report_rows
Revises: 0003_source_paths_by_source
Create Date: 2025-01-03

Ingest speed. A report is ~200 cells; as one row each they cost the writer ~1.5 ms a report,
more than the parse will. ``report_cells`` holds them as two JSON objects keyed by cell key
(``cell_values``: the numbers, ``cell_details``: status, raw text, unit, provenance), and
the view ``cells`` shows them in long form with the old table's columns, so SQL over
``cells`` keeps working. ``narrative_bands`` loses its clustered key: inserting 16 hashed
keys a report into a B-tree was a random page write each, growing with the corpus; the
near-duplicate pass sorts the table when it runs instead. On SQLite, ``sections`` and
``narrative_minhash`` get rowids: their rows are appended and only the primary-key index
is written in hash order (clustered by the hashed report id, a report's text split pages).

Existing rows are carried over; ``report_summary`` reads report_cells.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_report_rows"
down_revision = "0003_source_paths_by_source"
branch_labels = None
depends_on = None

ID = sa.String(16)
JSONB = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

CELLS_VIEW = {
    "sqlite": """
CREATE VIEW cells AS
SELECT rc.report_id AS report_id, v.key AS key, v.value AS value,
       json_extract(rc.cell_details, '$."' || v.key || '".status') AS status,
       json_extract(rc.cell_details, '$."' || v.key || '".raw') AS raw,
       json_extract(rc.cell_details, '$."' || v.key || '".unit') AS unit,
       json_extract(rc.cell_details, '$."' || v.key || '".provenance') AS provenance
FROM report_cells rc, json_each(rc.cell_values) v
""",
    "postgresql": """
CREATE VIEW cells AS
SELECT rc.report_id AS report_id, v.key AS key,
       CASE WHEN jsonb_typeof(v.value) = 'number' THEN (v.value #>> '{}')::numeric END AS value,
       rc.cell_details -> v.key ->> 'status' AS status,
       rc.cell_details -> v.key ->> 'raw' AS raw,
       rc.cell_details -> v.key ->> 'unit' AS unit,
       (rc.cell_details -> v.key -> 'provenance')::json AS provenance
FROM report_cells rc CROSS JOIN LATERAL jsonb_each(rc.cell_values) AS v
""",
}

COPY_CELLS = {
    # json_patch onto {} drops the members that are null (RFC 7396), as the writer does
    "sqlite": """
INSERT INTO report_cells (report_id, cell_values, cell_details)
SELECT report_id, json_group_object(key, value),
       json_group_object(key, json_patch('{}', json_object('status', status, 'raw', raw, 'unit', unit,
                                                           'provenance', json(provenance))))
FROM (SELECT * FROM cells ORDER BY report_id, key) GROUP BY report_id
""",
    "postgresql": """
INSERT INTO report_cells (report_id, cell_values, cell_details)
SELECT report_id, jsonb_object_agg(key, to_jsonb(value)),
       jsonb_object_agg(key, jsonb_strip_nulls(jsonb_build_object('status', status, 'raw', raw, 'unit', unit,
                                                                  'provenance', provenance::jsonb)))
FROM cells GROUP BY report_id
""",
}


def _value(dialect: str, key: str) -> str:
    if dialect == "postgresql":
        return f"((rc.cell_values ->> '{key}')::numeric)"
    return f"json_extract(rc.cell_values, '$.\"{key}\"')"


def _report_summary(dialect: str) -> str:
    rc, th, ds = (_value(dialect, f"t3.{k}.total") for k in ("received", "total_handled", "disclosed"))
    return f"""
CREATE VIEW report_summary AS
SELECT r.id, r.issuing_body, r.normalized_body, r.province, r.city, r.county, r.body_type,
       r.year, r.format, r.publication_date, r.version,
       {rc} AS received_total,
       {th} AS total_handled,
       {ds} AS disclosed,
       CASE WHEN {th} > 0 THEN ROUND(1.0 * {ds} / {th}, 4) END AS disclosed_rate,
       r.n_cells, r.n_errors, r.path
FROM reports r
LEFT JOIN report_cells rc ON rc.report_id = r.id
WHERE r.is_latest
"""


# report_summary as 0002_views made it, for the downgrade
REPORT_SUMMARY_0002 = """
CREATE VIEW report_summary AS
SELECT r.id, r.issuing_body, r.normalized_body, r.province, r.city, r.county, r.body_type,
       r.year, r.format, r.publication_date, r.version,
       rc.value AS received_total,
       th.value AS total_handled,
       ds.value AS disclosed,
       CASE WHEN th.value > 0 THEN ROUND(1.0 * ds.value / th.value, 4) END AS disclosed_rate,
       r.n_cells, r.n_errors, r.path
FROM reports r
LEFT JOIN cells rc ON rc.report_id = r.id AND rc.key = 't3.received.total'
LEFT JOIN cells th ON th.report_id = r.id AND th.key = 't3.total_handled.total'
LEFT JOIN cells ds ON ds.report_id = r.id AND ds.key = 't3.disclosed.total'
WHERE r.is_latest
"""


def _bands(keyed: bool) -> list[sa.Column[Any]]:
    return [
        sa.Column("band_key", sa.Text, primary_key=keyed, nullable=False),
        sa.Column("section", sa.String(32), primary_key=keyed, nullable=False),
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=keyed, nullable=False),
    ]


def _sections() -> list[sa.Column[Any]]:
    return [
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    ]


def _minhash() -> list[sa.Column[Any]]:
    return [
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("section", sa.String(32), primary_key=True),
        sa.Column("hashvalues", sa.LargeBinary, nullable=False),
    ]


def _rebuild(name: str, columns: list[sa.Column[Any]], with_rowid: bool) -> None:
    """A table again with other keys (SQLite cannot change them in place): new, copy, swap."""
    op.create_table(f"{name}_new", *columns, sqlite_with_rowid=with_rowid)
    names = ", ".join(c.name for c in columns)
    op.execute(f"INSERT INTO {name}_new ({names}) SELECT {names} FROM {name}")
    op.drop_table(name)
    op.rename_table(f"{name}_new", name)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "report_cells",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("cell_values", JSONB, nullable=False),
        sa.Column("cell_details", JSONB, nullable=False),
    )
    op.execute(COPY_CELLS[dialect])
    op.execute("DROP VIEW report_summary")
    op.drop_table("cells")
    op.execute(CELLS_VIEW[dialect])
    op.execute(_report_summary(dialect))
    _rebuild("narrative_bands", _bands(keyed=False), with_rowid=True)
    if dialect == "sqlite":  # appended in arrival order, not clustered by hashed report id
        _rebuild("sections", _sections(), with_rowid=True)
        _rebuild("narrative_minhash", _minhash(), with_rowid=True)


def downgrade() -> None:
    op.create_table(
        "cells_v1",
        sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Numeric(20, 4)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("raw", sa.Text),
        sa.Column("unit", sa.String(16)),
        sa.Column("provenance", sa.JSON),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO cells_v1 (report_id, key, value, status, raw, unit, provenance) "
        "SELECT report_id, key, value, status, raw, unit, provenance FROM cells"
    )
    op.execute("DROP VIEW report_summary")
    op.execute("DROP VIEW cells")
    op.rename_table("cells_v1", "cells")
    op.drop_table("report_cells")
    _rebuild("narrative_bands", _bands(keyed=True), with_rowid=False)
    if op.get_bind().dialect.name == "sqlite":
        _rebuild("sections", _sections(), with_rowid=False)
        _rebuild("narrative_minhash", _minhash(), with_rowid=False)
    op.execute(REPORT_SUMMARY_0002)
