"""Failures of use cases that the entrypoints turn into HTTP problems."""

from __future__ import annotations

from clinic_scheduling.domain.appointments import Appointment


class NotFoundError(LookupError):
    """The addressed resource does not exist (404)."""


class ConflictError(RuntimeError):
    """The request contradicts the resource's state (409)."""


class ClashError(ConflictError):
    """The time is already taken by ``clashes`` (409 naming them)."""

    def __init__(self, clashes: list[Appointment]) -> None:
        super().__init__("the time clashes with another appointment")
        self.clashes = clashes


class SeriesClashError(ConflictError):
    """Some sessions of a series clash: ``clashes`` by local date (409, nothing booked)."""

    def __init__(self, clashes: dict[str, list[Appointment]]) -> None:
        super().__init__(f"{len(clashes)} sessions of the series clash: {', '.join(clashes)}")
        self.clashes = clashes
