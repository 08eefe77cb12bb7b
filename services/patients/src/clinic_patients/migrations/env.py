"""Alembic environment of the patients schema (version table ``alembic_version_patients``)."""

from clinic_patients.models import Base
from clinic_shared.alembic_env import run_alembic_env

run_alembic_env(Base.metadata)
