"""Idempotency-Key on POST /api/patients: a retried registration makes one patient, not two."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from clinic_patients.models import Patient, outbox

pytestmark = pytest.mark.integration


def _count(client, *where: Any, table: Any = Patient.__table__) -> int:
    services = client.app.state.services
    with services.new_session() as db, db.begin():
        return db.scalar(select(func.count()).select_from(table).where(*where)) or 0


def _named(body: dict[str, Any]) -> tuple[Any, ...]:
    return (Patient.first_name == body["firstName"], Patient.last_name == body["lastName"])


def test_a_create_retried_after_a_lost_response_creates_one_patient(client, api) -> None:
    # No tax id: nothing else would stop the retry from registering the same person twice.
    body = {**api.new_patient, "taxId": None}
    headers = {**api.headers, "Idempotency-Key": "register-lucia-1"}
    patients, events = _count(client), _count(client, table=outbox)
    first = client.post("/api/patients", json=body, headers=headers)
    # The client never saw `first` (the connection dropped): it sends the same request again.
    retry = client.post("/api/patients", json=body, headers=headers)

    assert first.status_code == retry.status_code == 201, first.text
    assert retry.json() == first.json()
    assert retry.headers["etag"] == first.headers["etag"] == '"1"'
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _count(client, *_named(body)) == 1
    assert _count(client) == patients + 1
    assert _count(client, table=outbox) == events + 1  # one patient.registered
    assert api.names("serrano gil") == ["Lucía Serrano Gil"]


def test_the_same_key_with_another_body_is_422_and_creates_nothing(client, api) -> None:
    headers = {**api.headers, "Idempotency-Key": "register-lucia-2"}
    first = client.post("/api/patients", json=api.new_patient, headers=headers)
    other = {**api.new_patient, "firstName": "Marta", "taxId": None}
    response = client.post("/api/patients", json=other, headers=headers)

    assert first.status_code == 201, first.text
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert _count(client, *_named(other)) == 0
