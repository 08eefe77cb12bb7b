"""Turning domain and application failures into problem+json answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from clinic_scheduling.application.errors import (
    ClashError,
    ConflictError,
    NotFoundError,
    SeriesClashError,
)
from clinic_scheduling.domain.appointments import Appointment, DomainError
from clinic_scheduling.entrypoints.schemas import ClashPublic
from clinic_shared.problems import problem_response


def _domain(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(422, str(exc), errors=[{"field": exc.field, "message": exc.message}])


def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    return problem_response(404, f"{exc} was not found")


def _described(clashes: list[Appointment]) -> list[dict[str, Any]]:
    # Through the response schema, so times read "…Z" like every other answer.
    return [ClashPublic.of(c).model_dump(mode="json", by_alias=True) for c in clashes]


def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, SeriesClashError):
        by_date = [
            {"date": day, "clashes": _described(found)} for day, found in exc.clashes.items()
        ]
        return problem_response(
            409,
            f"{exc} Nothing was booked; ask to skip the clashing dates to book the rest.",
            extra={"seriesClashes": by_date},
        )
    if isinstance(exc, ClashError):
        clashes = _described(exc.clashes)
        first = clashes[0]
        return problem_response(
            409,
            f"The time clashes with appointment {first['id']} "
            f"({first['startsAt']} – {first['endsAt']}).",
            extra={"clashes": clashes},
        )
    return problem_response(409, str(exc))


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(ConflictError, _conflict)
