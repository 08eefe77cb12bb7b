"""The patients service's settings: the shared base plus its stream and the outbox poll."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from clinic_shared.contracts.patients import STREAM
from clinic_shared.settings import ServiceSettings

MIGRATIONS_VERSION_TABLE = "alembic_version_patients"


class PatientsSettings(ServiceSettings):
    """Environment variables prefixed ``PATIENTS_`` (``PATIENTS_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="PATIENTS_", extra="ignore", frozen=True)

    service_name: str = "patients"
    events_stream: str = STREAM
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    # Where scheduling publishes appointment.* (for last/next visit, once it exists).
    scheduling_stream: str = "events.scheduling"
