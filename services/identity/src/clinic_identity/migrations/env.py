"""Alembic environment of identity's schema (version table ``alembic_version_identity``)."""

from clinic_identity.models import Base
from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(Base.metadata)
