"""The records settings: the shared base plus its streams, the clinic's zone and the key ring."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from clinic_shared.contracts.identity import STREAM as IDENTITY_STREAM
from clinic_shared.contracts.patients import STREAM as PATIENTS_STREAM
from clinic_shared.contracts.records import STREAM
from clinic_shared.contracts.scheduling import STREAM as SCHEDULING_STREAM
from clinic_shared.settings import ServiceSettings

MIGRATIONS_VERSION_TABLE = "alembic_version_records"


class RecordsSettings(ServiceSettings):
    """Environment variables prefixed ``RECORDS_`` (``RECORDS_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="RECORDS_", extra="ignore", frozen=True)

    service_name: str = "records"
    events_stream: str = STREAM
    identity_stream: str = IDENTITY_STREAM
    patients_stream: str = PATIENTS_STREAM
    scheduling_stream: str = SCHEDULING_STREAM
    # Entry dates ("not in the future") and "today's sessions" are the clinic's calendar days.
    clinic_time_zone: str = "Europe/Madrid"
    # ``id:base64key,id:base64key``: AES-256-GCM keys for the clinical text, the first encrypts,
    # all decrypt (rotation). Unset in dev/test: one is generated under ``var_dir/keys``.
    encryption_keys: SecretStr = SecretStr("")

    @property
    def keys_dir(self) -> Path:
        """Where the development encryption key is generated when none is configured."""
        return self.var_dir / "keys"

    def unsafe_for_production(self) -> list[str]:
        """The shared checks plus records': real encryption keys must be configured."""
        problems = super().unsafe_for_production()
        if not self.encryption_keys.get_secret_value().strip():
            problems.append("no encryption_keys configured (a generated dev key is refused)")
        return problems
