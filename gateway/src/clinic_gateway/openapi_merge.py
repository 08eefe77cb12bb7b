"""Merging the services' OpenAPI documents into one (schemas renamed when two services clash)."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from clinic_gateway.config import GatewaySettings
from clinic_gateway.proxy import Upstreams, UpstreamUnavailableError
from clinic_gateway.routing import RouteTable

log = logging.getLogger("clinic.gateway.openapi")
SCHEMA_REF = "#/components/schemas/"
Document = dict[str, Any]


def rename_refs(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of ``node`` whose ``$ref``s to renamed schemas point at the new names."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF):
                name = value[len(SCHEMA_REF) :]
                out[key] = SCHEMA_REF + renames.get(name, name)
            else:
                out[key] = rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [rename_refs(item, renames) for item in node]
    return node


def _clashing_renames(source: str, schemas: Document, merged: Document) -> dict[str, str]:
    # Renaming one schema changes the schemas referring to it, which may then clash too.
    renames: dict[str, str] = {}
    for _ in range(len(schemas) + 1):
        rewritten = rename_refs(schemas, renames)
        found = {
            name: f"{source}.{name}"
            for name, schema in rewritten.items()
            if name in merged and merged[name] != schema
        }
        if found == renames:
            break
        renames = found
    return renames


def _add_document(
    merged: Document, source: str, document: Document, keep_path: Callable[[str], bool]
) -> None:
    components = document.get("components", {})
    schemas: Document = components.get("schemas", {})
    merged_schemas: Document = merged["components"]["schemas"]
    renames = _clashing_renames(source, schemas, merged_schemas)
    for name, schema in rename_refs(schemas, renames).items():
        merged_schemas.setdefault(renames.get(name, name), schema)
    for name, scheme in components.get("securitySchemes", {}).items():
        merged["components"]["securitySchemes"].setdefault(name, scheme)
    for path, operations in document.get("paths", {}).items():
        if keep_path(path):
            target = merged["paths"].setdefault(path, {})
            for method, operation in rename_refs(operations, renames).items():
                target.setdefault(method, operation)
    known_tags = {tag["name"] for tag in merged["tags"]}
    merged["tags"].extend(t for t in document.get("tags", []) if t.get("name") not in known_tags)


def merge_openapi(
    own: Document,
    upstream_documents: Mapping[str, Document],
    owns: Callable[[str, str], bool],
    unavailable: list[str],
) -> Document:
    """The gateway's own document plus each service's paths that the route table sends to it."""
    merged: Document = {
        "openapi": own.get("openapi", "3.1.0"),
        "info": {
            "title": "Clinic API",
            "version": own.get("info", {}).get("version", "0.1.0"),
            "description": "Every service's API as served through the gateway.",
        },
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
        "tags": [],
    }
    _add_document(merged, "gateway", own, lambda _path: True)
    for name, document in upstream_documents.items():
        _add_document(merged, name, document, functools.partial(owns, name))
    if unavailable:
        merged["info"]["x-unavailable-services"] = sorted(unavailable)
    return merged


def merge_routed_documents(
    settings: GatewaySettings,
    own: Document,
    upstream_documents: Mapping[str, Document],
    unavailable: Sequence[str] = (),
) -> Document:
    """The merge the gateway serves: services in route-table order, paths by the route table.

    Pure (no HTTP), so ``scripts/openapi_document.py`` builds the same document offline from the
    services' in-process apps, for the SPA's generated types.
    """
    ordered = {
        name: upstream_documents[name]
        for name in settings.routed_upstreams
        if name in upstream_documents
    }
    return merge_openapi(own, ordered, RouteTable(settings.routes).owns, list(unavailable))


class OpenApiAggregator:
    """Fetches the services' documents in parallel and keeps the merge for a short while."""

    def __init__(
        self,
        settings: GatewaySettings,
        upstreams: Upstreams,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._upstreams = upstreams
        self._clock = clock
        self._cached: tuple[float, Document] | None = None

    async def document(self, own: Document) -> Document:
        """The merged document, fetched again once the cache time has passed."""
        now = self._clock()
        settings = self._settings
        if self._cached is not None and now - self._cached[0] < settings.openapi_cache_seconds:
            return self._cached[1]
        names = settings.routed_upstreams
        answers = await asyncio.gather(
            *(
                self._upstreams.get_json(name, "/openapi.json", timeout=settings.health_timeout)
                for name in names
            ),
            return_exceptions=True,
        )
        documents: dict[str, Document] = {}
        unavailable: list[str] = []
        for name, answer in zip(names, answers, strict=True):
            if isinstance(answer, dict):
                documents[name] = answer
            else:
                if not isinstance(answer, UpstreamUnavailableError):
                    log.warning("openapi: unexpected error from %s: %r", name, answer)
                unavailable.append(name)
        merged = merge_routed_documents(settings, own, documents, unavailable)
        self._cached = (now, merged)
        return merged
