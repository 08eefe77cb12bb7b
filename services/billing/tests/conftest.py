"""Fixtures for the billing service's integration and contract tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from clinic_billing.cli import migrate
from clinic_billing.config import BillingSettings
from clinic_billing.entrypoints.consumers import HANDLERS
from clinic_billing.main import create_app
from clinic_billing.seed import reset
from clinic_shared.auth import JwtVerifier
from clinic_shared.contracts import example_payload
from clinic_shared.events import EventEnvelope, new_envelope
from clinic_shared.testing.keys import TokenFactory
from clinic_shared.testing.services import app_clients, make_settings_factory

SettingsFactory = Callable[..., BillingSettings]


def patient_event(event_type: str = "patient.registered", **changes: Any) -> EventEnvelope:
    """A patients event around the contract's example with a fresh patient id and ``changes``."""
    data = {**example_payload(event_type), "patientId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "patients")


def appointment_event(event_type: str = "appointment.completed", **changes: Any) -> EventEnvelope:
    """A scheduling event around the contract's example with a fresh appointment id."""
    data = {**example_payload(event_type), "appointmentId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "scheduling")


@pytest.fixture(scope="session")
def billing_db_url(database_url_factory: Callable[[str], str]) -> str:
    """A fresh MariaDB database migrated with the Alembic scripts (not create_all)."""
    url = database_url_factory("billing")
    migrate(BillingSettings(database_url=url, app_env="test"))
    return url


@pytest.fixture
def settings_factory(
    billing_db_url: str, redis_url: str, unique_name: Callable[[str], str], tmp_path: Path
) -> SettingsFactory:
    """Test settings on the MariaDB database, with event streams of this test's own."""
    streams = {
        "events_stream": unique_name("events.billing"),
        "patients_stream": unique_name("events.patients"),
        "scheduling_stream": unique_name("events.scheduling"),
    }

    return make_settings_factory(
        BillingSettings,
        database_url=billing_db_url,
        redis_url=redis_url,
        var_dir=tmp_path / "var",
        streams=streams,
    )


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> BillingSettings:
    """The default test settings."""
    return settings_factory()


@pytest.fixture(params=["mariadb", "sqlite"])
def each_database_settings(
    request: pytest.FixtureRequest,
    settings: BillingSettings,
    settings_factory: SettingsFactory,
    tmp_path: Path,
) -> BillingSettings:
    """The settings on MariaDB, then on the embedded SQLite default (migrated): a test that
    takes this runs once on each, as the same statements must."""
    if request.param == "mariadb":
        return settings
    embedded = settings_factory(database_url=f"sqlite:///{tmp_path / 'billing.sqlite'}")
    migrate(embedded)
    return embedded


@pytest.fixture
def api_headers(token_factory: TokenFactory) -> dict[str, str]:
    """A receptionist's bearer token, for tests that call a client directly."""
    return {"Authorization": f"Bearer {token_factory(roles=['ROLE_RECEPTIONIST'])}"}


class Api:
    """The billing API as the front desk calls it, plus read-model setup."""

    patient_event = staticmethod(patient_event)
    appointment_event = staticmethod(appointment_event)

    def __init__(self, client: TestClient, tokens: TokenFactory) -> None:
        self.client = client
        self.tokens = tokens
        self.headers = {"Authorization": f"Bearer {tokens(roles=['ROLE_RECEPTIONIST'])}"}
        self.admin = {"Authorization": f"Bearer {tokens(roles=['ROLE_ADMIN'])}"}
        self.practitioner = {"Authorization": f"Bearer {tokens(roles=['ROLE_PRACTITIONER'])}"}

    def session(self) -> Session:
        """A session on the app's database (autobegin off, like the use cases')."""
        services = self.client.app.state.services  # type: ignore[attr-defined]
        session: Session = services.new_session()
        return session

    def apply(self, envelope: EventEnvelope) -> None:
        """Feed a patients or scheduling event straight to its handler."""
        with self.session() as session, session.begin():
            HANDLERS[envelope.type](session, envelope)

    def patient(self, **changes: Any) -> str:
        """A new patient known to the read model; returns the id."""
        envelope = patient_event(**changes)
        self.apply(envelope)
        return str(envelope.data["patientId"])

    def completed(self, patient_id: str, **changes: Any) -> str:
        """A completed appointment of ``patient_id`` (a billable session); returns its id."""
        envelope = appointment_event(patientId=patient_id, status="completed", **changes)
        self.apply(envelope)
        return str(envelope.data["appointmentId"])

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Response:
        """GET ``path`` as the front desk (or with ``headers``)."""
        return self.client.get(path, params=params, headers=headers or self.headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
        """POST ``path`` as the front desk (or with ``headers``)."""
        return self.client.post(path, json=body, headers=headers or self.headers)

    def put(
        self,
        path: str,
        body: Any,
        if_match: str | None = "*",
        headers: dict[str, str] | None = None,
    ) -> Response:
        """PUT ``path`` with ``If-Match`` (None: without it)."""
        sent = dict(headers or self.headers)
        if if_match is not None:
            sent["If-Match"] = if_match
        return self.client.put(path, json=body, headers=sent)

    def ok(self, response: Response, status: int = 200) -> Any:
        """The JSON body of ``response``, which must have ``status``."""
        assert response.status_code == status, response.text
        return response.json()


@pytest.fixture
def client_factory(
    settings: BillingSettings, verifier: JwtVerifier
) -> Iterator[Callable[..., TestClient]]:
    """Start apps (lifespan included); the first call resets the tables."""
    with app_clients(create_app, settings, verifier, reset) as make:
        yield make


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    """A client of a billing app on a freshly reset database."""
    return client_factory()


@pytest.fixture
def api(client: TestClient, token_factory: TokenFactory) -> Api:
    """The API helper over the default client."""
    return Api(client, token_factory)
