"""The one answer ``clinic_shared.problems`` cannot render alone: a clash lists what it hit.

Every other rule error (404, 409, 412, 422, 428) is mapped once in ``clinic_shared.problems``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from clinic_scheduling.domain.appointments import Appointment, ClashError
from clinic_scheduling.domain.series import SeriesClashError
from clinic_scheduling.entrypoints.schemas import ClashPublic
from clinic_shared.problems import problem_response


def _described(clashes: list[Appointment]) -> list[dict[str, Any]]:
    # Through the response schema, so times read "…Z" like every other answer.
    return [ClashPublic.of(c).model_dump(mode="json", by_alias=True) for c in clashes]


def _clashes(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, SeriesClashError):
        by_date = [
            {"date": day, "clashes": _described(found)} for day, found in exc.clashes.items()
        ]
        return problem_response(
            409,
            f"{exc} Nothing was booked; ask to skip the clashing dates to book the rest.",
            extra={"seriesClashes": by_date},
        )
    assert isinstance(exc, ClashError)
    clashes = _described(exc.clashes)
    first = clashes[0]
    return problem_response(
        409,
        f"The time clashes with appointment {first['id']} "
        f"({first['startsAt']} – {first['endsAt']}).",
        extra={"clashes": clashes},
    )


def install(app: FastAPI) -> None:
    """Render clashes with their lists (more specific than the shared ClinicError handler)."""
    app.add_exception_handler(ClashError, _clashes)
    app.add_exception_handler(SeriesClashError, _clashes)
