"""Optimistic concurrency for every PUT: ``ETag: "<version>"`` out, ``If-Match`` required in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from clinic_shared.errors import ExpectedVersion, etag_for


def set_etag(response: Response, version: int) -> None:
    """Attach the resource's version as its ETag."""
    response.headers["ETag"] = etag_for(version)


async def expected_version(
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> ExpectedVersion:
    """The client's If-Match, checked later by the use case (428/412 come from there)."""
    return ExpectedVersion(if_match)


IfMatch = Annotated[ExpectedVersion, Depends(expected_version)]

__all__ = ["ExpectedVersion", "IfMatch", "etag_for", "expected_version", "set_etag"]
