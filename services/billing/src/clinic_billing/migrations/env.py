"""Alembic environment of the billing schema (version table ``alembic_version_billing``)."""

from clinic_billing.infrastructure.tables import metadata
from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(metadata)
