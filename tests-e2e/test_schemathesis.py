"""Schemathesis over the gateway's merged OpenAPI: every operation of every service (issue 11).

The running test-mode stack (MariaDB, Redis, every service behind the gateway) answers
generated requests — valid ones and ones that break the schema — as the admin, with the real
ids of the demo clinic (a practitioner, a patient, an appointment, a user) put into paths,
queries and bodies so requests get past 404s. Every answer must be no server error, have a
documented status, the documented content type and a body matching the documented schema.

Bounded so ``make test`` stays in budget: a fixed seed (``derandomize``) and
``MAX_EXAMPLES`` per operation; the examples take about 50 s here (the stack start is shared
with the other e2e tests).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from e2e_helpers import login
from stack import Stack

MAX_EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Operations that would end the run's own session or the demo data it relies on.
SKIPPED = {("POST", "/api/logout")}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _next_weekday_at_ten_utc() -> str:
    day = datetime.now(UTC).date() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC).isoformat()


@pytest.fixture(scope="module")
def demo(stack: Stack) -> Iterator[dict[str, Any]]:
    """The admin's token and real ids of the demo clinic (an appointment booked for the run)."""
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        assert client.post("/api/test/reset-db").status_code == 204
        auth = _bearer(login(client, "admin@demo.clinic"))
        practitioners = client.get("/api/practitioners", headers=auth).json()["member"]
        practitioner = practitioners[0]["id"]
        patient = client.get("/api/patients", headers=auth).json()["member"][0]["id"]
        users = client.get("/api/users", headers=auth).json()["member"]
        user = next(u["id"] for u in users if u["email"] == "recepcion@demo.clinic")
        body = {
            "practitionerId": practitioner,
            "patientId": patient,
            "type": "first_visit",
            "startsAt": _next_weekday_at_ten_utc(),
        }
        deadline = time.monotonic() + 30
        # Scheduling learns the patient from an event: wait for it rather than sleep.
        while (
            booked := client.post("/api/appointments", json=body, headers=auth)
        ).status_code != 201:
            assert time.monotonic() < deadline, booked.text
            time.sleep(0.2)
        customer = client.post(
            "/api/customers",
            headers=auth,
            json={"kind": "company", "name": "Schemathesis, S.L.", "taxId": "B12345674"},
        )
        assert customer.status_code == 201, customer.text
        line = {"description": "Sesión", "quantity": "1", "unitPrice": "40", "vatRate": "0",
                "exemption": "health_care"}  # fmt: skip
        draft = client.post(
            "/api/invoices",
            headers=auth,
            json={"series": "F", "customerId": customer.json()["id"], "lines": [line]},
        )
        assert draft.status_code == 201, draft.text
        # Records learns the patient from an event too.
        episode_body = {"patientId": patient, "reason": "Lumbalgia", "bodyRegion": "lumbar"}
        while (
            episode := client.post("/api/episodes", json=episode_body, headers=auth)
        ).status_code != 201:
            assert time.monotonic() < deadline, episode.text
            time.sleep(0.2)
        today = datetime.now(UTC).date().isoformat()
        entry_body = {"patientId": patient, "type": "note", "date": today,
                      "subjective": "Dolor lumbar", "episodeId": episode.json()["id"]}  # fmt: skip
        entry = client.post("/api/records", headers=auth, json=entry_body)
        assert entry.status_code == 201, entry.text
        measure_body = {"patientId": patient, "instrument": "NPRS", "answers": [6]}
        measure = client.post("/api/measures", headers=auth, json=measure_body)
        assert measure.status_code == 201, measure.text
        yield {
            "headers": auth,
            "base_url": stack.gateway_url,
            "ids": {
                "practitioner_id": practitioner,
                "practitionerId": practitioner,
                "patient_id": patient,
                "patientId": patient,
                "appointment_id": booked.json()["id"],
                "user_id": user,
                "code": "first_visit",
                "customer_id": customer.json()["id"],
                "customerId": customer.json()["id"],
                "invoice_id": draft.json()["id"],
                "episode_id": episode.json()["id"],
                "episodeId": episode.json()["id"],
                "entry_id": entry.json()["id"],
                "measure_id": measure.json()["id"],
            },
        }


@pytest.fixture(scope="module")
def merged_openapi(stack: Stack) -> Any:
    """The gateway's merged document, loaded by Schemathesis."""
    return schemathesis.openapi.from_url(f"{stack.gateway_url}/api/openapi.json")


def _with_real_ids(case: Any, ids: dict[str, str]) -> None:
    for container in (case.path_parameters, case.query):
        if isinstance(container, dict):
            for name in container.keys() & ids.keys():
                container[name] = ids[name]
    if isinstance(case.body, dict):
        for name in case.body.keys() & {"practitionerId", "patientId", "customerId", "episodeId"}:
            case.body[name] = ids[name]


def _failure(operation: Any, mode: GenerationMode, demo: dict[str, Any]) -> str | None:
    """The first failing case of ``operation`` in ``mode`` (None: every example conformed)."""
    path_ids = {
        name: demo["ids"][name]
        for name in (p.name for p in operation.path_parameters)
        if name in demo["ids"]
    }
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_ids or None)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if mode is GenerationMode.POSITIVE:
            _with_real_ids(case, demo["ids"])
        case.call_and_validate(base_url=demo["base_url"], headers=demo["headers"], checks=CHECKS)

    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except Unsatisfiable:
        return None  # nothing to break in this mode (an operation without any input)
    except BaseException as exc:  # Schemathesis' FailureGroup too: report every operation
        return f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
    return None


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(
    merged_openapi: Any, demo: dict[str, Any], mode: GenerationMode
) -> None:
    failures = []
    operations = [result.ok() for result in merged_openapi.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        failure = _failure(operation, mode, demo)
        if failure:
            failures.append(failure)
    assert not failures, "\n\n".join(failures)
