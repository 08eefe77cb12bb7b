"""Settings base for every service: environment-driven, failing fast on unsafe production setups."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from clinic_shared.db import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, DbTimeouts, is_sqlite_url
from clinic_shared.secret_files import SecretFilesSource, with_password

AppEnv = Literal["dev", "test", "prod"]
EMBEDDED_REDIS_PORT = 16379
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class ServiceSettings(BaseSettings):
    """Common settings; each service subclasses it with its own ``env_prefix`` (``IDENTITY_``…).

    Any setting may also come from a file: ``<PREFIX><NAME>_FILE`` (``clinic_shared.secret_files``).
    """

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "service"
    app_env: AppEnv = "dev"
    database_url: str = ""
    # Put into ``database_url`` (written with its user, without a password) when given; usually
    # as ``<PREFIX>DATABASE_PASSWORD_FILE``, a mounted secret.
    database_password: SecretStr | None = Field(default=None, repr=False)
    # A MariaDB replica of ``database_url`` for the read-heavy lists (``read_replica``): used
    # while it is at most ``replica_max_lag_seconds`` behind, asked every
    # ``replica_check_seconds``. Written without a password, it gets ``database_password`` too.
    database_replica_url: str = ""
    replica_max_lag_seconds: float = Field(default=5.0, ge=0)
    replica_check_seconds: float = Field(default=1.0, gt=0)
    redis_url: str = "redis://127.0.0.1:6379/0"
    var_dir: Path = Path("var")
    jwt_issuer: str = "clinic-identity"
    jwt_audience: str = "clinic"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwks_cache_seconds: float = 300.0
    jwks_min_refetch_seconds: float = 5.0
    # A token that passed is not checked again for this long (never past its expiry); 0 = off.
    verified_token_cache_seconds: float = Field(default=30.0, ge=0)
    verified_token_cache_size: int = Field(default=10_000, ge=1)
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
    # Connections one process keeps open (pool size) and may open beyond them under load
    # (overflow). Every replica has its own: MariaDB's max_connections must cover
    # replicas × (db_pool_size + db_max_overflow) for every service (docs/deploy.md).
    db_pool_size: int = Field(default=DEFAULT_POOL_SIZE, ge=1, le=500)
    db_max_overflow: int = Field(default=DEFAULT_MAX_OVERFLOW, ge=0, le=500)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then ``<PREFIX><NAME>_FILE`` files (never both)."""
        files = SecretFilesSource(settings_cls)
        return (init_settings, env_settings, files, dotenv_settings, file_secret_settings)

    @model_validator(mode="after")
    def _default_database_and_refuse_unsafe_prod(self) -> ServiceSettings:
        if self.database_password is not None:
            if not self.database_url:
                raise ValueError("database_password is set but database_url is not")
            password = self.database_password.get_secret_value()
            object.__setattr__(self, "database_url", with_password(self.database_url, password))
            replica = self.database_replica_url
            if replica and urlsplit(replica).password is None:
                object.__setattr__(self, "database_replica_url", with_password(replica, password))
            object.__setattr__(self, "database_password", None)
        if not self.database_url:
            path = (self.var_dir / "data" / f"{self.service_name}.sqlite").resolve()
            object.__setattr__(self, "database_url", f"sqlite:///{path}")
        if self.database_replica_url and (
            is_sqlite_url(self.database_url) or is_sqlite_url(self.database_replica_url)
        ):
            raise ValueError("database_replica_url needs MariaDB for both it and database_url")
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
