"""Book a realistic demo calendar through the gateway, once, after ``make run`` starts the clinic.

Scheduling learns practitioners and patients only from events, so its own ``seed-demo`` runs too
early to book anything. This goes through the public API like the front desk would: it logs in
as the admin, books only when the clinic has no appointment yet (a restart books nothing twice),
waits until scheduling knows the demo staff and patients, then fills three weeks (this one and
the next two) inside each practitioner's working hours. Clashes are avoided by construction: a
local ledger of who is busy when, and each patient comes at most once a day.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import cycle
from typing import Any
from zoneinfo import ZoneInfo

import httpx

ADMIN_EMAIL = "admin@demo.clinic"
DEMO_PASSWORD = "demo1234"
WEEKS = 3
# Deterministic variety without a random generator: cycles of different lengths drift apart.
VISITS_PER_DAY = (6, 5, 7, 6, 5, 7, 6)
PAUSES_MINUTES = (0, 15, 0, 30, 15, 45, 0, 60, 15)
TYPE_MIX = ("follow_up", "dry_needling", "follow_up", "sports_massage", "first_visit",
            "follow_up", "pelvic_floor", "dry_needling")  # fmt: skip
EDITABLE = ("practitionerId", "patientId", "type", "startsAt", "endsAt", "title", "notes")
STEP = timedelta(minutes=15)
MEETING = "Reunión de equipo"

Json = dict[str, Any]


@dataclass
class Api:
    """The gateway, signed in; retries a booking scheduling cannot resolve yet (422 unknown)."""

    client: httpx.Client
    deadline: float

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> httpx.Response:
        while True:
            response = self.client.request(method, path, **kwargs)
            if response.status_code == expect:
                return response
            # The patients' and staff's events may still be on their way to scheduling.
            unknown = response.status_code == 422 and any(
                f"unknown {who}" in response.text for who in ("patient", "practitioner")
            )
            if not unknown or time.monotonic() > self.deadline:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
            time.sleep(0.3)

    def book(self, body: Json) -> list[Json]:
        found = self.call("POST", "/api/appointments", 201, json=body).json()
        return list(found["member"]) if "member" in found else [found]

    def wait_for_hours(self, practitioner_id: str) -> Json:
        """A practitioner's working hours: 404 until scheduling has consumed their user event."""
        path = f"/api/practitioners/{practitioner_id}/working-hours"
        while (response := self.client.get(path)).status_code == 404:
            if time.monotonic() > self.deadline:
                raise RuntimeError(f"scheduling does not know practitioner {practitioner_id} yet")
            time.sleep(0.3)
        response.raise_for_status()
        hours: Json = response.json()
        return hours


def _weekdays(today: date) -> Iterator[date]:
    monday = today - timedelta(days=today.weekday())
    for week in range(WEEKS):
        for offset in range(5):
            yield monday + timedelta(weeks=week, days=offset)


def _periods(hours: Json, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """That day's working periods as aware local datetimes, in order."""
    found = [p for p in hours["periods"] if p["weekday"] == day.weekday()]
    return sorted(
        (
            datetime.combine(day, clock.fromisoformat(p["start"]), tzinfo=zone),
            datetime.combine(day, clock.fromisoformat(p["end"]), tzinfo=zone),
        )
        for p in found
    )


@dataclass
class Planner:
    """Turns the working hours into bookings, keeping the ledger so nothing ever clashes."""

    api: Api
    zone: ZoneInfo
    durations: dict[str, int]
    patients: list[str]
    # The local ledger: who (practitioner or patient) is busy when, and who comes on which day.
    busy: dict[str, list[tuple[datetime, datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    visits: set[tuple[str, date]] = field(default_factory=set)
    booked: list[Json] = field(default_factory=list)
    _next_patient: int = 0

    def __post_init__(self) -> None:
        preferred = [code for code in TYPE_MIX if code in self.durations]
        self.types = cycle(preferred or sorted(self.durations))
        self.pauses = cycle(PAUSES_MINUTES)
        self.per_day = cycle(VISITS_PER_DAY)
        self.shortest = min(self.durations, key=self.durations.__getitem__)

    def series(self, practitioner: str, start: datetime, weekdays: list[int], kind: str) -> None:
        kind = kind if kind in self.durations else self.shortest
        patient = self._free_patient(start, start + timedelta(minutes=self.durations[kind]))
        if patient is None:
            return
        body = {
            "practitionerId": practitioner,
            "patientId": patient,
            "type": kind,
            "startsAt": start.isoformat(),
            "skipClashes": True,
            "repeat": {"every": "week", "weekdays": weekdays, "count": 3 * len(weekdays)},
        }
        self._record(self.api.book(body))

    def block(self, practitioner: str, start: datetime, end: datetime, title: str) -> None:
        if self._is_free([practitioner], start, end):
            body = {
                "practitionerId": practitioner,
                "kind": "block",
                "title": title,
                "startsAt": start.isoformat(),
                "endsAt": end.isoformat(),
            }
            self._record(self.api.book(body))

    def day(
        self, practitioner: str, periods: list[tuple[datetime, datetime]], packed: bool
    ) -> None:
        """A day's visits, morning and afternoon; ``packed`` leaves no gap a slot would fit."""
        wanted = next(self.per_day)
        quotas = [(wanted + 1) // 2, wanted // 2] if len(periods) > 1 else [wanted]
        for (opening, closing), quota in zip(periods, quotas, strict=False):
            cursor = opening if packed else opening + timedelta(minutes=next(self.pauses))
            count = 0
            while count < quota or packed:
                kind = next(self.types)
                if cursor + timedelta(minutes=self.durations[kind]) > closing:
                    kind = self.shortest  # squeeze a short visit into what is left
                end = cursor + timedelta(minutes=self.durations[kind])
                if end > closing:
                    break
                patient = None
                if self._is_free([practitioner], cursor, end):
                    patient = self._free_patient(cursor, end)
                if patient is None:
                    cursor += STEP
                    continue
                body = {
                    "practitionerId": practitioner,
                    "patientId": patient,
                    "type": kind,
                    "startsAt": cursor.isoformat(),
                }
                self._record(self.api.book(body))
                count += 1
                cursor = end if packed else end + timedelta(minutes=next(self.pauses))

    def _free_patient(self, start: datetime, end: datetime) -> str | None:
        """The next patient in turn who is free then and not already coming that day."""
        for step in range(len(self.patients)):
            index = (self._next_patient + step) % len(self.patients)
            patient = self.patients[index]
            if (patient, start.date()) not in self.visits and self._is_free([patient], start, end):
                self._next_patient = index + 1
                return patient
        return None

    def _is_free(self, keys: list[str], start: datetime, end: datetime) -> bool:
        return all(e <= start or end <= s for key in keys for s, e in self.busy[key])

    def _record(self, appointments: list[Json]) -> None:
        for item in appointments:
            start = datetime.fromisoformat(item["startsAt"]).astimezone(self.zone)
            end = datetime.fromisoformat(item["endsAt"]).astimezone(self.zone)
            keys = [item["practitionerId"]]
            if item["patientId"]:
                keys.append(item["patientId"])
                self.visits.add((item["patientId"], start.date()))
            for key in keys:
                self.busy[key].append((start, end))
            self.booked.append(item)


def _close_the_past(api: Api, booked: list[Json]) -> None:
    """Visits already over were completed, except one patient who did not turn up."""
    now = datetime.now().astimezone()
    past = [a for a in booked if a["kind"] == "appointment"]
    past = [a for a in past if datetime.fromisoformat(a["endsAt"]) <= now]
    no_show = past[len(past) // 2]["id"] if past else None
    for item in past:
        status = "no_show" if item["id"] == no_show else "completed"
        body = {key: item[key] for key in EDITABLE} | {"status": status}
        headers = {"If-Match": f'"{item["version"]}"'}
        api.call("PUT", f"/api/appointments/{item['id']}", json=body, headers=headers)


def book_demo_calendar(
    base_url: str,
    password: str = DEMO_PASSWORD,
    timeout: float = 30.0,
    today: date | None = None,
) -> list[Json] | None:
    """Book the demo calendar through the gateway; None when the clinic already had appointments.

    ``today`` picks the first of the three weeks (its Monday); by default the current one.
    """
    with httpx.Client(base_url=base_url, timeout=10) as client:
        login = client.post("/api/login", json={"email": ADMIN_EMAIL, "password": password})
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        api = Api(client, deadline=time.monotonic() + timeout)
        existing = api.call("GET", "/api/appointments", params={"itemsPerPage": 1}).json()
        if existing["member"]:
            return None
        staff = api.call("GET", "/api/practitioners", params={"itemsPerPage": 100}).json()
        practitioners = sorted(staff["member"], key=lambda p: p["fullName"])
        hours = {p["id"]: api.wait_for_hours(p["id"]) for p in practitioners}
        found = api.call("GET", "/api/patients", params={"itemsPerPage": 100}).json()
        patients = [p["id"] for p in found["member"] if p["status"] == "active"]
        types = api.call("GET", "/api/appointment-types").json()["member"]
        durations = {t["code"]: t["durationMinutes"] for t in types if t["active"]}
        if not practitioners or not patients or not durations:
            raise RuntimeError("no practitioners, active patients or appointment types to book")
        zone = ZoneInfo(next(iter(hours.values()))["timeZone"])
        planner = Planner(api, zone, durations, patients)
        _plan(planner, [p["id"] for p in practitioners], hours, today or datetime.now(zone).date())
        _close_the_past(api, planner.booked)
        return planner.booked


def _plan(planner: Planner, staff: list[str], hours: dict[str, Json], today: date) -> None:
    """Series and meetings first (they anchor the weeks), then the daily visits, then free slots."""
    days = list(_weekdays(today))
    monday, friday = days[0], days[4]
    empty_day = (staff[-1], days[7])  # next Wednesday afternoon, left open for the front desk
    for index, practitioner in enumerate(staff[:2]):
        weekdays = [0, 2] if index == 0 else [1, 3]
        periods = _periods(hours[practitioner], monday + timedelta(days=weekdays[0]), planner.zone)
        if periods:
            start = periods[index % len(periods)][0] + timedelta(hours=1)
            kind = "follow_up" if index == 0 else "pelvic_floor"
            planner.series(practitioner, start, weekdays, kind)
    for practitioner in staff:
        morning = _periods(hours[practitioner], friday, planner.zone)[:1]
        for _opening, closing in morning:
            planner.block(practitioner, closing - timedelta(hours=1), closing, MEETING)
    for day in days:
        # The packed morning goes first, while every patient is still free that day.
        for practitioner in sorted(staff, key=lambda p: (p, day) != empty_day):
            periods = _periods(hours[practitioner], day, planner.zone)
            packed = (practitioner, day) == empty_day
            planner.day(practitioner, periods[:1] if packed else periods, packed)
    practitioner, day = empty_day
    if len(_periods(hours[practitioner], day, planner.zone)) > 1:
        body = {
            "practitionerId": practitioner,
            "from": day.isoformat(),
            "to": day.isoformat(),
            "duration": 45,
        }
        planner.booked += planner.api.call(
            "POST", "/api/appointments/empty-slots", 201, json=body
        ).json()["member"]


def book_and_report(base_url: str, password: str = DEMO_PASSWORD) -> None:
    """What ``make run`` calls: one line either way; a failure warns and lets the clinic run."""
    started = time.monotonic()
    try:
        booked = book_demo_calendar(base_url, password)
    except Exception as exc:  # a demo nicety must never stop the clinic from starting
        print(f"  warning: demo calendar not booked: {exc}", flush=True)
        return
    if booked is None:
        print("  demo calendar: already has appointments", flush=True)
        return
    visits = sum(1 for a in booked if a["kind"] == "appointment")
    took = time.monotonic() - started
    print(f"  demo calendar: {visits} appointments booked ({took:.1f} s)", flush=True)
    now = datetime.now().astimezone()
    if not any(datetime.fromisoformat(a["endsAt"]) <= now for a in booked):
        print("  demo invoices: none yet (no visit of this week has happened)", flush=True)
        return
    # Imported here: the calendar stands on its own; invoices need billing to be running.
    from demo_invoices import invoice_and_report

    invoice_and_report(base_url, password)
