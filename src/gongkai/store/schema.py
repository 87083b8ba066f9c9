"""The corpus schema as SQLAlchemy Core tables.

These objects are what the store code queries; the DDL that creates them lives in the
named alembic migrations of ``migrations/versions`` (a test compares the two). Ids are
content hashes (16 hex characters of SHA-256), so reloading a document is an upsert and
rows written on different machines (Dask workers, Parquet parts) agree without a
coordinating sequence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

metadata = sa.MetaData()


class Num(sa.types.TypeDecorator[Any]):
    """NUMERIC that round-trips ints as ints and money as Decimal on SQLite and PostgreSQL.

    SQLite has no decimal type (NUMERIC affinity stores 12.35 as REAL); SQLAlchemy's
    Numeric would warn and convert every value. We bind Decimals as float there and turn
    what comes back into an int when integral, a Decimal otherwise, so both backends
    hand the same Python values to stats and export.
    """

    impl = sa.Numeric(20, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.Numeric(20, 4, asdecimal=False))
        return dialect.type_descriptor(sa.Numeric(20, 4, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, Decimal) and dialect.name == "sqlite":
            return int(value) if value == value.to_integral_value() else float(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return to_number(value)


def to_number(value: Any) -> int | Decimal | None:
    """An int when integral, a Decimal otherwise (floats via their shortest repr)."""
    if value is None or isinstance(value, int):
        return value
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if d == d.to_integral_value():
        return int(d)
    return d.normalize()


def load_values(text: str | dict[str, Any]) -> dict[str, int | Decimal | None]:
    """``report_cells.cell_values`` as Python: ints as ints, money as Decimal, blanks as None."""
    values = json.loads(text, parse_float=Decimal) if isinstance(text, str) else text
    for k, v in values.items():
        if v is not None and not isinstance(v, int):
            values[k] = to_number(v)
    return values


ID = sa.String(16)
# JSON that SQL can look into: jsonb on PostgreSQL (keys looked up, not re-parsed), JSON text on SQLite.
JSONB = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
KEY_PATTERN = re.compile(r"[a-z0-9_.]+")

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", ID, primary_key=True),  # = content_hash[:16]
    sa.Column("path", sa.Text, nullable=False),  # where we first saw it: file path or URL
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),  # SHA-256 of the bytes
    sa.Column("media_type", sa.String(120)),
    sa.Column("size", sa.BigInteger),
    sa.Column("fetched_at", sa.DateTime),
    sa.Column("parsed_at", sa.DateTime),
)

# Every path or URL a source's bytes were found at (the first one too): how we see that a
# report was published twice, and how a changed file at a known path becomes a new version.
source_paths = sa.Table(
    "source_paths",
    metadata,
    sa.Column("path", sa.Text, primary_key=True),
    sa.Column("source_id", ID, sa.ForeignKey("sources.id"), primary_key=True),
    sa.Column("seen_at", sa.DateTime),
    sa.Index("ix_source_paths_source", "source_id"),
)

# The corpus list's sort columns and its filter columns (web/queries.py; migration 0010).
_LIST_SORTS = (
    ("year", "year"),
    ("province", "province"),
    ("body", "normalized_body"),
    ("errors", "n_errors_reviewed"),
    ("ingested", "ingested_at"),
)
LIST_FILTER_COLUMNS = ("year", "province", "city", "county", "format", "body_type", "n_errors_reviewed", "n_extraction")


def _list_filters(sort_column: str) -> tuple[str, ...]:
    return tuple(c for c in LIST_FILTER_COLUMNS if c != sort_column)


reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("source_id", ID, sa.ForeignKey("sources.id"), nullable=False),
    # All versions of one report share ``lineage`` (the id of its first version); a new
    # version comes from changed bytes at the same path, or the same body and year.
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
    sa.Column("n_cells", sa.Integer, nullable=False),  # lets a reader check nothing is missing
    sa.Column("n_errors", sa.Integer, nullable=False),
    sa.Column("n_extraction", sa.Integer, nullable=False),  # extraction findings (warning/error)
    # errors after corrections and dismissals (= n_errors until a person reviews; 0008), kept
    # by store.corrections.refresh_review in the review's transaction: the corpus list's errors sort
    sa.Column("n_errors_reviewed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("confidence", sa.JSON),
    sa.Column("parser_version", sa.String(32), nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
    sa.Index("ix_reports_body_year", "normalized_body", "year"),
    sa.Index("ix_reports_lineage", "lineage", "version"),
    sa.Index("ix_reports_source", "source_id"),
    # the web app's corpus list: sorted and paged by (column, id) keysets (0005, 0007, 0008),
    # each sort's index holding the filter columns after the id, so that a filter on another
    # column is tested in the index, not on the table's rows (0010)
    *(sa.Index(f"ix_reports_latest_{name}", "is_latest", col, "id", *_list_filters(col)) for name, col in _LIST_SORTS),
    sa.Index("ix_reports_latest_city", "is_latest", "city", "id"),
    sa.Index("ix_reports_latest_region_menu", "is_latest", "province", "city", "county"),  # the list's menus (0009)
)

# The cells of a report, one row per report: a cell-per-row table cost ~200 inserts per
# report, several times the parse itself (see docs/store.md, Performance). Both columns are
# JSON objects keyed by the canonical cell key (cells.md):
#   cell_values   {"t3.received.total": 3119, "t2.fees.amount": 12.35, "t4.review.total": null, …}
#                 null = blank; a key the report does not show is absent
#   cell_details  {"t3.received.total": {"status": "read", "raw": "3,119", "unit": …,
#                  "provenance": {"start": 618, "end": 623, "line": 37}}, …} (null fields left out)
# The view ``cells`` (below) shows them in long form, one row per cell, as before.
report_cells = sa.Table(
    "report_cells",
    metadata,
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("cell_values", JSONB, nullable=False),
    sa.Column("cell_details", JSONB, nullable=False),
)

# The few cells the corpus statistics and the dashboards add up (``domain.stats.FIGURE_KEYS``),
# copied out of ``report_cells.cell_values`` by the writer (same JSON: null = blank, a key the
# report does not show is absent). A pass over 100,000 reports reads ~1 kB of each here, not
# its ~25 kB of cells (migration 0011). People's corrections are applied on reading, as for
# report_cells: neither table is ever updated by a correction.
report_figures = sa.Table(
    "report_figures",
    metadata,
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("figures", JSONB, nullable=False),
)

# sections and narrative_minhash have rowids on SQLite (migration 0004): rows are appended
# in the order reports arrive and only the small primary-key index is written at random
# places; clustered by a hashed report id, each report's ~5 kB of text split pages.
sections = sa.Table(
    "sections",
    metadata,
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", ID, sa.ForeignKey("reports.id")),  # NULL for a finding across reports
    sa.Column("report_ids", sa.JSON),  # every report a corpus finding is about
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("source", sa.String(12), nullable=False),  # report | extraction | corpus
    sa.Column("tbl", sa.String(4)),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("cells", sa.JSON),
    sa.Column("expected", sa.Text),
    sa.Column("found", sa.Text),
    sa.Column("body", sa.Text),  # corpus findings: the normalized body they are about
    sa.Index("ix_findings_report", "report_id"),
    sa.Index("ix_findings_rule", "source", "rule"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("path", sa.Text, primary_key=True),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
)

# LSH band keys of each narrative, in the order reports arrive and without an index: an
# index on 48-bit hashes is a random page write per key (16 a report), which cost more than
# all the rest of a report's rows as the corpus grew. The near-duplicate pass is one
# self-join on band_key per check; the database sorts the table for it (checks.py).
narrative_bands = sa.Table(
    "narrative_bands",
    metadata,
    sa.Column("band_key", sa.Text, nullable=False),
    sa.Column("section", sa.String(32), nullable=False),
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
)

narrative_minhash = sa.Table(
    "narrative_minhash",
    metadata,
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("section", sa.String(32), primary_key=True),
    sa.Column("hashvalues", sa.LargeBinary, nullable=False),  # little-endian uint64 each
)

# ---------------------------------------------------------------- the web app (migration 0005)
# Accounts, browser sessions and API tokens. Secrets are stored only as hashes: the
# password by argon2id (gongkai.web.accounts), session ids and tokens by SHA-256.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(32), nullable=False),  # a name in gongkai.domain.roles.ROLES
    sa.Column("password_hash", sa.Text),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Index("ix_web_sessions_user", "user_id"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_api_tokens_user", "user_id"),
)

# A reviewer's correction of one cell: a record of its own, never an overwrite of
# report_cells. The latest row per (report, key) is in force; ``action`` "revert" drops the
# correction (the parsed value stands again). ``parsed`` is what the parser read when the
# correction was made (JSON text; "absent" when the cell was not there), so that after a
# re-parse a changed reading shows as a conflict. Values are JSON text: "null" = blank.
corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("action", sa.String(8), nullable=False),  # set | revert
    sa.Column("old_value", sa.Text),  # the value in force before (JSON text)
    sa.Column("new_value", sa.Text),  # JSON text; "null" = blank
    sa.Column("parsed", sa.Text, nullable=False),  # the parser's reading then (JSON text or "absent")
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_corrections_report", "report_id", "key", "id"),
)

# A finding dismissed (or restored) by a reviewer, identified by its rule and cells.
dismissals = sa.Table(
    "dismissals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("fingerprint", sa.String(200), nullable=False),  # rule|cell,cell,…
    sa.Column("action", sa.String(8), nullable=False),  # dismiss | restore
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_dismissals_report", "report_id", "fingerprint", "id"),
)

# The state of a report after review, kept with each correction or dismissal (same
# transaction): what the corpus list filters and sorts on.
report_review = sa.Table(
    "report_review",
    metadata,
    sa.Column("report_id", ID, sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("n_errors", sa.Integer, nullable=False),  # errors after corrections and dismissals
    sa.Column("n_corrections", sa.Integer, nullable=False),
    sa.Column("n_dismissed", sa.Integer, nullable=False),
    sa.Column("n_conflicts", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# Every change a person makes (corrections, dismissals, users, uploads, re-parses).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("detail", sa.JSON),
    sa.Index("ix_audit_log_at", "at"),
)

# Files uploaded through the web app, stored under their SHA-256 (never the given name).
uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch", sa.String(32), nullable=False),
    sa.Column("name", sa.Text, nullable=False),  # as given: shown, never used as a path
    sa.Column("content_hash", sa.String(64)),
    sa.Column("size", sa.BigInteger),
    sa.Column("status", sa.String(12), nullable=False),  # queued | parsing | done | duplicate | failed
    sa.Column("message", sa.Text),
    sa.Column("report_id", ID),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Index("ix_uploads_batch", "batch", "id"),
    sa.Index("ix_uploads_status", "status"),
)

# The child tables of a report, in the order they are deleted (none is, today) or checked.
REPORT_CHILDREN = (report_cells, report_figures, sections, findings, narrative_bands, narrative_minhash)

# ---------------------------------------------------------------- views
# Views the migrations create, as tables the store code can query; kept apart from
# ``metadata`` so that nothing creates them as tables.
views = sa.MetaData()

# One row per cell, over report_cells (migration 0004): what the old cells table held.
cells = sa.Table(
    "cells",
    views,
    sa.Column("report_id", ID),
    sa.Column("key", sa.String(64)),
    sa.Column("value", Num),  # NULL = blank
    sa.Column("status", sa.String(10)),  # read | blank | derived | repaired
    sa.Column("raw", sa.Text),
    sa.Column("unit", sa.String(16)),
    sa.Column("provenance", sa.JSON),  # Origin.to_json() plus the note of derived cells
)


class cell_values_at(FunctionElement[Any]):
    """``cell_values_at(report_cells.c.cell_values, keys)``: several cells' numbers in one
    lookup, as the text of a JSON array in the order of ``keys`` (null where blank or
    absent; ``load_numbers`` reads it). SQLite parses a report's JSON once for all the paths
    of one json_extract; a json_extract per cell parsed it once per cell (the statistics'
    21 cells over 100,000 stored reports: ~90 s that way, one pass ~5 s).
    jsonb_build_array on PostgreSQL."""

    type = sa.Text()
    inherit_cache = True
    name = "cell_values_at"

    def __init__(self, column: Any, keys: Sequence[str]) -> None:
        if not keys or len(keys) > 90:  # PostgreSQL takes at most 100 function arguments
            raise ValueError(f"between 1 and 90 cell keys, not {len(keys)}")
        for key in keys:
            if not KEY_PATTERN.fullmatch(key):
                raise ValueError(f"not a cell key: {key!r}")
        super().__init__(column, *(sa.literal_column(f"'{key}'") for key in keys))


@compiles(cell_values_at, "sqlite")
def _cell_values_at_sqlite(element: cell_values_at, compiler: Any, **kw: Any) -> str:
    column, *keys = element.clauses.clauses
    paths = ", ".join(f"'$.\"{key.name[1:-1]}\"'" for key in keys)
    got = f"json_extract({compiler.process(column, **kw)}, {paths})"
    return got if len(keys) > 1 else f"json_array({got})"  # one path gives the value itself


@compiles(cell_values_at, "postgresql")
def _cell_values_at_pg(element: cell_values_at, compiler: Any, **kw: Any) -> str:
    column, *keys = element.clauses.clauses
    col = compiler.process(column, **kw)
    return "jsonb_build_array(" + ", ".join(f"{col} -> {key.name}" for key in keys) + ")::text"


def load_numbers(text: str | None, n: int) -> list[int | Decimal | None]:
    """What ``cell_values_at`` gave for ``n`` keys: ints, Decimals and Nones (all None when
    the report has no cells)."""
    if text is None:
        return [None] * n
    return [to_number(v) for v in json.loads(text, parse_float=Decimal)]


# ---------------------------------------------------------------- the agency workbench (migration 0006)
# The records an agency's disclosure office keeps (ledger.md), per body. Nothing is deleted:
# a record is voided with a reason, and every change is a row of agency_audit.
def _voidable() -> list[sa.Column[Any]]:
    return [
        sa.Column("extra", sa.JSON),  # unknown ledger columns, kept as read
        sa.Column("voided_at", sa.DateTime),
        sa.Column("void_reason", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    ]


agency_applications = sa.Table(
    "agency_applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("received", sa.Date, nullable=False),
    sa.Column("applicant_type", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(16)),
    sa.Column("applicant", sa.Text),  # personal data
    sa.Column("contact", sa.Text),  # personal data
    sa.Column("content", sa.Text),
    sa.Column("correction_requested", sa.Date),
    sa.Column("correction_received", sa.Date),
    sa.Column("consult_start", sa.Date),
    sa.Column("consult_end", sa.Date),
    sa.Column("fee_notice", sa.Date),
    sa.Column("fee_paid", sa.Date),
    sa.Column("extension_days", sa.Integer),
    sa.Column("answered", sa.Date),
    sa.Column("outcome", sa.String(40)),  # a table-3 outcome row key
    sa.Column("handler", sa.Text),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
    sa.Column("state", sa.String(24), nullable=False),
    sa.Column("due", sa.Date),  # the answer due date as last computed
    sa.Column("provisional", sa.Boolean, nullable=False),
    *_voidable(),
    sa.UniqueConstraint("body", "number", name="uq_agency_applications_number"),
    sa.Index("ix_agency_applications_state", "body", "state"),
)

agency_remedies = sa.Table(
    "agency_remedies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # review | litigation_direct | litigation_after_review
    sa.Column("application", sa.Text),  # the 编号 of the application it concerns
    sa.Column("received", sa.Date, nullable=False),
    sa.Column("result", sa.String(16)),  # upheld | corrected | other; NULL = 尚未审结
    sa.Column("concluded", sa.Date),
    *_voidable(),
    sa.UniqueConstraint("body", "number", name="uq_agency_remedies_number"),
)

agency_documents = sa.Table(
    "agency_documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),  # 文号
    sa.Column("kind", sa.String(16), nullable=False),  # regulations | normative_docs
    sa.Column("title", sa.Text),
    sa.Column("issued", sa.Date, nullable=False),
    sa.Column("repealed", sa.Date),
    *_voidable(),
    sa.UniqueConstraint("body", "number", name="uq_agency_documents_number"),
)

agency_counts = sa.Table(
    "agency_counts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("item", sa.String(40), nullable=False),  # the table-2 cell key: t2.licensing.decisions …
    sa.Column("value", Num, nullable=False),
    *_voidable(),
    sa.UniqueConstraint("body", "year", "item", name="uq_agency_counts_item"),
)

# 主动公开 entries with their 保密审查 sign-off: drafter -> reviewer -> publisher
agency_disclosures = sa.Table(
    "agency_disclosures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("channel", sa.Text),
    sa.Column("published_on", sa.Date),
    sa.Column("catalogue", sa.Text),  # the 公开目录 node
    sa.Column("drafter", sa.Text),
    sa.Column("drafted_at", sa.DateTime),
    sa.Column("reviewer", sa.Text),
    sa.Column("reviewed_at", sa.DateTime),
    sa.Column("publisher", sa.Text),
    sa.Column("published_at", sa.DateTime),
    *_voidable(),
    sa.Index("ix_agency_disclosures_body", "body", "published_on"),
)

# the case timeline: one row per workflow action taken
agency_events = sa.Table(
    "agency_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("application_id", sa.Integer, sa.ForeignKey("agency_applications.id"), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("actor", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_agency_events_application", "application_id"),
)

agency_audit = sa.Table(
    "agency_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.Text),
    sa.Column("body", sa.Text),
    sa.Column("tbl", sa.String(32), nullable=False),
    sa.Column("record_key", sa.Text),
    sa.Column("action", sa.String(16), nullable=False),  # insert | update | void | calendar …
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Index("ix_agency_audit_record", "body", "tbl", "record_key"),
)

# every change of an application's due date, with the previous one
agency_due_log = sa.Table(
    "agency_due_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("application_id", sa.Integer, sa.ForeignKey("agency_applications.id"), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("previous", sa.Date),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("provisional", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_agency_due_log_application", "application_id"),
)

# the working-day calendar: the days that differ from Monday-Friday, per known year
agency_calendar_years = sa.Table(
    "agency_calendar_years",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("entered_at", sa.DateTime, nullable=False),
)

agency_calendar_days = sa.Table(
    "agency_calendar_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),  # holiday | workday
    sa.Column("name", sa.Text),
)

# the report's narrative as the agency edited it: text with {cell.key} placeholders
agency_narratives = sa.Table(
    "agency_narratives",
    metadata,
    sa.Column("body", sa.Text, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("section", sa.String(32), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text),
)

AGENCY_TABLES = (
    agency_applications, agency_remedies, agency_documents, agency_counts, agency_disclosures, agency_events,
    agency_audit, agency_due_log, agency_calendar_years, agency_calendar_days, agency_narratives,
)  # fmt: skip
