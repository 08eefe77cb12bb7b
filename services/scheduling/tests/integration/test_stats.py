"""The dashboard figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_stats_count_today_this_week_and_the_no_show_rate(api: Any) -> None:
    practitioner, patient = api.practitioner(), api.patient()
    now = datetime.now(UTC).replace(microsecond=0)

    def book(start: datetime) -> dict[str, Any]:
        return api.booked(
            practitionerId=practitioner,
            patientId=patient,
            type="dry_needling",
            startsAt=start.isoformat(),
        )

    def mark(booked: dict[str, Any], status: str) -> None:
        body = {k: booked[k] for k in ("practitionerId", "patientId", "type", "startsAt", "endsAt")}
        assert api.put(booked["id"], {**body, "status": status}, '"1"').status_code == 200

    mark(book(now - timedelta(days=3)), "no_show")
    mark(book(now - timedelta(days=4)), "completed")
    mark(book(now - timedelta(days=5)), "completed")
    mark(book(now - timedelta(days=6)), "completed")
    book(now + timedelta(days=40))
    api.booked(
        practitionerId=practitioner,
        kind="block",
        startsAt=(now + timedelta(days=50)).isoformat(),
        endsAt=(now + timedelta(days=50, hours=1)).isoformat(),
    )
    response = api.get("/stats")
    assert response.status_code == 200, response.text
    figures = response.json()
    assert figures["totalAppointments"] == 5
    assert figures["noShowRate30d"] == 0.25
    assert 0 <= figures["appointmentsToday"] <= figures["appointmentsThisWeek"] <= 4
