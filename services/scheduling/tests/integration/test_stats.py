"""The dashboard figures."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.integration

MADRID = ZoneInfo("Europe/Madrid")


def test_stats_count_today_this_week_and_the_no_show_rate(api: Any) -> None:
    practitioner, patient = api.practitioner(), api.patient()
    # Visits at 10:00 on days around today, whatever weekday they fall on: inside hours.
    every_day = {"periods": [{"weekday": d, "start": "09:00", "end": "19:00"} for d in range(7)]}
    assert api.put_hours(practitioner, every_day).status_code == 200
    today = datetime.now(MADRID).date()
    now = datetime.now(UTC).replace(microsecond=0)

    def at_ten(days: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(10), tzinfo=MADRID)

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

    mark(book(at_ten(-3)), "no_show")
    mark(book(at_ten(-4)), "completed")
    mark(book(at_ten(-5)), "completed")
    mark(book(at_ten(-6)), "completed")
    book(at_ten(40))
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
