"""The errors use cases and domain rules raise; ``problems`` maps each to problem+json once.

Pure Python on purpose: a domain module may raise these without importing any framework.
What is truly HTTP (401 with a challenge, 429 with ``Retry-After``) stays ``ProblemError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


class ClinicError(Exception):
    """A request the rules refuse; ``status`` is the HTTP status it maps to."""

    status: ClassVar[int] = 400

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        message: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.message = message or detail
        self.extra = dict(extra or {})

    @property
    def errors(self) -> list[dict[str, str]]:
        """``[{field, message}]`` when one input is at fault, else empty."""
        return [{"field": self.field, "message": self.message}] if self.field else []


class NotFoundError(ClinicError):
    """The addressed resource does not exist (404)."""

    status = 404


class ConflictError(ClinicError):
    """The request contradicts what is stored: a taken value, a final state (409)."""

    status = 409


class FieldError(ClinicError):
    """One input breaks a rule that Pydantic could not check (422 naming the field)."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field, message=message)


class PreconditionRequiredError(ClinicError):
    """A change was sent without the version it was based on (428)."""

    status = 428


class StaleVersionError(ClinicError):
    """Someone changed the resource since the client read it (412)."""

    status = 412

    def __init__(self, current_version: int, what: str = "this resource") -> None:
        super().__init__(
            f"Someone else changed {what} since you loaded it. "
            "Reload it and apply your change again.",
            extra={"currentVersion": current_version},
        )
        self.current_version = current_version


def etag_for(version: int) -> str:
    """The ETag header value of a resource version."""
    return f'"{version}"'


@dataclass(frozen=True)
class ExpectedVersion:
    """The version a change is based on, as the client's ``If-Match`` names it.

    Entry points build it from the header; use cases call :meth:`check` with the stored
    version inside their transaction, so the comparison and the write see the same row.
    """

    if_match: str | None

    def require(self) -> None:
        """428 when no version was sent (for routes that refuse before reading anything)."""
        if not self.if_match:
            raise PreconditionRequiredError(
                "Send If-Match with the ETag you last read, so a concurrent edit is not "
                "overwritten."
            )

    def check(self, current_version: int, what: str = "this resource") -> None:
        """428 without If-Match, 412 when it names another version than ``current_version``."""
        self.require()
        assert self.if_match is not None
        candidates = [c.strip().removeprefix("W/") for c in self.if_match.split(",")]
        if "*" in candidates or etag_for(current_version) in candidates:
            return
        raise StaleVersionError(current_version, what)
