"""The ASGI side of ``Idempotency-Key``: claim the key, run or replay, keep the first answer.

A middleware rather than a dependency because a replay must answer without running the
route at all, and the first answer must be captured byte for byte as it leaves.

The outcome of a request (its answer kept, or its claim released) is written before the last
byte of the answer goes out: a client that retries the moment it has the answer (or whose
connection dropped just after it) finds the outcome already there, and is replayed rather than
told 409. When the database refuses that write (the outage that caused a 503, say), the answer
still goes out and the outcome is written again in the background until the database takes it:
a retry after the outage then runs (or replays) as soon as the database is back, instead of
being told 409 until the claim counts as abandoned.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
from collections.abc import Callable

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.auth.jwks import KeysUnavailableError
from clinic_shared.auth.verifier import InvalidTokenError, JwtVerifier
from clinic_shared.clock import utcnow
from clinic_shared.idempotency import (
    ABANDONED_AFTER,
    MAX_KEY_LENGTH,
    REPLAYED_HEADERS,
    IdempotencyStore,
    StoredResponse,
    fingerprint,
)
from clinic_shared.problems import problem_response

log = logging.getLogger(__name__)

HEADER = b"idempotency-key"
FIELD = "Idempotency-Key"
# Expired keys are swept on every this-many claims (cheap: an indexed range delete).
_PURGE_EVERY = 500
# An outcome the database refused is tried again this often, until the claim would count as
# abandoned anyway (past that a retry takes the claim over; the stamp keeps a late write off it).
OUTCOME_RETRY_SECONDS = 0.5
OUTCOME_GIVE_UP_AFTER = ABANDONED_AFTER.total_seconds()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(c) <= 126 for c in key)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class IdempotencyMiddleware:
    """Honours ``Idempotency-Key`` on POSTs of callers with a valid access token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._claims = itertools.count(1)
        self._outcomes = PendingOutcomes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if not _valid_key(key):
            message = f"1 to {MAX_KEY_LENGTH} visible ASCII characters"
            response = problem_response(
                422, f"{FIELD}: {message}", errors=[{"field": FIELD, "message": message}]
            )
            await response(scope, receive, send)
            return
        state = scope["app"].state
        store: IdempotencyStore | None = getattr(
            getattr(state, "services", None), "idempotency", None
        )
        caller = await self._caller(scope, state.verifier)
        if store is None or caller is None:
            # No token, no scope to keep the key in: the route answers 401 or runs as usual.
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        await self._run_once(scope, send, store, caller, key, body)

    async def _caller(self, scope: Scope, verifier: JwtVerifier) -> str | None:
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return (await verifier.averify(token.strip())).user_id
        except (InvalidTokenError, KeysUnavailableError):
            return None  # the route's own check answers 401 or 503

    async def _run_once(
        self, scope: Scope, send: Send, store: IdempotencyStore, caller: str, key: str, body: bytes
    ) -> None:
        print_ = fingerprint(
            scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"), body
        )
        if next(self._claims) % _PURGE_EVERY == 0:
            await anyio.to_thread.run_sync(store.purge_expired)
        claimed_at = utcnow()
        try:
            claim = await anyio.to_thread.run_sync(store.claim, caller, key, print_, claimed_at)
        except Exception:
            # The claim may have been written just before the database went away (the write
            # landed, its acknowledgement did not): undo it once the database answers, so the
            # client's retry runs instead of being told 409. The route never ran, so this is safe;
            # the stamp keeps it off any other request's claim. The error answers 503 as usual.
            self._outcomes.add(
                f"release of a failed claim of {key!r}",
                functools.partial(store.release, caller, key, claimed_at),
            )
            raise
        if claim.outcome == "mismatch":
            message = "was used before with another request; use a new key for a new request"
            response = problem_response(
                422, f"{FIELD}: {message}", errors=[{"field": FIELD, "message": message}]
            )
            await response(scope, _replayed_body(body), send)
            return
        if claim.outcome == "in_progress":
            response = problem_response(
                409, "The first request with this Idempotency-Key is still being processed."
            )
            await response(scope, _replayed_body(body), send)
            return
        if claim.outcome == "replay":
            assert claim.stored is not None
            await _send_stored(send, claim.stored)
            return
        claimed_at = claim.claimed_at or claimed_at
        captured = _Capture(send)
        try:
            await self.app(scope, _replayed_body(body), captured.send)
        except BaseException:
            await self._settle(
                f"release of {key!r}", functools.partial(store.release, caller, key, claimed_at)
            )
            await captured.finish()
            raise
        if captured.status is not None and 200 <= captured.status < 300:
            stored = captured.stored()
            await self._settle(
                f"answer to {key!r}",
                functools.partial(store.complete, caller, key, stored, claimed_at),
            )
        else:
            await self._settle(
                f"release of {key!r}", functools.partial(store.release, caller, key, claimed_at)
            )
        await captured.finish()

    async def _settle(self, what: str, action: Callable[[], None]) -> None:
        # The answer has gone out: a database that fails now (the outage that caused a 503, say)
        # must not turn into a second error. The claim stays running meanwhile (a retry is told
        # 409, never runs twice) and the outcome is written in the background once it can be.
        try:
            await anyio.to_thread.run_sync(action)
        except BaseException as exc:
            if isinstance(exc, Exception):
                log.warning(
                    "could not record the %s (%s); trying again in the background", what, exc
                )
            self._outcomes.add(what, action)  # cancelled: writing it again is harmless
            if not isinstance(exc, Exception):
                raise


class PendingOutcomes:
    """Outcomes the database refused, written again by one background thread until it takes them.

    Each is tried every ``retry_every`` seconds for ``give_up_after`` seconds; a round stops at
    the first failure (the database is still away). Writing an outcome twice is harmless: a
    release deletes only a running claim, a completion stores the same answer, and both touch
    only the claim they were made for.
    """

    def __init__(
        self,
        retry_every: float = OUTCOME_RETRY_SECONDS,
        give_up_after: float = OUTCOME_GIVE_UP_AFTER,
    ) -> None:
        self._retry_every = retry_every
        self._give_up_after = give_up_after
        self._pending: list[tuple[float, str, Callable[[], None]]] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def add(self, what: str, action: Callable[[], None]) -> None:
        """Write ``action`` in the background, soon and until it succeeds or times out."""
        with self._lock:
            self._pending.append((time.monotonic() + self._give_up_after, what, action))
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="idempotency-outcomes", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while True:
            time.sleep(self._retry_every)
            with self._lock:
                batch = list(self._pending)
            settled = []
            for item in batch:
                deadline, what, action = item
                try:
                    action()
                except Exception as exc:
                    if time.monotonic() < deadline:
                        break  # the database is still away: try the lot again next round
                    log.error("gave up recording the %s: %s", what, exc)
                else:
                    log.info("recorded the %s once the database answered again", what)
                settled.append(item)
            with self._lock:
                self._pending = [item for item in self._pending if item not in settled]
                if not self._pending:
                    self._worker = None
                    return


def _replayed_body(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class _Capture:
    """Passes the answer through while keeping a copy of it, all but its last message.

    The last body message waits for ``finish``, called once the outcome has been recorded.
    """

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._last: Message | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", []):
                decoded = name.decode("latin-1").lower()
                if decoded in REPLAYED_HEADERS:
                    self._headers[decoded] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            self._body.append(message.get("body", b""))
            if not message.get("more_body", False):
                self._last = message
                return
        await self._send(message)

    async def finish(self) -> None:
        """Send the answer's last message, held back until now."""
        last, self._last = self._last, None
        if last is not None:
            await self._send(last)

    def stored(self) -> StoredResponse:
        assert self.status is not None
        return StoredResponse(self.status, self._headers, b"".join(self._body))


async def _send_stored(send: Send, stored: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers.items()]
    headers.append((b"idempotent-replayed", b"true"))
    headers.append((b"content-length", str(len(stored.body)).encode()))
    await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})
