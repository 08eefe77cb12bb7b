"""The patients service's settings: the shared base plus the streams it writes and reads."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from clinic_shared.contracts import patients, scheduling
from clinic_shared.settings import ServiceSettings

MIGRATIONS_VERSION_TABLE = "alembic_version_patients"


class PatientsSettings(ServiceSettings):
    """Environment variables prefixed ``PATIENTS_`` (``PATIENTS_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="PATIENTS_", extra="ignore", frozen=True)

    service_name: str = "patients"
    events_stream: str = patients.STREAM
    # Where scheduling publishes appointment.* (for last visit and next appointment).
    scheduling_stream: str = scheduling.STREAM
