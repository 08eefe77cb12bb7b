"""The billing settings: the shared base plus its streams, the clinic's zone and the issuer."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from clinic_shared.contracts.billing import STREAM
from clinic_shared.contracts.patients import STREAM as PATIENTS_STREAM
from clinic_shared.contracts.scheduling import STREAM as SCHEDULING_STREAM
from clinic_shared.settings import ServiceSettings

MIGRATIONS_VERSION_TABLE = "alembic_version_billing"


class BillingSettings(ServiceSettings):
    """Environment variables prefixed ``BILLING_`` (``BILLING_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    service_name: str = "billing"
    events_stream: str = STREAM
    patients_stream: str = PATIENTS_STREAM
    scheduling_stream: str = SCHEDULING_STREAM
    # Issue dates and the Verifactu generation time are the clinic's local date and offset.
    clinic_time_zone: str = "Europe/Madrid"

    def unsafe_for_production(self) -> list[str]:
        """The shared checks; the AEAT test host in production is refused by the settings API."""
        return super().unsafe_for_production()
