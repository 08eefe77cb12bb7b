"""The fault matrix of issue 11 on private servers: outages, freezes, kills, poison, duplicates.

The scenarios run in file order on one stack and each leaves it recovered. What every one
asserts: nothing lost, nothing applied twice, readiness false while a dependency the service
cannot serve without is down, recovery within the figures below, problem+json 503, never 500.
Figures (the operator's promise in docs/operations.md):
- a Redis outage: writes go on; all of them are applied downstream <= 15 s after Redis is back;
- MariaDB down or frozen: 503 + Retry-After before the gateway's 10 s; /healthz < 0.5 s;
- a dead service answers again <= 10 s later (supervision), the dashboard lists it as degraded;
- a poison event is parked in the dead stream <= 5 s; a duplicate or old event changes nothing.
"""

from __future__ import annotations

import json
import string
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from faults.servers import PREFIX, PrivateMariaDB, PrivateRedis
from stack import Stack

pytestmark = pytest.mark.integration

PROBLEM_JSON = "application/problem+json"
GATEWAY_TIMEOUT = 10.0
DELIVERY_AFTER_REDIS_BACK = 15.0
SERVICES = ("identity", "patients", "scheduling")


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> float:
    """Poll ``predicate`` until truthy; return the seconds it took, fail naming ``what``.

    A connection error counts as "not yet" (it is kept only to name it in the failure): an
    exception object is truthy, and taking it for success once let "scheduling answers again"
    pass on a refused connection, before the supervisor had even seen the process go.
    """
    started = time.monotonic()
    last: Any = None
    while time.monotonic() - started < timeout:
        try:
            last = predicate()
        except (httpx.HTTPError, OSError) as exc:
            last = exc
        else:
            if last:
                return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout:.0f} s (last: {last!r})")


def staff(gateway: httpx.Client) -> dict[str, str]:
    response = gateway.post(
        "/api/login", json={"email": "recepcion@demo.clinic", "password": "demo1234"}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def letters(n: int) -> str:
    """A name-safe unique suffix (names take letters, not digits)."""
    out = ""
    for _ in range(3):
        out = string.ascii_lowercase[n % 26] + out
        n //= 26
    return out


def create_patient(
    gateway: httpx.Client, auth: dict[str, str], last_name: str, key: str | None = None
) -> httpx.Response:
    headers = {**auth, "Idempotency-Key": key} if key else auth
    return gateway.post(
        "/api/patients", headers=headers, json={"firstName": "Prueba", "lastName": last_name}
    )


def read_model(mariadb: PrivateMariaDB) -> dict[str, str]:
    """Scheduling's copy of the patients (fed only by events): id -> full name."""
    rows = mariadb.query(f"SELECT id, full_name FROM `{PREFIX}scheduling`.patients")
    return {str(i): str(n) for i, n in rows}


def patients_named(mariadb: PrivateMariaDB, last_name: str) -> int:
    rows = mariadb.query(
        f"SELECT COUNT(*) FROM `{PREFIX}patients`.patients WHERE last_name = %s", last_name
    )
    return int(rows[0][0])  # type: ignore[call-overload]


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    response = httpx.get(url, timeout=5)
    return response.status_code, time.monotonic() - started


def test_redis_outage_keeps_writes_and_delivers_them_once_it_is_back(
    gateway: httpx.Client, fault_stack: Stack, mariadb: PrivateMariaDB, redis_server: PrivateRedis
) -> None:
    auth = staff(gateway)
    patients = fault_stack.service_url(
        next(s for s in fault_stack.services() if s.name == "patients")
    )

    redis_server.stop(keep_data=True)
    down_at = time.monotonic()
    created: list[str] = []
    for n in range(20):
        response = create_patient(gateway, auth, f"Corte{letters(n)}")
        assert response.status_code == 201, response.text  # the outbox keeps it
        created.append(response.json()["id"])
    readiness = httpx.get(f"{patients}/readyz", timeout=5)
    time.sleep(max(0.0, 10 - (time.monotonic() - down_at)))
    redis_server.start()

    took = wait_until(
        lambda: set(created) <= read_model(mariadb).keys(),
        DELIVERY_AFTER_REDIS_BACK,
        "the 20 patients written during the outage reach scheduling",
    )
    assert took <= DELIVERY_AFTER_REDIS_BACK
    assert len(set(created)) == 20
    # Finding 20: Redis is not something patients cannot serve without (writes go on through
    # the outbox), so its readiness stays true during a Redis outage.
    assert readiness.status_code == 200, f"finding 20 (events kit): /readyz {readiness.text}"


def test_mariadb_stopped_gives_503_with_retry_after_and_fast_healthz(
    gateway: httpx.Client, fault_stack: Stack, mariadb: PrivateMariaDB
) -> None:
    auth = staff(gateway)
    urls = {s.name: fault_stack.service_url(s) for s in fault_stack.services()}

    mariadb.stop()
    try:
        started = time.monotonic()
        login = gateway.post(
            "/api/login", json={"email": "admin@demo.clinic", "password": "demo1234"}
        )
        login_took = time.monotonic() - started
        listing = gateway.get("/api/patients", headers=auth)
        created = create_patient(gateway, auth, "Apagado")
        health = {name: timed_get(f"{url}/healthz") for name, url in urls.items()}
        ready = {
            name: httpx.get(f"{url}/readyz", timeout=10).status_code for name, url in urls.items()
        }
    finally:
        mariadb.start()

    for response in (login, listing, created):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        assert int(response.headers["retry-after"]) > 0
    assert login_took < GATEWAY_TIMEOUT
    assert all(code == 200 and took < 0.5 for code, took in health.values()), health
    assert set(ready.values()) == {503}, ready

    wait_until(
        lambda: gateway.get("/api/patients", headers=auth).status_code == 200,
        15,
        "patients answers again after MariaDB is back",
    )
    assert httpx.get(f"{urls['patients']}/readyz", timeout=5).status_code == 200
    assert patients_named(mariadb, "Apagado") == 0


def test_mariadb_frozen_gives_503_in_time_and_a_retry_creates_one_patient(
    gateway: httpx.Client, fault_stack: Stack, mariadb: PrivateMariaDB
) -> None:
    auth = staff(gateway)
    urls = {s.name: fault_stack.service_url(s) for s in fault_stack.services()}
    key = f"faults-{uuid.uuid4()}"
    outcome: dict[str, Any] = {}

    def first_attempt() -> None:
        started = time.monotonic()
        try:
            outcome["response"] = create_patient(gateway, auth, "Congelado", key)
        except httpx.HTTPError as exc:
            outcome["response"] = exc
        outcome["took"] = time.monotonic() - started

    mariadb.freeze()
    try:
        attempt = threading.Thread(target=first_attempt)
        attempt.start()
        time.sleep(1.0)  # the request is now waiting on the frozen server
        health = {name: timed_get(f"{url}/healthz") for name, url in urls.items()}
        attempt.join(timeout=30)
    finally:
        mariadb.thaw()

    response = outcome["response"]
    assert isinstance(response, httpx.Response), response
    assert response.status_code == 503, response.text  # the service gave up, not the gateway
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "retry-after" in response.headers
    assert outcome["took"] < GATEWAY_TIMEOUT
    assert all(code == 200 and took < 0.5 for code, took in health.values()), health

    def retried() -> bool:
        again = create_patient(gateway, auth, "Congelado", key)
        assert again.status_code in {201, 409, 503}, again.text
        return again.status_code == 201

    wait_until(retried, 20, "the retry with the same Idempotency-Key succeeds")
    replay = create_patient(gateway, auth, "Congelado", key)
    assert replay.headers.get("idempotent-replayed") == "true"
    assert patients_named(mariadb, "Congelado") == 1


def test_a_killed_service_is_restarted_and_shown_degraded_meanwhile(
    gateway: httpx.Client, fault_stack: Stack, mariadb: PrivateMariaDB
) -> None:
    auth = staff(gateway)
    scheduling = next(s for s in fault_stack.services() if s.name == "scheduling")
    restarts_before = len(fault_stack.restarts)

    killed = fault_stack.process("scheduling")
    killed.kill()
    killed.wait(timeout=5)  # until it is gone: a dying process may still answer /healthz
    killed_at = time.monotonic()
    dashboard = gateway.get("/api/dashboard/stats", headers=auth)
    written = create_patient(gateway, auth, "Reinicio")  # its event waits in Redis
    assert written.status_code == 201, written.text

    back = wait_until(
        lambda: (
            httpx.get(f"{fault_stack.service_url(scheduling)}/healthz", timeout=1).status_code
            == 200
        ),
        10,
        "scheduling answers again",
    )
    assert dashboard.status_code == 200, dashboard.text
    assert "scheduling" in dashboard.json()["degraded"]
    assert time.monotonic() - killed_at < 10
    assert back < 10
    assert len(fault_stack.restarts) > restarts_before, (restarts_before, fault_stack.restarts)
    name, code, delay = fault_stack.restarts[restarts_before]
    assert (name, delay) == ("scheduling", 1.0)
    assert code != 0
    wait_until(
        lambda: written.json()["id"] in read_model(mariadb),
        10,
        "the event written while scheduling was down is applied",
    )
    after = gateway.get("/api/dashboard/stats", headers=auth).json()
    assert "scheduling" not in after["degraded"]


def test_a_consumer_killed_mid_stream_applies_every_event_once(
    gateway: httpx.Client, fault_stack: Stack, mariadb: PrivateMariaDB, redis_server: PrivateRedis
) -> None:
    auth = staff(gateway)
    created: list[str] = []
    for n in range(30):
        if n == 10:
            fault_stack.process("scheduling").kill()  # in the middle of the burst
        response = create_patient(gateway, auth, f"Rafaga{letters(n)}")
        assert response.status_code == 201, response.text
        created.append(response.json()["id"])

    # Finding 19: a killed consumer's pending events are reclaimed in seconds, not 60 s.
    wait_until(
        lambda: set(created) <= read_model(mariadb).keys(),
        20,
        "all 30 patients of the burst reach scheduling",
    )
    dead = redis_server.client().xrange("dead.scheduling")
    parked = {json.loads(f["envelope"])["data"].get("id") for _, f in dead if "envelope" in f}
    assert not parked & set(created)


def _envelopes_of(redis_server: PrivateRedis, patient_id: str) -> list[dict[str, str]]:
    entries = redis_server.client().xrange("events.patients")
    found = []
    for _entry_id, fields in entries:
        try:
            envelope = json.loads(fields["envelope"])
        except (KeyError, ValueError):
            continue
        if envelope.get("data", {}).get("id") == patient_id:
            found.append(fields)
    return found


def test_poison_is_parked_and_duplicate_or_old_events_change_nothing(
    gateway: httpx.Client, mariadb: PrivateMariaDB, redis_server: PrivateRedis
) -> None:
    auth = staff(gateway)
    events = redis_server.client()

    poison = events.xadd("events.patients", {"envelope": "{not an event"})
    took = wait_until(
        lambda: any(f.get("entryId") == poison for _, f in events.xrange("dead.scheduling")),
        5,
        "the poison event is parked in dead.scheduling",
    )
    assert took <= 5

    response = create_patient(gateway, auth, "Duplicado")
    assert response.status_code == 201, response.text
    patient_id = response.json()["id"]
    wait_until(lambda: patient_id in read_model(mariadb), 5, "the new patient reaches scheduling")
    current = gateway.get(f"/api/patients/{patient_id}", headers=auth)
    renamed = gateway.put(
        f"/api/patients/{patient_id}",
        headers={**auth, "If-Match": current.headers["etag"]},
        json={"firstName": "Renombrada", "lastName": "Duplicado"},
    )
    assert renamed.status_code == 200, renamed.text
    wait_until(
        lambda: read_model(mariadb).get(patient_id) == "Renombrada Duplicado",
        5,
        "the rename reaches scheduling",
    )

    for fields in _envelopes_of(redis_server, patient_id):  # the registration and the rename
        events.xadd("events.patients", fields)  # delivered again, in the old order
    time.sleep(2)

    assert read_model(mariadb).get(patient_id) == "Renombrada Duplicado"
    assert patients_named(mariadb, "Duplicado") == 1
    parked = [f for _, f in events.xrange("dead.scheduling") if f.get("entryId") != poison]
    assert not [f for f in parked if patient_id in f.get("envelope", "")]


# Last: until consumers resume on an empty Redis (finding 14), every later scenario would fail too.
def test_redis_back_empty_consumers_resume(
    gateway: httpx.Client, mariadb: PrivateMariaDB, redis_server: PrivateRedis
) -> None:
    auth = staff(gateway)
    marker = f"faults:before-the-wipe:{uuid.uuid4()}"
    redis_server.client().set(marker, "1")
    redis_server.stop(keep_data=False)
    redis_server.start()  # no streams, no consumer groups
    # Not dbsize() == 0: the services reconnect within milliseconds and create their streams and
    # groups again, so an empty Redis may already hold new keys. What must be gone is the old data.
    assert not redis_server.client().exists(marker)

    response = create_patient(gateway, auth, "Vaciado")
    assert response.status_code == 201, response.text
    patient_id = response.json()["id"]

    # Finding 14 (events kit): consumers recreate their group and resume; a patient registered
    # after Redis came back empty reaches scheduling like any other.
    wait_until(
        lambda: patient_id in read_model(mariadb),
        DELIVERY_AFTER_REDIS_BACK,
        "finding 14: scheduling applies events after Redis came back empty",
    )
