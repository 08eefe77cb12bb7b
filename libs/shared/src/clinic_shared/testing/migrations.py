"""What a service's migration tests compare: the migrated database against its table metadata."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine


def schema_diff(url: str, metadata: MetaData, version_table: str) -> list[object]:
    """Alembic's differences between the database at ``url`` and ``metadata`` (types too)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, _kind, _parent: name != version_table,
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()
