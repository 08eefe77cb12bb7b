"""The demo calendar ``make run`` books: through the gateway, once, and without a clash."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from demo_calendar import book_demo_calendar
from e2e_helpers import login
from stack import Stack

CLINIC = ZoneInfo("Europe/Madrid")
WORKING_PERIODS = [(time(9), time(14)), (time(15), time(19))]


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _overlaps(calendar: list[dict[str, Any]], key: str) -> list[tuple[str, str]]:
    """Pairs of live bookings of one practitioner (or patient) that overlap."""
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in calendar:
        if item[key] is not None and item["status"] != "cancelled":
            by_owner[item[key]].append(item)
    found = []
    for items in by_owner.values():
        items.sort(key=lambda a: _moment(a["startsAt"]))
        for first, second in itertools.pairwise(items):
            if _moment(second["startsAt"]) < _moment(first["endsAt"]):
                found.append((first["id"], second["id"]))
    return found


def _within_working_hours(item: dict[str, Any]) -> bool:
    start, end = (_moment(item[k]).astimezone(CLINIC) for k in ("startsAt", "endsAt"))
    return start.date() == end.date() and any(
        opening <= start.time() and end.time() <= closing for opening, closing in WORKING_PERIODS
    )


def test_demo_calendar_is_booked_once_for_both_physios_without_clashes(
    stack: Stack, gateway: httpx.Client
) -> None:
    today = datetime.now(CLINIC).date()
    monday = today - timedelta(days=today.weekday())
    before = datetime.now(UTC)
    try:
        # Starting a week back, some visits are over whatever the weekday and hour of the run.
        booked = book_demo_calendar(stack.gateway_url, today=today - timedelta(days=7))
        after = datetime.now(UTC)
        assert booked

        auth = {"Authorization": f"Bearer {login(gateway, 'admin@demo.clinic')}"}
        span = {"start": str(monday - timedelta(days=7)), "end": str(monday + timedelta(days=14))}
        calendar = gateway.get("/api/appointments", headers=auth, params=span).json()["member"]
        assert sorted(a["id"] for a in calendar) == sorted(a["id"] for a in booked)
        staff = gateway.get("/api/practitioners", headers=auth).json()["member"]
        assert {p["fullName"] for p in staff} == {"Laura Martínez", "Jordi Puig"}

        visits = [a for a in calendar if a["kind"] == "appointment"]
        next_monday = monday + timedelta(days=7)
        starts = {a["id"]: _moment(a["startsAt"]).astimezone(CLINIC).date() for a in visits}
        this_week = [a for a in visits if monday <= starts[a["id"]] < next_monday]
        assert {a["practitionerId"] for a in this_week} == {p["id"] for p in staff}
        assert _overlaps(calendar, "practitionerId") == []
        assert _overlaps(calendar, "patientId") == []
        assert all(_within_working_hours(a) for a in calendar)
        assert {a["kind"] for a in calendar} == {"appointment", "block", "empty_slot"}
        assert any(a["title"] == "Reunión de equipo" for a in calendar if a["kind"] == "block")
        assert len({a["seriesId"] for a in visits if a["seriesId"]}) == 2
        assert len({a["type"] for a in visits}) >= 4

        over = [a for a in visits if _moment(a["endsAt"]) <= before]
        assert over, "a week back, some visits are over"
        assert {a["status"] for a in over} == {"completed", "no_show"}
        assert [a["status"] for a in visits].count("no_show") == 1
        upcoming = [a for a in calendar if _moment(a["startsAt"]) > after]
        assert upcoming
        assert all(a["status"] == "scheduled" for a in upcoming)

        assert book_demo_calendar(stack.gateway_url) is None
        again = gateway.get("/api/appointments", headers=auth, params=span).json()["member"]
        assert len(again) == len(calendar)
    finally:
        # The other tests expect an empty calendar (the dashboard counts 0 appointments).
        assert gateway.post("/api/test/reset-db").status_code == 204
