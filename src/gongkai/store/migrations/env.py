"""Alembic environment: always handed a live connection by ``gongkai.store.migrate``."""

from __future__ import annotations

from alembic import context

from gongkai.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # ALTER on SQLite needs table rebuilds
    version_table="gongkai_migrations",
)
with context.begin_transaction():
    context.run_migrations()
