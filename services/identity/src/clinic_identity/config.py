"""Identity's settings: the shared base plus keys, token lifetimes, password hashing, throttling."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from clinic_shared.contracts.identity import STREAM
from clinic_shared.settings import ServiceSettings

# Policy floor (OWASP / RFC 9106 low-memory profile): settings may raise it, never lower it.
ARGON2_MIN_MEMORY_KIB = 19 * 1024
ARGON2_MIN_TIME_COST = 2
REFRESH_TTL_HARD_MAX_SECONDS = 28 * 24 * 3600
MIGRATIONS_VERSION_TABLE = "alembic_version_identity"


def _split_list(value: Any) -> Any:
    # Env vars hold either a JSON list or "a, b, c"; Python callers pass real lists.
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class IdentitySettings(ServiceSettings):
    """Environment variables prefixed ``IDENTITY_`` (``IDENTITY_DATABASE_URL``…)."""

    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore", frozen=True)

    service_name: str = "identity"
    # PEM private keys: the first signs, every one is published in the JWKS (rotation).
    signing_key_files: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    access_token_seconds: int = Field(default=900, ge=60, le=3600)
    # A session's idle lifetime: it ends this long after its last refresh (the SPA refreshes
    # only while the user is active), and never past the admin's maximum (session_policy).
    refresh_token_seconds: int = Field(default=2 * 3600, ge=300, le=REFRESH_TTL_HARD_MAX_SECONDS)
    refresh_cookie_name: str = Field(default="clinic_refresh", pattern=r"^[A-Za-z0-9_\-]+$")
    argon2_memory_kib: int = Field(default=64 * 1024, ge=ARGON2_MIN_MEMORY_KIB)
    argon2_time_cost: int = Field(default=3, ge=ARGON2_MIN_TIME_COST)
    # Each hash holds argon2_memory_kib of RAM: a cap keeps a login burst from exhausting it.
    argon2_max_concurrency: int = Field(default=4, ge=1)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["127.0.0.1"])
    login_free_failures: int = Field(default=5, ge=1)
    login_base_delay_seconds: float = Field(default=30.0, gt=0)
    login_max_delay_seconds: float = Field(default=900.0, gt=0)
    login_hourly_failure_limit: int = Field(default=100, ge=1)
    throttle_key_prefix: str = "identity:throttle"
    events_stream: str = STREAM

    @field_validator("signing_key_files", "trusted_proxies", mode="before")
    @classmethod
    def _lists_from_env(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # raises ValueError naming the entry
        return value

    @property
    def keys_dir(self) -> Path:
        """Where development keys are generated when no key file is configured."""
        return self.var_dir / "keys"

    def unsafe_for_production(self) -> list[str]:
        """The base checks plus identity's: real signing keys must be configured."""
        problems = super().unsafe_for_production()
        if not self.signing_key_files:
            problems.append("no signing_key_files configured (generated dev keys are refused)")
        return problems
