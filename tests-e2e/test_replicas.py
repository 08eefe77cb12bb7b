"""Two processes of every service behind the gateway, one of each killed and restarted under load.

The stack runs as ``scripts/stack.py run --replicas 2`` does, on its own MariaDB databases (a
prefix of its own) and its own ``redis-server`` (so it shares nothing with the other e2e tests).
Three clients book appointments, issue invoices and read lists through the gateway while each
service in turn loses one process to SIGKILL; the supervisor starts it again. Then:

- every request succeeded except ones in flight at a kill (sent before it, answered after it);
- every event is published once (the two outbox relays share the rows) and applied once by
  each consumer group (its two consumers share the stream): nothing pending, nothing dead;
- the invoice numbers have no gap, and every booking the clients were told of exists once.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from clinic_shared.events import EventEnvelope
from clinic_shared.events.envelope import from_fields
from clinic_shared.testing.ports import free_port_base
from e2e_helpers import events_settled, login, wait_until
from faults.servers import REDIS_SERVER, PrivateRedis
from stack import ROOT, Stack, running

SERVICES = ("identity", "patients", "scheduling", "billing", "records")
# Who consumes which producer's stream (the consumer groups the test checks).
CONSUMERS = {
    "scheduling": ("patients", "billing", "records"),
    "patients": ("scheduling", "billing", "records"),
    "identity": ("scheduling", "records"),
}
# Requests answered with these count as lost (4xx answers are the clients' own bugs: none).
LOST = (0, 409, 500, 502, 503, 504)


@dataclass
class Call:
    """One request the load made: when it left, when it ended, how."""

    what: str
    started: float
    ended: float
    status: int


@dataclass
class Load:
    """The clients' record: every call, the kills, the bookings and invoices they were told of."""

    calls: list[Call] = field(default_factory=list)
    # (process, monotonic time, wall-clock time) of each SIGKILL.
    kills: list[tuple[str, float, float]] = field(default_factory=list)
    booked: list[str] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(
        self, client: httpx.Client, method: str, path: str, **options: Any
    ) -> httpx.Response | None:
        """The answer, or None when the request was lost (recorded either way)."""
        started = time.monotonic()
        response: httpx.Response | None = None
        try:
            response = client.request(method, path, **options)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        with self.lock:
            self.calls.append(Call(f"{method} {path}", started, time.monotonic(), status))
        return response if status not in LOST else None

    def in_flight_at_a_kill(self, call: Call) -> bool:
        return any(call.started <= killed_at <= call.ended for _name, killed_at, _ in self.kills)

    def published_before_a_kill(self, producer: str, entry_id: str) -> bool:
        """Whether a stream entry was added in the seconds before ``producer`` lost a process.

        A relay killed between its XADD and the commit that marks the row published leaves the
        row to the other relay, which publishes it again: at-least-once, by design (the
        consumers skip the second copy).
        """
        added = int(entry_id.split("-")[0]) / 1000
        return any(
            name.split("-")[0] == producer and killed_at - 5 <= added <= killed_at
            for name, _, killed_at in self.kills
        )


@pytest.fixture(scope="module")
def replicated() -> Iterator[Stack]:
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip("redis-server not installed")
    from clinic_shared.db import drop_database

    folder = Path(tempfile.mkdtemp(prefix="clinic-replicas-"))
    redis_server = PrivateRedis(folder)
    redis_server.start()
    system = Stack(
        app_env="test",
        port_base=free_port_base(span=16),
        database_server=os.environ.get(
            "TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
        ),
        database_prefix=f"e2e_rep_{uuid.uuid4().hex[:6]}_",
        redis_url=redis_server.url,
        var_dir=folder / "var",
        log_dir=ROOT / "var" / "replicas" / f"logs-{os.getpid()}",
        fast_password_hashing=True,
        replicas=2,
    )
    try:
        with running(system):
            yield system
    finally:
        for spec in system.services():
            drop_database(system.database_url(spec))
        redis_server.stop(keep_data=False)
        shutil.rmtree(folder, ignore_errors=True)


def _future_slots(first: date) -> Iterator[datetime]:
    """45-minute slots inside the clinic's usual hours (Madrid) on weekdays from ``first``."""
    for offset in itertools.count():
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for minutes in range(8 * 60, 11 * 60 + 1, 45):  # 08:00–11:45 UTC: 09:00–14:00 Madrid
            yield datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)


def _book(load: Load, client: httpx.Client, practitioner_id: str, patient_id: str) -> None:
    for starts_at in _future_slots(datetime.now(UTC).date() + timedelta(days=7)):
        if load.stop.is_set():
            return
        body = {
            "practitionerId": practitioner_id,
            "patientId": patient_id,
            "type": "follow_up",
            "startsAt": starts_at.isoformat(),
        }
        key = {"Idempotency-Key": str(uuid.uuid4())}
        booked = load.call(client, "POST", "/api/appointments", json=body, headers=key)
        if booked is not None:
            assert booked.status_code == 201, booked.text
            with load.lock:
                load.booked.append(booked.json()["id"])
            load.call(client, "GET", f"/api/appointments/{booked.json()['id']}")


def _issue(load: Load, client: httpx.Client, patient_id: str) -> None:
    line = {"description": "Sesión", "quantity": "1", "unitPrice": "40", "vatRate": "0",
            "exemption": "health_care"}  # fmt: skip
    draft_body = {"series": "F", "patientId": patient_id, "lines": [line]}
    while not load.stop.is_set():
        key = {"Idempotency-Key": str(uuid.uuid4())}
        draft = load.call(client, "POST", "/api/invoices", json=draft_body, headers=key)
        if draft is None:
            continue
        assert draft.status_code == 201, draft.text
        headers = {"If-Match": draft.headers["etag"], "Idempotency-Key": str(uuid.uuid4())}
        path = f"/api/invoices/{draft.json()['id']}/issue"
        issued = load.call(client, "POST", path, headers=headers)
        if issued is not None:
            assert issued.status_code == 200, issued.text
            with load.lock:
                load.issued.append(issued.json()["number"])


def _read(load: Load, client: httpx.Client, practitioner_id: str) -> None:
    monday = datetime.now(UTC).date() + timedelta(days=7)
    monday -= timedelta(days=monday.weekday())
    week = {"practitionerId": practitioner_id, "weekStart": monday.isoformat()}
    reads = itertools.cycle([
        ("/api/patients", {"search": "garcia"}),
        ("/api/invoices", {}),
        ("/api/schedule/week", week),
        ("/api/record-templates", {}),
        ("/api/me", {}),
        ("/api/dashboard/stats", {}),
    ])  # fmt: skip
    for path, params in reads:
        if load.stop.is_set():
            return
        answer = load.call(client, "GET", path, params=params)
        if answer is not None:
            assert answer.status_code == 200, f"{path}: {answer.text}"


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _kill_one_replica_of_each(stack: Stack, load: Load) -> None:
    """SIGKILL the second process of one service, the first of the next…; wait for each back."""
    for index, name in enumerate(SERVICES):
        spec = next(s for s in stack.services() if s.name == name)
        replica = index % 2
        process_name = stack.replica_name(spec, replica)
        time.sleep(1.5)  # load on both before the kill
        victim = stack.process(process_name)
        victim.send_signal(signal.SIGKILL)
        load.kills.append((process_name, time.monotonic(), time.time()))
        victim.wait(5)
        wait_until(
            lambda: stack.process(process_name) is not victim,  # noqa: B023
            15,
            f"{process_name} restarted",
        )
        wait_until(lambda: _ready(stack.service_url(spec, replica)), 60, f"{process_name} ready")  # noqa: B023


def _client(stack: Stack, email: str) -> httpx.Client:
    client = httpx.Client(base_url=stack.gateway_url, timeout=15)
    client.headers["Authorization"] = f"Bearer {login(client, email)}"
    return client


def _engine(stack: Stack, service: str) -> Any:
    spec = next(s for s in stack.services() if s.name == service)
    return create_engine(stack.database_url(spec))


def _entries(events: redis.Redis, producer: str) -> list[tuple[str, EventEnvelope]]:
    entries: list[tuple[str, dict[str, str]]] = events.xrange(f"events.{producer}")  # type: ignore[assignment]
    return [(entry_id, from_fields(fields)) for entry_id, fields in entries]


def _stream(events: redis.Redis, producer: str) -> list[EventEnvelope]:
    return [envelope for _entry_id, envelope in _entries(events, producer)]


def test_killing_one_process_of_each_service_loses_nothing_but_what_was_in_flight(
    replicated: Stack,
) -> None:
    stack = replicated
    gateway = _client(stack, "recepcion@demo.clinic")
    practitioners = gateway.get("/api/practitioners").json()["member"]
    laura = next(p for p in practitioners if p["fullName"] == "Laura Martínez")
    patient = gateway.get("/api/patients", params={"search": "garcia nunez"}).json()["member"][0]
    load = Load()
    clients = [_client(stack, "recepcion@demo.clinic") for _ in range(2)]
    admin = _client(stack, "admin@demo.clinic")
    workers = [
        threading.Thread(target=_book, args=(load, clients[0], laura["id"], patient["id"])),
        threading.Thread(target=_issue, args=(load, clients[1], patient["id"])),
        threading.Thread(target=_read, args=(load, admin, laura["id"])),
    ]
    for worker in workers:
        worker.start()
    try:
        _kill_one_replica_of_each(stack, load)
        time.sleep(2)  # load on the restarted processes too
    finally:
        load.stop.set()
        for worker in workers:
            worker.join(30)

    # Only what was in flight at a kill was lost.
    lost = [c for c in load.calls if c.status in LOST]
    kills = [(name, round(at, 2)) for name, at, _ in load.kills]
    assert [c for c in lost if not load.in_flight_at_a_kill(c)] == [], f"kills: {kills}"
    assert len(lost) <= len(load.kills) * len(workers)
    assert len(load.calls) > 100, "the load ran"
    assert len(load.booked) > 10
    assert len(load.issued) > 10
    print(f"\n{len(load.calls)} calls, {len(lost)} lost in flight: {[c.what for c in lost]}")

    # Every booking the desk was told of exists once; no invoice number is missing.
    for appointment_id in load.booked:
        assert gateway.get(f"/api/appointments/{appointment_id}").status_code == 200
    gaps = gateway.get("/api/invoices/number-gaps").json()
    assert gaps["gaps"] == []
    assert gaps["duplicates"] == []
    assert len(set(load.issued)) == len(load.issued)

    # Every event published once and applied once by every consumer group.
    events = redis.Redis.from_url(stack.effective_redis_url(), decode_responses=True)
    wait_until(
        lambda: events_settled(stack, events, CONSUMERS),
        60,
        "outboxes published and streams consumed",
    )
    for producer, groups in CONSUMERS.items():
        entries = _entries(events, producer)
        published = [str(envelope.id) for _entry_id, envelope in entries]
        first_copies: dict[str, str] = {}
        for entry_id, envelope in entries:
            if str(envelope.id) in first_copies:
                # Only a relay killed mid-publish may have sent an event twice.
                first = first_copies[str(envelope.id)]
                assert load.published_before_a_kill(producer, first), f"{envelope} twice"
            first_copies.setdefault(str(envelope.id), entry_id)
        if len(entries) > len(first_copies):
            print(f"events.{producer}: {len(entries) - len(first_copies)} sent twice at a kill")
        with _engine(stack, producer).connect() as conn:
            outbox = set(conn.execute(text("SELECT event_id FROM outbox")).scalars())
        assert outbox <= set(published)
        for group in groups:
            with _engine(stack, group).connect() as conn:
                processed = set(
                    conn.execute(text("SELECT event_id FROM processed_events")).scalars()
                )
            assert not events.exists(f"dead.{group}")
            if producer == "scheduling" and group == "patients":
                # patients handles every appointment.* event: each applied, none twice.
                assert set(published) <= processed
    booked_events = {
        str(e.data["appointmentId"])
        for e in _stream(events, "scheduling")
        if e.type == "appointment.booked"
    }
    assert set(load.booked) <= booked_events
