"""The scheduling settings: the shared base plus its streams and the clinic's time zone."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from clinic_shared.contracts.identity import STREAM as IDENTITY_STREAM
from clinic_shared.contracts.patients import STREAM as PATIENTS_STREAM
from clinic_shared.contracts.scheduling import STREAM
from clinic_shared.settings import ServiceSettings

MIGRATIONS_VERSION_TABLE = "alembic_version_scheduling"


class SchedulingSettings(ServiceSettings):
    """Environment variables prefixed ``SCHEDULING_`` (``SCHEDULING_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="SCHEDULING_", extra="ignore", frozen=True)

    service_name: str = "scheduling"
    events_stream: str = STREAM
    identity_stream: str = IDENTITY_STREAM
    patients_stream: str = PATIENTS_STREAM
    # Working hours are wall-clock times here; zoneinfo keeps them right across DST.
    clinic_time_zone: str = "Europe/Madrid"
