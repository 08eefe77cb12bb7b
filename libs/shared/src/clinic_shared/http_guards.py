"""Pure ASGI middleware guarding every service's HTTP edge.

- :class:`NoStoreMiddleware`: ``Cache-Control: no-store`` on every answer that did not set its
  own (answers carry personal data; the JWKS keeps its ``public, max-age=60``).
- :class:`RequestBodyMiddleware`: a body larger than the limit is a 413 before anything parses
  it (with ``Content-Length`` or chunked), and a JSON body naming one key twice in an object is a
  422 naming that key (``{"roles": [...], "roles": [...]}`` must not mean "the last one wins");
  a JSON body that is not UTF-8 is the same 422 as malformed JSON (not FastAPI's bare 400).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic_shared.problems import problem_response

NO_STORE = b"no-store"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class NoStoreMiddleware:
    """Add ``Cache-Control: no-store`` to every HTTP answer that has no Cache-Control yet."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", NO_STORE))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_no_store)


class DuplicateKeyError(ValueError):
    """A JSON object names ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def duplicate_key(body: bytes) -> str | None:
    """The first key some object of the JSON ``body`` names twice (None: none, or not JSON)."""
    try:
        json.loads(body, object_pairs_hook=_refuse_duplicates)
    except DuplicateKeyError as exc:
        return exc.key
    except ValueError:
        return None  # malformed JSON: FastAPI answers it with its own 422
    return None


def _json_body_problem(body: bytes) -> tuple[str, str] | None:
    """``(field, message)`` when a JSON body is not UTF-8 or names a key twice, else None."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        # JSON is UTF-8 (RFC 8259); FastAPI would answer this with a bare 400.
        return "body", "Malformed JSON: the body is not UTF-8 text"
    key = duplicate_key(body)
    if key is not None:
        return key, "is given more than once in the same object"
    return None


def _is_json(content_type: str) -> bool:
    # What FastAPI parses as JSON: no Content-Type at all, application/json or any */*+json.
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        return True
    subtype = media.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json")


class RequestBodyMiddleware:
    """413 for bodies over ``max_bytes``; 422 for JSON bodies with a duplicated key."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call: read the whole (bounded) body first, then replay it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}
        declared = headers.get(b"content-length", b"").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: let the app see it as usual.
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if body and _is_json(content_type):
            problem = _json_body_problem(body)
            if problem is not None:
                field, message_text = problem
                response = problem_response(
                    422,
                    f"{field}: {message_text}",
                    errors=[{"field": field, "message": message_text}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, _replay(chunks, None, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            f"The request body is larger than {self.max_bytes} bytes.",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _replay(chunks: list[bytes], pending: Message | None, receive: Receive) -> Receive:
    """A ``receive`` giving the buffered body once (or ``pending``), then the real one."""
    queue: list[Message] = (
        [pending]
        if pending is not None
        else [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
    )

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed
