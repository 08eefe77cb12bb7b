"""Every route's error answers in the OpenAPI document, as the problem+json they really are.

``create_service_app`` post-processes the document FastAPI generates, so no route has to list
the errors the shared machinery gives it:

| when the operation… | it documents |
|---|---|
| needs a bearer token | 401, 403 |
| has a path parameter | 404 |
| is a POST, PUT, PATCH or DELETE | 409 |
| takes If-Match | 412, 428 |
| has a body, or any query parameter (or is a POST: ``Idempotency-Key``) | 422 |
| has a body | 413 |

A route adds what only it can answer with ``responses=problem_responses(429)``. FastAPI's
``HTTPValidationError`` body is replaced by the real ``Problem`` schema.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from clinic_shared.problems import PROBLEM_JSON, title_for
from clinic_shared.schemas import Problem

Document = dict[str, Any]
PROBLEM_REF = "#/components/schemas/Problem"
_WRITES = {"post", "put", "patch", "delete"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_DESCRIPTIONS = {
    401: "No valid access token",
    403: "The caller's role does not allow this",
    404: "Not found",
    409: "Conflicts with what is stored",
    412: "If-Match names a version that is no longer current",
    413: "The request body is too large",
    422: "Invalid input; `errors` names each field",
    428: "If-Match is required",
    429: "Too many attempts; see Retry-After",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route's own problem answers (their body is filled in later)."""
    return {
        status: {"description": _DESCRIPTIONS.get(status, title_for(status))} for status in statuses
    }


def _problem_schemas() -> Document:
    _, definitions = models_json_schema(
        [(Problem, "validation")], ref_template="#/components/schemas/{model}"
    )
    schemas: Document = definitions.get("$defs", {})
    return schemas


def _statuses(method: str, operation: Document) -> set[int]:
    parameters = operation.get("parameters", [])
    where = {parameter.get("in") for parameter in parameters}
    names = {str(parameter.get("name", "")).lower() for parameter in parameters}
    has_body = "requestBody" in operation
    found: set[int] = set()
    if operation.get("security"):
        found |= {401, 403}
    if "path" in where:
        found.add(404)
    if method in _WRITES:
        found.add(409)
    if "if-match" in names:
        found |= {412, 428}
    if has_body or "query" in where or method == "post" or "422" in operation.get("responses", {}):
        found.add(422)
    if has_body:
        found.add(413)
    return found


def document_problems(document: Document) -> Document:
    """``document`` with every operation's problem+json answers (a new dict)."""
    document = copy.deepcopy(document)
    schemas: Document = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_problem_schemas())
    problem_content = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses: Document = operation.setdefault("responses", {})
            wanted = _statuses(method, operation) | {
                int(code) for code in responses if code.isdigit() and int(code) >= 400
            }
            for status in sorted(wanted):
                answer = responses.setdefault(str(status), {})
                answer["description"] = answer.get("description") or _DESCRIPTIONS.get(
                    status, title_for(status)
                )
                if answer["description"] == "Validation Error":
                    answer["description"] = _DESCRIPTIONS[422]
                answer["content"] = copy.deepcopy(problem_content)
            operation["responses"] = dict(sorted(responses.items()))
    return document


def install_problem_openapi(app: FastAPI) -> Callable[[], Document]:
    """Make ``app.openapi()`` return the document with every problem answer (cached)."""

    def openapi() -> Document:
        if app.openapi_schema is None:
            generated = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                summary=app.summary,
                description=app.description,
                terms_of_service=app.terms_of_service,
                contact=app.contact,
                license_info=app.license_info,
                routes=app.routes,
                webhooks=app.webhooks.routes,
                tags=app.openapi_tags,
                servers=app.servers,
                separate_input_output_schemas=app.separate_input_output_schemas,
            )
            app.openapi_schema = document_problems(generated)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return openapi
