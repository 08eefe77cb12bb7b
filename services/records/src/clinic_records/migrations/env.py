"""Alembic environment of the records schema (version table ``alembic_version_records``)."""

from clinic_records.infrastructure.tables import metadata
from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(metadata)
