"""The route table: which upstream serves a path (longest prefix wins); which paths are public."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


def _is_wildcard(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@dataclass(frozen=True)
class Route:
    """One prefix of the table; ``{x}`` segments match any single segment."""

    prefix: str
    upstream: str
    segments: tuple[str, ...]

    @property
    def specificity(self) -> tuple[int, int]:
        """Longer prefixes first; at equal length, literal segments beat wildcards."""
        literals = sum(1 for s in self.segments if not _is_wildcard(s))
        return (len(self.segments), literals)

    def matches(self, path_segments: tuple[str, ...]) -> bool:
        """Whether the path starts with this prefix, segment by segment."""
        if len(path_segments) < len(self.segments):
            return False
        return all(
            _is_wildcard(want) or want == got
            for want, got in zip(self.segments, path_segments, strict=False)
        )


class RouteTable:
    """Maps request paths to upstream names."""

    def __init__(self, routes: Mapping[str, str]) -> None:
        parsed = [Route(prefix, upstream, _segments(prefix)) for prefix, upstream in routes.items()]
        self._routes = sorted(parsed, key=lambda r: r.specificity, reverse=True)

    def match(self, path: str) -> str | None:
        """The upstream serving ``path``, or None when no prefix covers it."""
        path_segments = _segments(path)
        for route in self._routes:
            if route.matches(path_segments):
                return route.upstream
        return None

    def owns(self, upstream: str, path: str) -> bool:
        """Whether ``path`` (an OpenAPI path template too) is routed to ``upstream``."""
        return self.match(path) == upstream


def is_public(path: str, public_paths: Iterable[str]) -> bool:
    """Whether ``path`` is served without an access token (exact match, trailing slash ignored)."""
    normalized = path.rstrip("/") or "/"
    return any(normalized == (public.rstrip("/") or "/") for public in public_paths)


def is_api_path(path: str) -> bool:
    """Whether ``path`` belongs to the API namespace rather than the SPA."""
    return path == "/api" or path.startswith("/api/")
