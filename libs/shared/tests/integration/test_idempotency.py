"""Idempotency-Key against the real MariaDB: a retried POST creates one thing."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pymysql
import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from sqlalchemy import Column, Engine, MetaData, String, Table, func, insert, select
from sqlalchemy.exc import OperationalError

from clinic_shared.app import create_service_app
from clinic_shared.auth import JwtVerifier
from clinic_shared.clock import utcnow
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.deps import DbSession, StaffUser
from clinic_shared.errors import ConflictError
from clinic_shared.events import OutboxWriter, outbox_table
from clinic_shared.idempotency import IdempotencyStore, idempotency_table
from clinic_shared.schemas import CamelInput
from clinic_shared.services import ServiceParts
from clinic_shared.settings import ServiceSettings
from clinic_shared.testing.keys import TokenFactory

pytestmark = pytest.mark.integration

metadata = MetaData()
gadgets = Table(
    "gadgets", metadata, Column("id", String(36), primary_key=True), Column("name", String(50))
)
outbox = outbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
attempts: list[str] = []
router = APIRouter(tags=["gadgets"])


class GadgetCreate(CamelInput):
    name: str
    refuse: bool = False
    crash: bool = False


@router.post("/api/gadgets", status_code=201)
def create_gadget(
    body: GadgetCreate, _user: StaffUser, db: DbSession, request: Request
) -> dict[str, Any]:
    """Create a gadget (refused or crashing on request, to test what is kept)."""
    attempts.append(body.name)
    if body.refuse:
        raise ConflictError("That name is taken.")
    if body.crash:
        raise RuntimeError("boom")
    gadget_id = str(uuid.uuid4())
    with db.begin():
        db.execute(insert(gadgets).values(id=gadget_id, name=body.name))
    return {"id": gadget_id, "name": body.name}


@pytest.fixture
def engine(database_url_factory: Callable[[str], str]) -> Iterator[Engine]:
    engine = create_engine_for(database_url_factory("idempotency"))
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> IdempotencyStore:
    return IdempotencyStore(engine, idempotency_keys)


@pytest.fixture
def client(engine: Engine, store: IdempotencyStore, verifier: JwtVerifier) -> TestClient:
    attempts.clear()
    services = ServiceParts(
        engine=engine,
        sessions=make_session_factory(engine),
        events=OutboxWriter(outbox, "events.gadgets", "gadgets"),
        idempotency=store,
    )
    settings = ServiceSettings(service_name="gadgets", app_env="test", database_url="sqlite://")
    app = create_service_app(
        settings, title="Gadgets", routers=[router], services=services, verifier=verifier
    )
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def auth(token_factory: TokenFactory) -> Callable[..., dict[str, str]]:
    def headers(key: str | None = None, sub: str = "user-1") -> dict[str, str]:
        token = token_factory(sub=sub, roles=["ROLE_RECEPTIONIST"])
        result = {"Authorization": f"Bearer {token}"}
        if key is not None:
            result["Idempotency-Key"] = key
        return result

    return headers


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(gadgets)).scalar_one())


def test_a_retry_after_a_lost_response_returns_the_first_answer(client, auth, engine) -> None:
    first = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("key-1"))
    # The client never saw `first` (the connection dropped): it retries, same key and body.
    retry = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("key-1"))

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert "idempotent-replayed" not in first.headers
    assert _count(engine) == 1
    assert attempts == ["lamp"]


def _order_of_outcome_and_answer(
    client: TestClient, store: IdempotencyStore, monkeypatch: pytest.MonkeyPatch
) -> tuple[TestClient, list[str]]:
    """A client whose app notes when the outcome is recorded and when the answer's end leaves."""
    order: list[str] = []
    for name in ("complete", "release"):
        real = getattr(store, name)

        def noted(*args: Any, _real: Callable[..., None] = real, _name: str = name) -> None:
            _real(*args)
            order.append(_name)

        monkeypatch.setattr(store, name, noted)
    app = client.app

    async def watched(scope: Any, receive: Any, send: Any) -> None:
        async def noting_send(message: Any) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                order.append("answer")
            await send(message)

        await app(scope, receive, noting_send)

    return TestClient(watched, raise_server_exceptions=False), order


def test_the_answer_ends_only_once_its_outcome_is_recorded(
    client, auth, store, monkeypatch
) -> None:
    # Through a real server the client has the answer as soon as its last byte leaves: a retry
    # sent at that moment must find the first answer kept (replayed), not a running claim (409).
    watched, order = _order_of_outcome_and_answer(client, store, monkeypatch)

    created = watched.post("/api/gadgets", json={"name": "lamp"}, headers=auth("k-order"))
    refused = watched.post(
        "/api/gadgets", json={"name": "x", "refuse": True}, headers=auth("k-order-2")
    )

    assert (created.status_code, refused.status_code) == (201, 409)
    assert order == ["complete", "answer", "release", "answer"]


def test_without_a_key_each_post_creates(client, auth, engine) -> None:
    client.post("/api/gadgets", json={"name": "lamp"}, headers=auth())
    client.post("/api/gadgets", json={"name": "lamp"}, headers=auth())

    assert _count(engine) == 2


def test_the_same_key_with_another_body_is_422(client, auth, engine) -> None:
    client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("key-2"))
    other = client.post("/api/gadgets", json={"name": "desk"}, headers=auth("key-2"))

    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _count(engine) == 1


def test_keys_belong_to_their_caller(client, auth, engine) -> None:
    mine = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("shared", sub="a"))
    theirs = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("shared", sub="b"))

    assert mine.json()["id"] != theirs.json()["id"]
    assert _count(engine) == 2


def test_a_refused_request_is_not_kept_so_a_retry_runs_again(client, auth, engine) -> None:
    body = {"name": "lamp", "refuse": True}
    assert client.post("/api/gadgets", json=body, headers=auth("key-3")).status_code == 409
    assert client.post("/api/gadgets", json=body, headers=auth("key-3")).status_code == 409

    assert attempts == ["lamp", "lamp"]


def test_a_crash_releases_the_key(client, auth, engine) -> None:
    crash = client.post("/api/gadgets", json={"name": "x", "crash": True}, headers=auth("key-4"))
    again = client.post("/api/gadgets", json={"name": "x", "crash": True}, headers=auth("key-4"))

    assert crash.status_code == again.status_code == 500
    assert attempts == ["x", "x"]


def test_a_retry_while_the_first_runs_is_409(client, auth, store, engine) -> None:
    body = b'{"name":"lamp"}'
    # The first request has claimed the key and not finished (another worker, say).
    from clinic_shared.idempotency import fingerprint

    store.claim("user-1", "key-5", fingerprint("POST", "/api/gadgets", "", body))
    retry = client.post(
        "/api/gadgets", content=body, headers={**auth("key-5"), "content-type": "application/json"}
    )

    assert retry.status_code == 409
    assert _count(engine) == 0


def test_a_key_older_than_a_day_is_forgotten(client, auth, store, engine) -> None:
    from clinic_shared.idempotency import fingerprint

    body = b'{"name":"lamp"}'
    print_ = fingerprint("POST", "/api/gadgets", "", body)
    store.claim("user-1", "key-6", print_, now=utcnow() - timedelta(hours=25))
    response = client.post(
        "/api/gadgets", content=body, headers={**auth("key-6"), "content-type": "application/json"}
    )

    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers
    assert _count(engine) == 1
    assert store.purge_expired() == 0  # it was taken over, not left behind


def test_purge_removes_expired_keys(store) -> None:
    store.claim("user-1", "old", "f" * 64, now=utcnow() - timedelta(hours=30))
    store.claim("user-1", "new", "f" * 64)

    assert store.purge_expired() == 1


@pytest.mark.parametrize("key", [b"", b"x" * 256, "ñandú".encode(), b"with space"])
def test_a_malformed_key_is_422(client, auth, engine, key: bytes) -> None:
    headers: dict[str, Any] = auth()
    headers["Idempotency-Key"] = key
    response = client.post("/api/gadgets", json={"name": "lamp"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _count(engine) == 0


def test_without_a_valid_token_the_key_is_ignored_and_the_route_refuses(client, engine) -> None:
    response = client.post("/api/gadgets", json={"name": "lamp"}, headers={"Idempotency-Key": "k"})

    assert response.status_code == 401
    assert _count(engine) == 0


def test_ten_simultaneous_retries_create_one_gadget(client, auth, engine) -> None:
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def post() -> None:
        headers = auth("key-race")
        barrier.wait()
        statuses.append(
            client.post("/api/gadgets", json={"name": "lamp"}, headers=headers).status_code
        )

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert _count(engine) == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}


def test_a_failure_to_record_the_outcome_does_not_break_the_answer(
    client, auth, store, monkeypatch
) -> None:
    def database_gone(*_args: object) -> None:
        raise ConnectionError("the database went away after answering")

    monkeypatch.setattr(store, "release", database_gone)
    strict = TestClient(client.app)  # re-raises anything the app raised, even after answering
    refused = strict.post("/api/gadgets", json={"name": "x", "refuse": True}, headers=auth("k-7"))

    assert refused.status_code == 409
    assert refused.json()["detail"] == "That name is taken."


def _lost_connection(statement: str) -> OperationalError:
    """What pymysql raises when the server stops answering mid-statement."""
    lost = pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query")
    return OperationalError(statement, {}, lost)


def _eventually(attempt: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if attempt():
            return True
        time.sleep(0.1)
    return False


def test_a_release_the_database_refused_is_written_once_it_answers(
    client, auth, store, monkeypatch
) -> None:
    # The request was refused while the database was away: its claim could not be released
    # then. A retry must not be told 409 for minutes once the database is back.
    real_release = store.release
    refusals = iter([True, True])

    def flaky_release(*args: Any) -> None:
        if next(refusals, False):
            raise _lost_connection("DELETE")
        real_release(*args)

    monkeypatch.setattr(store, "release", flaky_release)
    body = {"name": "lamp", "refuse": True}
    first = client.post("/api/gadgets", json=body, headers=auth("k-8"))
    assert first.status_code == 409
    assert first.json()["detail"] == "That name is taken."

    # Meanwhile a retry waits (the claim stays running, so nothing can run twice) ...
    waiting = client.post("/api/gadgets", json=body, headers=auth("k-8"))
    assert "still being processed" in waiting.json()["detail"]
    # ... and runs again as soon as the release has been written in the background.
    assert _eventually(
        lambda: (
            client.post("/api/gadgets", json=body, headers=auth("k-8")).json()["detail"]
            == "That name is taken."
        )
    )
    assert attempts == ["lamp", "lamp"]


def test_a_claim_whose_acknowledgement_was_lost_does_not_block_the_retry(
    client, auth, store, engine, monkeypatch
) -> None:
    # The claim reached the database, which then went away before saying so: the request
    # answers 503, and the claim it may have left is undone once the database answers again.
    real_claim = store.claim
    lost = iter([True])

    def claim_then_lose(*args: Any) -> Any:
        claimed = real_claim(*args)
        if next(lost, False):
            raise _lost_connection("INSERT")
        return claimed

    monkeypatch.setattr(store, "claim", claim_then_lose)
    first = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("k-9"))
    assert first.status_code == 503

    retried: list[int] = []

    def retry_creates() -> bool:
        retried.append(
            client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("k-9")).status_code
        )
        return retried[-1] == 201

    assert _eventually(retry_creates), retried
    assert set(retried) <= {201, 409}
    assert _count(engine) == 1
    replay = client.post("/api/gadgets", json={"name": "lamp"}, headers=auth("k-9"))
    assert replay.headers["idempotent-replayed"] == "true"
    assert _count(engine) == 1


def test_a_late_outcome_never_touches_a_claim_taken_over_since(store) -> None:
    from clinic_shared.idempotency import StoredResponse

    abandoned = store.claim("user-1", "k-10", "f" * 64, now=utcnow() - timedelta(minutes=3))
    taken_over = store.claim("user-1", "k-10", "f" * 64)
    assert abandoned.outcome == taken_over.outcome == "run"
    assert abandoned.claimed_at != taken_over.claimed_at

    # The first request's outcome arrives late (the database was away): it must neither free
    # nor fill the claim the second request now holds, or a third could run beside it.
    store.release("user-1", "k-10", abandoned.claimed_at)
    store.complete("user-1", "k-10", StoredResponse(201, {}, b"old"), abandoned.claimed_at)
    assert store.claim("user-1", "k-10", "f" * 64).outcome == "in_progress"

    store.complete("user-1", "k-10", StoredResponse(201, {}, b"new"), taken_over.claimed_at)
    replay = store.claim("user-1", "k-10", "f" * 64)
    assert replay.outcome == "replay"
    assert replay.stored is not None
    assert replay.stored.body == b"new"
