"""Idempotency-Key through the gateway: a booking whose answer was lost is not booked twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from e2e_helpers import login


def _three_weeks_ahead_at_eleven_utc() -> str:
    day = datetime.now(UTC).date() + timedelta(days=21)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC).isoformat()


def test_a_retried_booking_returns_the_first_answer_and_books_once(gateway: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {login(gateway, 'recepcion@demo.clinic')}"}
    practitioners = gateway.get("/api/practitioners", headers=auth).json()["member"]
    jordi = next(p for p in practitioners if p["fullName"] == "Jordi Puig")
    patient = gateway.get("/api/patients", headers=auth, params={"search": "garcia"}).json()
    body = {
        "practitionerId": jordi["id"],
        "patientId": patient["member"][0]["id"],
        "type": "follow_up",
        "startsAt": _three_weeks_ahead_at_eleven_utc(),
    }
    keyed = {**auth, "Idempotency-Key": "e2e-booking-1"}

    first = gateway.post("/api/appointments", headers=keyed, json=body)
    # The browser never saw `first` (the Wi-Fi dropped) and sends the same request again.
    retry = gateway.post("/api/appointments", headers=keyed, json=body)
    other = gateway.post(
        "/api/appointments", headers=keyed, json={**body, "notes": "a different request"}
    )

    assert first.status_code == retry.status_code == 201, first.text
    assert retry.json()["id"] == first.json()["id"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    day = gateway.get(
        "/api/appointments",
        headers=auth,
        params={
            "start": body["startsAt"],
            "end": (datetime.fromisoformat(body["startsAt"]) + timedelta(hours=1)).isoformat(),
            "practitionerId": jordi["id"],
        },
    )
    assert [a["id"] for a in day.json()["member"]] == [first.json()["id"]]
