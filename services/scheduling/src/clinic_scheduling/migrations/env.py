"""Alembic environment of the scheduling schema (version table ``alembic_version_scheduling``)."""

from clinic_scheduling.infrastructure.tables import metadata
from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(metadata)
