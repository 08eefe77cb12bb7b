"""Fixtures for the patients service's integration and contract tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from clinic_patients.cli import migrate
from clinic_patients.config import PatientsSettings
from clinic_patients.main import create_app
from clinic_patients.seed import empty_database, seed_demo
from clinic_shared.auth import JwtVerifier
from clinic_shared.testing.keys import TokenFactory

SettingsFactory = Callable[..., PatientsSettings]
ClientFactory = Callable[..., TestClient]

NEW_PATIENT: dict[str, Any] = {
    "firstName": "Lucía",
    "lastName": "Serrano Gil",
    "taxId": "50713943R",
    "birthDate": "1992-03-04",
    "sex": "female",
    "email": "Lucia.Serrano@Example.es",
    "phone": "+34 611 000 111",
    "address": {
        "street": "Calle Mayor 1",
        "city": "Zaragoza",
        "postalCode": "50001",
        "province": "Zaragoza",
    },
    "occupation": "Arquitecta",
    "referralSource": "Amiga",
    "emergencyContact": {"name": "Pedro Serrano", "phone": "611 000 222"},
    "notes": "Alergia al látex.",
    "preferredLocale": "en",
    "dataConsentAt": "2026-03-01T09:30:00+01:00",
}


@pytest.fixture(scope="session")
def patients_db_url(database_url_factory: Callable[[str], str]) -> str:
    """A fresh MariaDB database migrated with the Alembic scripts (not create_all)."""
    url = database_url_factory("patients")
    migrate(PatientsSettings(database_url=url, app_env="test"))
    return url


@pytest.fixture
def settings_factory(
    patients_db_url: str, redis_url: str, unique_name: Callable[[str], str], tmp_path: Path
) -> SettingsFactory:
    """Test settings on the MariaDB database, with event streams of this test's own."""
    stream = unique_name("events.patients")

    def make(**overrides: Any) -> PatientsSettings:
        values: dict[str, Any] = {
            "app_env": "test",
            "database_url": patients_db_url,
            "redis_url": redis_url,
            "var_dir": tmp_path / "var",
            "events_stream": stream,
            # Never join the patients group on the real scheduling stream a running stack uses.
            "scheduling_stream": unique_name("events.scheduling"),
            "outbox_poll_seconds": 0.5,
            "log_json": False,
        }
        values.update(overrides)
        return PatientsSettings(**values)

    return make


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> PatientsSettings:
    """The default test settings."""
    return settings_factory()


@pytest.fixture
def client_factory(settings: PatientsSettings, verifier: JwtVerifier) -> Iterator[ClientFactory]:
    """Start apps (lifespan included); the first call empties the tables and seeds the demo."""
    clients: list[TestClient] = []

    def make(app_settings: PatientsSettings | None = None) -> TestClient:
        app_settings = app_settings or settings
        app = create_app(app_settings, verifier=verifier)
        if not clients:
            # Before the relay starts: rows an earlier test left unpublished must not reach
            # Redis under that test's (already deleted) stream name.
            services = app.state.services
            with services.new_session() as db:
                empty_database(db)
                seed_demo(db, services.events, settings)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in reversed(clients):
        client.__exit__(None, None, None)


@pytest.fixture
def client(client_factory: ClientFactory) -> TestClient:
    """A client of a patients app on a database holding only the demo patients."""
    return client_factory()


class Api:
    """The patients API as a receptionist (or any role) calls it."""

    new_patient = NEW_PATIENT

    def __init__(self, client: TestClient, tokens: TokenFactory) -> None:
        self.client = client
        self.tokens = tokens
        self.headers = self.bearer(["ROLE_RECEPTIONIST"])

    def bearer(self, roles: list[str]) -> dict[str, str]:
        """An Authorization header for a user holding ``roles``."""
        return {"Authorization": f"Bearer {self.tokens(roles=roles)}"}

    def create(self, body: dict[str, Any] | None = None, **changes: Any) -> Response:
        """POST /api/patients with ``NEW_PATIENT`` (or ``body``) and ``changes``."""
        payload = {**(body if body is not None else NEW_PATIENT), **changes}
        return self.client.post("/api/patients", json=payload, headers=self.headers)

    def created(self, body: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
        """Create (must succeed) and return the body."""
        response = self.create(body, **changes)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def get(self, patient_id: str) -> Response:
        """GET /api/patients/{id}."""
        return self.client.get(f"/api/patients/{patient_id}", headers=self.headers)

    def put(self, patient_id: str, body: dict[str, Any], if_match: str | None) -> Response:
        """PUT /api/patients/{id} with ``If-Match`` (None: without it)."""
        headers = dict(self.headers)
        if if_match is not None:
            headers["If-Match"] = if_match
        return self.client.put(f"/api/patients/{patient_id}", json=body, headers=headers)

    def search(self, text: str | None = None, **params: Any) -> Response:
        """GET /api/patients with ``search`` and other query parameters."""
        if text is not None:
            params["search"] = text
        return self.client.get("/api/patients", params=params, headers=self.headers)

    @staticmethod
    def editable(patient: dict[str, Any]) -> dict[str, Any]:
        """A PUT body replacing ``patient`` with itself."""
        fields = set(NEW_PATIENT) | {"status"}
        return {key: patient[key] for key in fields if key in patient}

    def names(self, text: str | None = None, **params: Any) -> list[str]:
        """Full names of the first page for ``text`` (the request must succeed)."""
        response = self.search(text, **params)
        assert response.status_code == 200, response.text
        return [member["fullName"] for member in response.json()["member"]]


@pytest.fixture
def api(client: TestClient, token_factory: TokenFactory) -> Api:
    """The API helper over the default client."""
    return Api(client, token_factory)


@pytest.fixture(scope="session")
def api_class() -> type[Api]:
    """The helper class, for fixtures of a wider scope than ``api``."""
    return Api


@pytest.fixture
def api_for(token_factory: TokenFactory) -> Callable[[TestClient], Api]:
    """The API helper over another client."""
    return lambda client: Api(client, token_factory)
