"""Which routes read the replica (the read-heavy lists the seed names, nothing that writes), and
the replica's settings: its password, and no replica for the embedded SQLite default.

The replica itself, replicating, lagging and down, is exercised against two real ``mariadbd``
in services/{patients,billing,scheduling}/tests/integration/test_read_replica.py.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from clinic_shared.deps import get_read_db
from clinic_shared.settings import ServiceSettings

READ_FROM_THE_REPLICA = {
    "patients": {("GET", "/api/patients")},
    "billing": {("GET", "/api/invoices")},
    "scheduling": {("GET", "/api/appointments"), ("GET", "/api/schedule/week")},
    "identity": set(),
    "records": set(),
}


class WidgetsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WIDGETS_", extra="ignore", frozen=True)

    service_name: str = "widgets"


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, also those of included routers (FastAPI keeps those apart)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def _reads_the_replica(route: APIRoute) -> bool:
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if dependant.call is get_read_db:
            return True
        stack.extend(dependant.dependencies)
    return False


@pytest.mark.parametrize("service", sorted(READ_FROM_THE_REPLICA))
def test_only_the_read_heavy_lists_read_the_replica(service: str, tmp_path: Path) -> None:
    config = importlib.import_module(f"clinic_{service}.config")
    settings_class: Any = next(
        value
        for name, value in vars(config).items()
        if name.endswith("Settings") and name != "ServiceSettings"
    )
    app = importlib.import_module(f"clinic_{service}.main").create_app(
        settings_class(var_dir=tmp_path, app_env="test")
    )
    reading = {
        (method, route.path)
        for route in _api_routes(app.routes)
        if _reads_the_replica(route)
        for method in route.methods or ()
    }
    assert len(_api_routes(app.routes)) > 5  # the routes were found at all
    assert reading == READ_FROM_THE_REPLICA[service]


def test_the_replica_gets_the_database_password_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pw").write_text("s3cret\n")
    monkeypatch.setenv("WIDGETS_DATABASE_PASSWORD_FILE", str(tmp_path / "pw"))
    settings = WidgetsSettings(
        database_url="mysql+pymysql://widgets@primary/clinic_widgets",
        database_replica_url="mysql+pymysql://widgets@replica/clinic_widgets",
    )
    assert settings.database_replica_url == "mysql+pymysql://widgets:s3cret@replica/clinic_widgets"


def test_a_replica_needs_mariadb_on_both_sides(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="database_replica_url needs MariaDB"):
        WidgetsSettings(var_dir=tmp_path, database_replica_url="mysql+pymysql://r@replica/x")
