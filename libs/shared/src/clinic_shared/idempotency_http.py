"""The ASGI side of ``Idempotency-Key``: claim the key, run or replay, keep the first answer.

A middleware rather than a dependency because a replay must answer without running the
route at all, and the first answer must be captured byte for byte as it leaves.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.auth.jwks import KeysUnavailableError
from clinic_shared.auth.verifier import InvalidTokenError, JwtVerifier
from clinic_shared.idempotency import (
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
        claim = await anyio.to_thread.run_sync(store.claim, caller, key, print_)
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
        captured = _Capture(send)
        try:
            await self.app(scope, _replayed_body(body), captured.send)
        except BaseException:
            await _settle(store.release, caller, key)
            raise
        if captured.status is not None and 200 <= captured.status < 300:
            await _settle(store.complete, caller, key, captured.stored())
        else:
            await _settle(store.release, caller, key)


async def _settle(action: Callable[..., None], *args: Any) -> None:
    # The answer has gone out: a database that fails now (the outage that caused a 503, say)
    # must not turn into a second error. The claim is then left running, and a retry is told
    # 409 until it counts as abandoned (ABANDONED_AFTER), which never creates a twin.
    try:
        await anyio.to_thread.run_sync(action, *args)
    except Exception as exc:
        log.warning("could not record the outcome of an Idempotency-Key: %s", exc)


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
    """Passes the answer through while keeping a copy of it."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", []):
                decoded = name.decode("latin-1").lower()
                if decoded in REPLAYED_HEADERS:
                    self._headers[decoded] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            self._body.append(message.get("body", b""))
        await self._send(message)

    def stored(self) -> StoredResponse:
        assert self.status is not None
        return StoredResponse(self.status, self._headers, b"".join(self._body))


async def _send_stored(send: Send, stored: StoredResponse) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers.items()]
    headers.append((b"idempotent-replayed", b"true"))
    headers.append((b"content-length", str(len(stored.body)).encode()))
    await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})
