"""Consumer contract: identity's and patients' documented examples fill the read models."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from clinic_scheduling.infrastructure.tables import patients, practitioners, working_periods
from clinic_shared.contracts import example_envelope

pytestmark = pytest.mark.integration


def _row(api: Any, table: Any, row_id: str) -> Any:
    with api._session() as session:
        return session.execute(select(table).where(table.c.id == row_id)).first()


@pytest.mark.parametrize("event_type", ["user.registered", "user.updated", "user.deactivated"])
def test_user_examples_upsert_the_practitioner(api: Any, event_type: str) -> None:
    envelope = example_envelope(event_type)
    api.apply(envelope)
    api.apply(envelope)  # any event carries the full state: applying twice is harmless
    row = _row(api, practitioners, envelope.data["userId"])
    assert row.full_name == envelope.data["fullName"]
    assert row.color == envelope.data["color"]
    assert row.active is envelope.data["active"]
    assert row.is_practitioner is True


def test_a_new_practitioner_gets_the_clinic_hours(api: Any) -> None:
    practitioner = api.practitioner()
    with api._session() as session:
        rows = session.execute(
            select(working_periods).where(working_periods.c.practitioner_id == practitioner)
        ).all()
    assert len(rows) == 10  # Monday–Friday, morning and afternoon
    receptionist = api.practitioner(roles=["ROLE_RECEPTIONIST"], color=None)
    assert _row(api, practitioners, receptionist).is_practitioner is False


@pytest.mark.parametrize(
    "event_type",
    ["patient.registered", "patient.updated", "patient.deactivated", "patient.reactivated"],
)
def test_patient_examples_upsert_the_patient(api: Any, event_type: str) -> None:
    envelope = example_envelope(event_type)
    api.apply(envelope)
    row = _row(api, patients, envelope.data["patientId"])
    assert row.full_name == envelope.data["fullName"]
    assert row.phone == envelope.data["phone"]
    assert row.status == envelope.data["status"]
