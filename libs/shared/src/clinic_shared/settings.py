"""Settings base for every service: environment-driven, failing fast on unsafe production setups."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clinic_shared.db import DbTimeouts, is_sqlite_url

AppEnv = Literal["dev", "test", "prod"]
EMBEDDED_REDIS_PORT = 16379
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ServiceSettings(BaseSettings):
    """Common settings; each service subclasses it with its own ``env_prefix`` (``IDENTITY_``…)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "service"
    app_env: AppEnv = "dev"
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    var_dir: Path = Path("var")
    jwt_issuer: str = "clinic-identity"
    jwt_audience: str = "clinic"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwks_cache_seconds: float = 300.0
    jwks_min_refetch_seconds: float = 5.0
    log_level: str = "INFO"
    log_json: bool = True
    # The outbox relay is woken after each commit; this poll is only the safety net.
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    # Larger request bodies are refused with 413 before anything parses them.
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    # Time limits on the database, all under the gateway's 10 s upstream timeout (see
    # ``DbTimeouts``): a frozen server gives 503 + Retry-After, never a late commit. 0 = none.
    db_connect_timeout_seconds: float = Field(default=2.0, ge=0)
    db_read_timeout_seconds: float = Field(default=4.0, ge=0)
    db_write_timeout_seconds: float = Field(default=4.0, ge=0)
    db_statement_timeout_seconds: float = Field(default=3.0, ge=0)
    db_pool_timeout_seconds: float = Field(default=2.0, gt=0)

    @model_validator(mode="after")
    def _default_database_and_refuse_unsafe_prod(self) -> ServiceSettings:
        if not self.database_url:
            path = (self.var_dir / "data" / f"{self.service_name}.sqlite").resolve()
            object.__setattr__(self, "database_url", f"sqlite:///{path}")
        if self.app_env == "prod":
            problems = self.unsafe_for_production()
            if problems:
                raise ValueError("refusing to start with APP_ENV=prod: " + "; ".join(problems))
        return self

    def unsafe_for_production(self) -> list[str]:
        """Reasons this configuration must not serve real patients (subclasses add theirs)."""
        problems = []
        if is_sqlite_url(self.database_url):
            problems.append("database_url is the embedded SQLite default")
        if _is_embedded_redis(self.redis_url):
            problems.append("redis_url is the embedded development server")
        return problems

    @property
    def db_timeouts(self) -> DbTimeouts:
        """The database time limits for the service's engine (``create_engine_for(timeouts=)``)."""
        return DbTimeouts(
            connect=self.db_connect_timeout_seconds,
            read=self.db_read_timeout_seconds,
            write=self.db_write_timeout_seconds,
            statement=self.db_statement_timeout_seconds,
            pool=self.db_pool_timeout_seconds,
        )

    @property
    def is_test(self) -> bool:
        """Test mode enables /api/test/* routes."""
        return self.app_env == "test"


def _is_embedded_redis(url: str) -> bool:
    # Any loopback spelling of the port ``make run`` serves fakeredis on, not one literal string.
    try:
        parts = urlsplit(url)
        return parts.hostname in _LOOPBACK_HOSTS and parts.port == EMBEDDED_REDIS_PORT
    except ValueError:
        return False
