"""Changes reach Redis through the outbox: same transaction as the change, published after."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_patients import service
from clinic_patients.models import Patient, outbox, search_terms
from clinic_shared.contracts import validate_payload
from clinic_shared.events.envelope import from_fields

pytestmark = pytest.mark.integration


def _outbox(client) -> list[Any]:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return list(db.execute(select(outbox).order_by(outbox.c.id)).all())


def _count(client, table) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(table)) or 0


def _wait_for_stream(redis_client, stream: str, count: int, timeout: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = redis_client.xrange(stream)
        if len(entries) >= count:
            return entries
        time.sleep(0.05)
    raise AssertionError(f"{stream} has {len(redis_client.xrange(stream))} entries, not {count}")


def test_registering_writes_and_publishes_patient_registered(
    client, api, settings, redis_client
) -> None:
    seeded = len(_outbox(client))
    response = api.client.post(
        "/api/patients",
        json=api.new_patient,
        headers={**api.headers, "X-Request-ID": "req-register-lucia"},
    )
    assert response.status_code == 201
    rows = _outbox(client)[seeded:]
    assert [(row.event_type, row.stream) for row in rows] == [
        ("patient.registered", settings.events_stream)
    ]

    entries = _wait_for_stream(redis_client, settings.events_stream, seeded + 1)
    envelope = from_fields(entries[-1][1])
    assert envelope.type == "patient.registered"
    assert envelope.producer == "patients"
    assert envelope.correlation_id == "req-register-lucia"
    validate_payload(envelope.type, envelope.data, allow_unknown_fields=False)
    assert envelope.data == {
        "patientId": response.json()["id"],
        "firstName": "Lucía",
        "lastName": "Serrano Gil",
        "fullName": "Lucía Serrano Gil",
        "taxId": "50713943R",
        "birthDate": "1992-03-04",
        "phone": "+34611000111",  # E.164, as stored
        "email": "lucia.serrano@example.es",
        "status": "active",
        "preferredLocale": "en",
        "address": {
            "street": "Calle Mayor 1",
            "city": "Zaragoza",
            "postalCode": "50001",
            "province": "Zaragoza",
            "country": "ES",
        },
        "entityVersion": 1,
    }
    deadline = time.monotonic() + 5
    while _outbox(client)[-1].published_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _outbox(client)[-1].published_at is not None


def test_updates_emit_updated_deactivated_reactivated_or_nothing(client, api) -> None:
    created = api.created()
    body = api.editable(created)
    before = len(_outbox(client))

    api.put(created["id"], {**body, "phone": "699 000 111"}, '"1"')
    api.put(created["id"], {**body, "phone": "699 000 111", "notes": "Solo notas"}, '"2"')
    api.put(created["id"], {**body, "status": "inactive", "email": None}, '"3"')
    api.put(created["id"], {**body, "status": "active"}, '"4"')

    types = [row.event_type for row in _outbox(client)[before:]]
    # Notes are not shared state: that edit bumps the version but emits nothing.
    assert types == ["patient.updated", "patient.deactivated", "patient.reactivated"]


def test_a_new_address_is_shared_with_billing(client, api) -> None:
    created = api.created()
    body = api.editable(created)
    before = len(_outbox(client))
    moved = {**body["address"], "street": "Paseo de Gracia 1", "city": "Barcelona"}

    api.put(created["id"], {**body, "address": moved}, '"1"')

    rows = _outbox(client)[before:]
    assert [row.event_type for row in rows] == ["patient.updated"]
    address = json.loads(rows[0].payload)["data"]["address"]
    assert (address["street"], address["city"]) == ("Paseo de Gracia 1", "Barcelona")


def test_a_failure_after_the_event_rolls_back_patient_index_and_event(
    client, api, monkeypatch
) -> None:
    counts = [_count(client, t) for t in (Patient.__table__, search_terms, outbox)]
    real_emit = service.emit_patient_event

    def emit_then_fail(*args: Any, **kwargs: Any) -> Any:
        real_emit(*args, **kwargs)
        raise RuntimeError("crash after the outbox insert")

    monkeypatch.setattr(service, "emit_patient_event", emit_then_fail)
    quiet = type(client)(client.app, raise_server_exceptions=False)
    response = quiet.post("/api/patients", json=api.new_patient, headers=api.headers)

    assert response.status_code == 500
    assert "crash" not in response.text
    assert [_count(client, t) for t in (Patient.__table__, search_terms, outbox)] == counts


def test_conflicts_and_invalid_input_write_no_event(client, api) -> None:
    before = len(_outbox(client))
    assert api.create(taxId="12345678Z").status_code == 409
    assert api.create(email="nope").status_code == 422
    assert len(_outbox(client)) == before
