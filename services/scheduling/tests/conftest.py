"""Fixtures for the scheduling service's integration and contract tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from clinic_scheduling.cli import migrate
from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.entrypoints.consumers import HANDLERS
from clinic_scheduling.main import create_app
from clinic_scheduling.seed import reset
from clinic_shared.auth import JwtVerifier
from clinic_shared.contracts import example_payload
from clinic_shared.events import EventEnvelope, new_envelope
from clinic_shared.testing.keys import TokenFactory
from clinic_shared.testing.services import app_clients, make_settings_factory

SettingsFactory = Callable[..., SchedulingSettings]


def user_event(event_type: str = "user.registered", **changes: Any) -> EventEnvelope:
    """An identity event around the contract's example with a fresh user id and ``changes``."""
    data = {**example_payload(event_type), "userId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "identity")


def patient_event(event_type: str = "patient.registered", **changes: Any) -> EventEnvelope:
    """A patients event around the contract's example with a fresh patient id and ``changes``."""
    data = {**example_payload(event_type), "patientId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "patients")


@pytest.fixture(scope="session")
def scheduling_db_url(database_url_factory: Callable[[str], str]) -> str:
    """A fresh MariaDB database migrated with the Alembic scripts (not create_all)."""
    url = database_url_factory("scheduling")
    migrate(SchedulingSettings(database_url=url, app_env="test"))
    return url


@pytest.fixture
def settings_factory(
    scheduling_db_url: str, redis_url: str, unique_name: Callable[[str], str], tmp_path: Path
) -> SettingsFactory:
    """Test settings on the MariaDB database, with event streams of this test's own."""
    streams = {
        "events_stream": unique_name("events.scheduling"),
        "identity_stream": unique_name("events.identity"),
        "patients_stream": unique_name("events.patients"),
    }

    return make_settings_factory(
        SchedulingSettings,
        database_url=scheduling_db_url,
        redis_url=redis_url,
        var_dir=tmp_path / "var",
        streams=streams,
    )


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> SchedulingSettings:
    """The default test settings."""
    return settings_factory()


class Api:
    """The scheduling API as the front desk calls it, plus read-model setup."""

    user_event = staticmethod(user_event)
    patient_event = staticmethod(patient_event)

    def __init__(self, client: TestClient, tokens: TokenFactory) -> None:
        self.client = client
        self.tokens = tokens
        self.headers = {"Authorization": f"Bearer {tokens(roles=['ROLE_RECEPTIONIST'])}"}
        self.admin = {"Authorization": f"Bearer {tokens(roles=['ROLE_ADMIN'])}"}

    def _session(self) -> Session:
        services = self.client.app.state.services  # type: ignore[attr-defined]
        session: Session = services.sessions()
        return session

    def apply(self, envelope: EventEnvelope) -> None:
        """Feed an identity or patients event straight to its read-model handler."""
        with self._session() as session:
            HANDLERS[envelope.type](session, envelope)
            session.commit()

    def practitioner(self, **changes: Any) -> str:
        """A new practitioner known to the read model; returns the id."""
        envelope = user_event(**changes)
        self.apply(envelope)
        return str(envelope.data["userId"])

    def patient(self, **changes: Any) -> str:
        """A new patient known to the read model; returns the id."""
        envelope = patient_event(**changes)
        self.apply(envelope)
        return str(envelope.data["patientId"])

    def book(self, **body: Any) -> Response:
        """POST /api/appointments."""
        return self.client.post("/api/appointments", json=body, headers=self.headers)

    def booked(self, **body: Any) -> dict[str, Any]:
        """Book (must succeed); returns the body."""
        response = self.book(**body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def get(self, path: str, **params: Any) -> Response:
        """GET ``path`` as the front desk."""
        return self.client.get(path, params=params, headers=self.headers)

    def put_hours(
        self, practitioner_id: str, body: dict[str, Any], if_match: str | None = "*"
    ) -> Response:
        """PUT the practitioner's working hours (``If-Match: *`` unless told otherwise)."""
        headers = dict(self.headers)
        if if_match is not None:
            headers["If-Match"] = if_match
        url = f"/api/practitioners/{practitioner_id}/working-hours"
        return self.client.put(url, json=body, headers=headers)

    def put(self, appointment_id: str, body: dict[str, Any], if_match: str | None) -> Response:
        """PUT /api/appointments/{id} with ``If-Match`` (None: without it)."""
        headers = dict(self.headers)
        if if_match is not None:
            headers["If-Match"] = if_match
        return self.client.put(f"/api/appointments/{appointment_id}", json=body, headers=headers)


@pytest.fixture
def client_factory(
    settings: SchedulingSettings, verifier: JwtVerifier
) -> Iterator[Callable[..., TestClient]]:
    """Start apps (lifespan included); the first call resets the tables."""
    with app_clients(create_app, settings, verifier, reset) as make:
        yield make


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    """A client of a scheduling app on a freshly reset database."""
    return client_factory()


@pytest.fixture
def api(client: TestClient, token_factory: TokenFactory) -> Api:
    """The API helper over the default client."""
    return Api(client, token_factory)


@pytest.fixture
def api_for(token_factory: TokenFactory) -> Callable[[TestClient], Api]:
    """The API helper over another client."""
    return lambda client: Api(client, token_factory)
