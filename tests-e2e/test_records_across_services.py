"""Records learns completed sessions from scheduling: each waits for a note until one is signed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from e2e_helpers import login


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _eventually(probe: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_completed_session_waits_for_its_note_until_the_note_is_signed(
    gateway: httpx.Client,
) -> None:
    physio = bearer(login(gateway, "fisio@demo.clinic"))
    me = gateway.get("/api/me", headers=physio).json()
    found = gateway.get("/api/patients", headers=physio, params={"search": "garcia nunez"})
    patient = found.json()["member"][0]
    day = datetime.now(UTC).date() - timedelta(days=2)
    while day.weekday() >= 5:  # a working day, at 11:00 or 12:00 in Madrid: inside the hours
        day -= timedelta(days=1)
    starts_at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
    booking = {"practitionerId": me["id"], "patientId": patient["id"], "type": "follow_up",
               "startsAt": starts_at.isoformat()}  # fmt: skip
    booked = gateway.post("/api/appointments", headers=physio, json=booking)
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    completed = gateway.put(
        f"/api/appointments/{appointment['id']}",
        headers={**physio, "If-Match": booked.headers["etag"]},
        json={**booking, "status": "completed", "endsAt": appointment["endsAt"]},
    )
    assert completed.status_code == 200, completed.text

    def waiting() -> list[str]:
        answer = gateway.get("/api/records/sessions-without-note", headers=physio)
        assert answer.status_code == 200, answer.text
        return [s["appointmentId"] for s in answer.json()["member"]]

    assert appointment["id"] in _eventually(lambda: appointment["id"] in waiting() and waiting())

    note = {"patientId": patient["id"], "type": "treatment", "date": day.isoformat(),
            "appointmentId": appointment["id"], "subjective": "Mejor que la semana pasada",
            "painVas": 4}  # fmt: skip
    draft = gateway.post("/api/records", headers=physio, json=note)
    assert draft.status_code == 201, draft.text
    signed = gateway.post(
        f"/api/records/{draft.json()['id']}/sign",
        headers={**physio, "If-Match": draft.headers["etag"]},
    )
    assert signed.status_code == 200, signed.text
    assert appointment["id"] not in waiting()

    desk = bearer(login(gateway, "recepcion@demo.clinic"))
    refused = gateway.get("/api/records", headers=desk, params={"patientId": patient["id"]})
    assert refused.status_code == 403
