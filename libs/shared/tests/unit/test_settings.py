"""ServiceSettings: per-service env prefix, the SQLite default, and refusing unsafe production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from clinic_shared.settings import ServiceSettings

MARIADB_URL = "mysql+pymysql://clinic:secret@db.internal:3306/clinic_widgets"
REAL_REDIS_URL = "redis://redis.internal:6379/0"


class WidgetsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WIDGETS_", extra="ignore", frozen=True)

    service_name: str = "widgets"


class GadgetsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GADGETS_", extra="ignore", frozen=True)

    service_name: str = "gadgets"
    signing_secret: str = "dev-secret"

    def unsafe_for_production(self) -> list[str]:
        problems = super().unsafe_for_production()
        if self.signing_secret == "dev-secret":
            problems.append("signing_secret is the development default")
        return problems


def test_each_subclass_reads_only_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIDGETS_REDIS_URL", "redis://widgets-redis:6379/2")
    monkeypatch.setenv("WIDGETS_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("REDIS_URL", "redis://unprefixed:6379/0")

    widgets = WidgetsSettings()
    gadgets = GadgetsSettings()

    assert widgets.redis_url == "redis://widgets-redis:6379/2"
    assert widgets.log_level == "DEBUG"
    assert gadgets.redis_url == "redis://127.0.0.1:6379/0"
    assert gadgets.log_level == "INFO"


def test_default_database_is_a_sqlite_file_under_var_dir(tmp_path: Path) -> None:
    settings = WidgetsSettings(var_dir=tmp_path)

    assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/data/widgets.sqlite"


def test_explicit_database_url_is_kept(tmp_path: Path) -> None:
    settings = WidgetsSettings(var_dir=tmp_path, database_url=MARIADB_URL)

    assert settings.database_url == MARIADB_URL


def test_settings_are_frozen() -> None:
    settings = WidgetsSettings(database_url=MARIADB_URL)

    with pytest.raises(ValidationError):
        settings.redis_url = "redis://elsewhere:6379/0"  # type: ignore[misc]


def test_prod_refuses_the_sqlite_default(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as excinfo:
        WidgetsSettings(app_env="prod", var_dir=tmp_path, redis_url=REAL_REDIS_URL)

    message = str(excinfo.value)
    assert "refusing to start with APP_ENV=prod" in message
    assert "database_url is the embedded SQLite default" in message


def test_prod_is_read_from_the_prefixed_env_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WIDGETS_APP_ENV", "prod")
    monkeypatch.setenv("WIDGETS_REDIS_URL", REAL_REDIS_URL)

    with pytest.raises(ValidationError, match="embedded SQLite default"):
        WidgetsSettings(var_dir=tmp_path)


@pytest.mark.parametrize(
    "redis_url",
    [
        "redis://127.0.0.1:16379/0",
        "redis://localhost:16379",
        "redis://[::1]:16379/0",
    ],
)
def test_prod_refuses_the_embedded_redis(redis_url: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        WidgetsSettings(app_env="prod", database_url=MARIADB_URL, redis_url=redis_url)

    message = str(excinfo.value)
    assert "redis_url is the embedded development server" in message
    assert "SQLite" not in message


def test_prod_lists_every_unsafe_reason(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as excinfo:
        WidgetsSettings(app_env="prod", var_dir=tmp_path, redis_url="redis://127.0.0.1:16379/0")

    message = str(excinfo.value)
    assert "SQLite" in message
    assert "embedded development server" in message


def test_prod_with_real_servers_starts() -> None:
    settings = WidgetsSettings(app_env="prod", database_url=MARIADB_URL, redis_url=REAL_REDIS_URL)

    assert settings.app_env == "prod"
    assert settings.unsafe_for_production() == []


def test_a_subclass_reason_is_refused_in_prod() -> None:
    with pytest.raises(ValidationError, match="signing_secret is the development default"):
        GadgetsSettings(app_env="prod", database_url=MARIADB_URL, redis_url=REAL_REDIS_URL)

    safe = GadgetsSettings(
        app_env="prod",
        database_url=MARIADB_URL,
        redis_url=REAL_REDIS_URL,
        signing_secret="from-the-vault",
    )
    assert safe.unsafe_for_production() == []


def test_dev_and_test_accept_the_embedded_defaults(tmp_path: Path) -> None:
    dev = WidgetsSettings(var_dir=tmp_path, redis_url="redis://127.0.0.1:16379/0")
    test = GadgetsSettings(app_env="test", var_dir=tmp_path)

    assert dev.app_env == "dev"
    assert not dev.is_test
    assert test.is_test


def test_each_process_pool_is_sized_by_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/deploy.md's formula counts on these: one pool of this size per replica."""
    from clinic_shared.db import DEFAULT_MAX_OVERFLOW, DEFAULT_POOL_SIZE, create_engine_for

    monkeypatch.setenv("WIDGETS_DB_POOL_SIZE", "6")
    monkeypatch.setenv("WIDGETS_DB_MAX_OVERFLOW", "2")
    settings = WidgetsSettings(database_url=MARIADB_URL)
    engine = create_engine_for(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    assert (engine.pool.size(), engine.pool._max_overflow) == (6, 2)  # type: ignore[attr-defined]
    monkeypatch.delenv("WIDGETS_DB_POOL_SIZE")
    monkeypatch.delenv("WIDGETS_DB_MAX_OVERFLOW")
    defaults = WidgetsSettings(database_url=MARIADB_URL)
    assert (defaults.db_pool_size, defaults.db_max_overflow) == (
        DEFAULT_POOL_SIZE,
        DEFAULT_MAX_OVERFLOW,
    )
    with pytest.raises(ValidationError, match="db_pool_size"):
        WidgetsSettings(database_url=MARIADB_URL, db_pool_size=0)
