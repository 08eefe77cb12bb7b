"""The body every service's ``migrations/env.py`` shares: one call with its metadata."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData, event

from clinic_shared.db import create_engine_for


def run_alembic_env(target_metadata: MetaData) -> None:
    """Run the current Alembic command online, batch mode on so SQLite can alter tables."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: run migrations through clinic_shared.db")
    version_table = config.get_main_option("version_table") or "alembic_version"
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=target_metadata,
            version_table=version_table,
            render_as_batch=True,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine_for(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _foreign_keys_off)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                version_table=version_table,
                render_as_batch=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
    # Batch mode rebuilds a SQLite table (copy, drop, rename): with foreign keys on, dropping
    # the old table would cascade-delete (or refuse) the rows that reference it.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()
