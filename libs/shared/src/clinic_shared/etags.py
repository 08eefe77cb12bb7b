"""Optimistic concurrency for every PUT: ``ETag: "<version>"`` out, ``If-Match`` required in."""

from __future__ import annotations

from fastapi import Response

from clinic_shared.problems import ProblemError


def etag_for(version: int) -> str:
    """The ETag header value of a resource version."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    """Attach the resource's version as its ETag."""
    response.headers["ETag"] = etag_for(version)


def check_if_match(if_match: str | None, current_version: int) -> None:
    """428 without If-Match, 412 when it names another version than the stored one."""
    if not if_match:
        raise ProblemError(
            428,
            "Send If-Match with the ETag you last read, so a concurrent edit is not overwritten.",
        )
    candidates = [c.strip().removeprefix("W/") for c in if_match.split(",")]
    if "*" in candidates or etag_for(current_version) in candidates:
        return
    raise ProblemError(
        412,
        "Someone else changed this resource since you loaded it. "
        "Reload it and apply your change again.",
        extra={"currentVersion": current_version},
    )
