"""Fixtures for the records service's integration and contract tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_records.cli import migrate
from clinic_records.config import RecordsSettings
from clinic_records.entrypoints.consumers import HANDLERS
from clinic_records.infrastructure.tables import read_audit
from clinic_records.main import create_app
from clinic_records.seed import reset
from clinic_shared.auth import JwtVerifier
from clinic_shared.contracts import example_payload
from clinic_shared.events import EventEnvelope, new_envelope
from clinic_shared.testing.keys import TokenFactory
from clinic_shared.testing.services import app_clients, make_settings_factory

SettingsFactory = Callable[..., RecordsSettings]


def patient_event(event_type: str = "patient.registered", **changes: Any) -> EventEnvelope:
    """A patients event around the contract's example with a fresh patient id and ``changes``."""
    data = {**example_payload(event_type), "patientId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "patients")


def appointment_event(event_type: str = "appointment.completed", **changes: Any) -> EventEnvelope:
    """A scheduling event around the contract's example with a fresh appointment id."""
    data = {**example_payload(event_type), "appointmentId": str(uuid.uuid4()), **changes}
    return new_envelope(event_type, data, "scheduling")


@pytest.fixture(scope="session")
def records_db_url(database_url_factory: Callable[[str], str]) -> str:
    """A fresh MariaDB database migrated with the Alembic scripts (not create_all)."""
    url = database_url_factory("records")
    migrate(RecordsSettings(database_url=url, app_env="test"))
    return url


@pytest.fixture
def settings_factory(
    records_db_url: str, redis_url: str, unique_name: Callable[[str], str], tmp_path: Path
) -> SettingsFactory:
    """Test settings on the MariaDB database, with event streams of this test's own."""
    streams = {
        "events_stream": unique_name("events.records"),
        "identity_stream": unique_name("events.identity"),
        "patients_stream": unique_name("events.patients"),
        "scheduling_stream": unique_name("events.scheduling"),
    }

    return make_settings_factory(
        RecordsSettings,
        database_url=records_db_url,
        redis_url=redis_url,
        var_dir=tmp_path / "var",
        streams=streams,
    )


@pytest.fixture
def settings(settings_factory: SettingsFactory) -> RecordsSettings:
    """The default test settings."""
    return settings_factory()


class Api:
    """The records API as a practitioner calls it, plus read-model setup."""

    patient_event = staticmethod(patient_event)
    appointment_event = staticmethod(appointment_event)

    def __init__(self, client: TestClient, tokens: TokenFactory) -> None:
        self.client = client
        self.tokens = tokens
        # Fresh user ids per test: the read audit outlives resets, counts filter by user.
        self.user_id = str(uuid.uuid4())
        self.other_id = str(uuid.uuid4())
        self.admin_id = str(uuid.uuid4())
        self.headers = self.bearer(self.user_id, "ROLE_PRACTITIONER")
        self.other = self.bearer(self.other_id, "ROLE_PRACTITIONER")
        self.admin = self.bearer(self.admin_id, "ROLE_ADMIN")
        self.receptionist = self.bearer(str(uuid.uuid4()), "ROLE_RECEPTIONIST")

    def bearer(self, user_id: str, *roles: str) -> dict[str, str]:
        """Authorization headers of a token for ``user_id`` holding ``roles``."""
        return {"Authorization": f"Bearer {self.tokens(sub=user_id, roles=list(roles))}"}

    def session(self) -> Session:
        """A session on the app's database (autobegin off, like the use cases')."""
        services = self.client.app.state.services  # type: ignore[attr-defined]
        session: Session = services.new_session()
        return session

    def apply(self, envelope: EventEnvelope) -> None:
        """Feed an identity, patients or scheduling event straight to its handler."""
        with self.session() as session, session.begin():
            HANDLERS[envelope.type](session, envelope)

    def patient(self, **changes: Any) -> str:
        """A new patient known to the read model; returns the id."""
        envelope = patient_event(**changes)
        self.apply(envelope)
        return str(envelope.data["patientId"])

    def completed(self, patient_id: str, **changes: Any) -> str:
        """A completed appointment of ``patient_id`` with the default practitioner."""
        changes.setdefault("practitionerId", self.user_id)
        envelope = appointment_event(patientId=patient_id, status="completed", **changes)
        self.apply(envelope)
        return str(envelope.data["appointmentId"])

    def audit_count(self, user_id: str | None = None) -> int:
        """Audit rows of ``user_id`` (default: the practitioner)."""
        with self.session() as session, session.begin():
            query = select(func.count()).where(read_audit.c.user_id == (user_id or self.user_id))
            return int(session.execute(query).scalar_one())

    def draft(self, patient_id: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
        """A new draft (a treatment note of yesterday by default); returns its JSON."""
        values = {
            "patientId": patient_id,
            "type": "treatment",
            "date": "2026-01-15",
            "subjective": "Dolor lumbar irradiado a la pierna izquierda",
            "objective": "Lasègue positivo a 40 grados",
            "assessment": "Radiculopatía L5 probable",
            "plan": "Terapia manual y ejercicio de control motor",
            "painVas": 6,
            **body,
        }
        return self.ok(self.post("/api/records", values, headers), 201)

    def sign(self, entry_id: str, headers: dict[str, str] | None = None) -> Response:
        """POST the sign action."""
        return self.post(f"/api/records/{entry_id}/sign", None, headers)

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Response:
        """GET ``path`` as the practitioner (or with ``headers``)."""
        return self.client.get(path, params=params, headers=headers or self.headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
        """POST ``path`` as the practitioner (or with ``headers``)."""
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
    settings: RecordsSettings, verifier: JwtVerifier
) -> Iterator[Callable[..., TestClient]]:
    """Start apps (lifespan included); the first call resets the tables."""
    with app_clients(create_app, settings, verifier, reset) as make:
        yield make


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    """A client of a records app on a freshly reset database."""
    return client_factory()


@pytest.fixture
def api(client: TestClient, token_factory: TokenFactory) -> Api:
    """The API helper over the default client."""
    return Api(client, token_factory)


@pytest.fixture
def api_class() -> type[Api]:
    """The helper class, for a test that builds its own app (the SQLite one)."""
    return Api
