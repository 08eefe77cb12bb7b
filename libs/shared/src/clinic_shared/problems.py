"""RFC 9457 problem+json: the handlers that render every error, the rules' ones included.

Use cases raise :mod:`clinic_shared.errors` (404/409/412/422/428); :class:`ProblemError` is for
what is truly HTTP, such as 401 with a challenge or 429 with ``Retry-After``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from clinic_shared.errors import ClinicError
from clinic_shared.request_id import current_request_id

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("clinic.problems")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


# Seconds a client is told to wait when the database is unavailable (503 ``Retry-After``).
DATABASE_RETRY_AFTER_SECONDS = 5
# MariaDB/MySQL error codes that say "the database cannot serve now", not "this request is
# wrong": connection refused/lost/gone, too many connections, server shutting down,
# statement time limit (max_statement_time), lock wait timeout, deadlock, read-only server.
_UNAVAILABLE_CODES = frozenset(
    {1040, 1053, 1205, 1213, 1290, 1927, 1969, 2002, 2003, 2005, 2006, 2013, 2055}
)
# The embedded SQLite's equivalents (another writer holds the lock; the file is gone).
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` means the database is down, frozen or overloaded (503, try again).

    Integrity errors, bad SQL and the like are bugs or conflicts, not outages: they stay 500
    (or whatever the use case made of them).
    """
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    args = getattr(exc.orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] in _UNAVAILABLE_CODES
    message = str(exc.orig).lower()
    return any(text in message for text in _SQLITE_UNAVAILABLE)


def title_for(status: int) -> str:
    """The standard title of an HTTP status."""
    return _TITLES.get(status, "Error")


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        title: str | None = None,
        errors: Sequence[Mapping[str, str]] | None = None,
        type_: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title or title_for(status))
        self.status = status
        self.title = title or title_for(status)
        self.detail = detail
        self.errors = list(errors or [])
        self.type = type_
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: Sequence[Mapping[str, str]] | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """Render a problem document."""
    body: dict[str, Any] = {"type": type_, "title": title or title_for(status), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = list(errors)
    if extra:
        body.update(extra)
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_JSON
    )


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic's errors as ``[{field, message}]`` with the client's (camelCase) field paths."""
    out: list[dict[str, str]] = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in {"body", "query", "path", "header", "cookie"}:
            source, rest = loc[0], loc[1:]
        else:
            source, rest = "body", loc
        if err.get("type") == "json_invalid":
            out.append({"field": "body", "message": "Malformed JSON: " + str(err.get("msg"))})
            continue
        field = ".".join(rest) if rest else source
        out.append({"field": field, "message": str(err.get("msg", "invalid"))})
    return out


async def _on_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        errors=exc.errors,
        type_=exc.type,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _on_clinic_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ClinicError)
    return problem_response(exc.status, exc.detail, errors=exc.errors, extra=exc.extra)


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(422, detail or "Invalid request", errors=errors)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail and detail.lower() == title_for(exc.status_code).lower():
        detail = None
    return problem_response(exc.status_code, detail, headers=exc.headers)


def database_unavailable_response() -> JSONResponse:
    """503 problem+json with ``Retry-After``: the database cannot answer right now."""
    return problem_response(
        503,
        "The database is unavailable; nothing was changed. Try again shortly.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    if not is_database_unavailable(exc):
        return await _on_unhandled(request, exc)
    # An outage is not a bug: one line per request, no stack trace.
    log.warning(
        "database unavailable on %s %s: %s",
        request.method,
        request.url.path,
        str(getattr(exc, "orig", exc)) or type(exc).__name__,
    )
    return database_unavailable_response()


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    if is_database_unavailable(exc):  # raised outside the routes (a middleware): still a 503
        return await _on_database_error(request, exc)
    # The stack trace goes to the log (with the request id), never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    request_id = current_request_id()
    headers = {"X-Request-ID": request_id} if request_id else None
    return problem_response(
        500, "An unexpected error occurred. It has been logged.", headers=headers
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error a problem+json response."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(ClinicError, _on_clinic_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    for db_error in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
        app.add_exception_handler(db_error, _on_database_error)
    app.add_exception_handler(Exception, _on_unhandled)
