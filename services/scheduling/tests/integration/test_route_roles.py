"""Every scheduling route × anonymous / a non-staff token / receptionist / practitioner / admin.

One table a reviewer reads: who may call each route. Anonymous is 401 with a Bearer challenge,
a token without a staff role is 403 everywhere, the appointment types are changed by admins
only, everything else is open to every staff role. A route missing from the table fails
``test_the_table_lists_every_route``, so a new endpoint cannot skip its role check.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from clinic_shared.testing.keys import TokenFactory

pytestmark = pytest.mark.integration

ANONYMOUS = "anonymous"
NOT_STAFF = "ROLE_PATIENT"
RECEPTIONIST = "ROLE_RECEPTIONIST"
PRACTITIONER = "ROLE_PRACTITIONER"
ADMIN = "ROLE_ADMIN"
STAFF = (RECEPTIONIST, PRACTITIONER, ADMIN)
CALLERS = (ANONYMOUS, NOT_STAFF, *STAFF)

MONDAY_NINE = "2027-03-29T09:00:00+02:00"
NEW_TYPE = {"nameEs": "Hidro", "nameEn": "Hydro", "durationMinutes": 30, "color": "#0ea5e9"}

# (method, path, body or None, query or None, the roles allowed): {a}, {p}, {x} are an
# appointment's id, its practitioner's and an absence's.
Row = tuple[str, str, dict[str, Any] | None, dict[str, str] | None, tuple[str, ...]]
ROUTES: list[Row] = [
    ("GET", "/api/appointments", None, {"practitionerId": "{p}"}, STAFF),
    ("GET", "/api/appointments/{a}", None, None, STAFF),
    (
        "POST",
        "/api/appointments",
        {"practitionerId": "{p}", "patientId": "{q}", "type": "follow_up", "startsAt": "{t}"},
        None,
        STAFF,
    ),
    ("PUT", "/api/appointments/{a}", "MOVE", None, STAFF),
    ("DELETE", "/api/appointments/{a}", None, None, STAFF),
    (
        "POST",
        "/api/appointments/empty-slots",
        {"practitionerId": "{p}", "from": "2027-04-05", "to": "2027-04-05", "duration": 45},
        None,
        STAFF,
    ),
    (
        "POST",
        "/api/appointments/{s}/cancel-following",
        {"cancellationReason": "clinic"},
        None,
        STAFF,
    ),
    ("GET", "/api/appointments/attendance", None, {"patientId": "{q}"}, STAFF),
    (
        "GET",
        "/api/appointments/free-slots",
        None,
        {"practitionerId": "{p}", "from": "2027-04-05", "to": "2027-04-06"},
        STAFF,
    ),
    ("GET", "/stats", None, None, STAFF),
    (
        "GET",
        "/api/schedule/week",
        None,
        {"practitionerId": "{p}", "weekStart": "2027-03-29"},
        STAFF,
    ),
    ("GET", "/api/practitioners/{p}/working-hours", None, None, STAFF),
    ("PUT", "/api/practitioners/{p}/working-hours", {"periods": []}, None, STAFF),
    (
        "POST",
        "/api/practitioners/{p}/absences",
        {"startsAt": "2027-05-03T09:00:00+02:00", "endsAt": "2027-05-03T10:00:00+02:00"},
        None,
        STAFF,
    ),
    ("DELETE", "/api/practitioners/{p}/absences/{x}", None, None, STAFF),
    ("GET", "/api/appointment-types", None, None, STAFF),
    ("GET", "/api/appointment-types/follow_up", None, None, STAFF),
    ("POST", "/api/appointment-types", {**NEW_TYPE, "code": "{c}"}, None, (ADMIN,)),
    (
        "PUT",
        "/api/appointment-types/follow_up",
        {**NEW_TYPE, "nameEs": "Seguimiento"},
        None,
        (ADMIN,),
    ),
]

# Not part of the API: probes, metrics, the OpenAPI document, the test-mode reset.
UNGUARDED = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/api/test/reset-db"}


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in ids.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _headers(role: str, tokens: TokenFactory) -> dict[str, str]:
    headers = {"If-Match": "*"}
    if role != ANONYMOUS:
        headers["Authorization"] = f"Bearer {tokens(roles=[role])}"
    return headers


def _route_id(row: Row) -> str:
    return f"{row[0]} {row[1]}"


@pytest.mark.parametrize("row", ROUTES, ids=_route_id)
def test_who_may_call_each_route(api: Any, token_factory: TokenFactory, row: Row) -> None:
    method, path, body, query, allowed = row
    refused = [caller for caller in CALLERS if caller not in allowed]
    results: dict[str, int] = {}
    # The refused first: they must leave the resources as they were for the allowed ones.
    for caller in [*refused, *allowed]:
        ids = _resources(api, series="{s}" in path)
        headers = _headers(caller, token_factory)
        if body == "MOVE":
            booked = api.get(f"/api/appointments/{ids['a']}").json()
            keys = ("practitionerId", "patientId", "type", "startsAt", "endsAt")
            payload: Any = {key: booked[key] for key in keys}
            headers["If-Match"] = '"1"'
        else:
            payload = _fill(body, ids)
        if "cancel-following" in path:
            headers["If-Match"] = '"1"'
        response = api.client.request(
            method, _fill(path, ids), json=payload, params=_fill(query, ids), headers=headers
        )
        results[caller] = response.status_code
        if caller == ANONYMOUS:
            assert response.headers.get("www-authenticate", "").startswith("Bearer")
    expected = {caller: 401 if caller == ANONYMOUS else 403 for caller in refused}
    assert {caller: results[caller] for caller in refused} == expected
    for caller in allowed:
        assert 200 <= results[caller] < 300, (caller, results)


def _resources(api: Any, *, series: bool = False) -> dict[str, str]:
    """A practitioner with a booked appointment and an absence, a free patient, a type code
    (and the second session of a series when asked)."""
    practitioner = api.practitioner()
    booked = api.booked(
        practitionerId=practitioner, patientId=api.patient(), type="follow_up", startsAt=MONDAY_NINE
    )
    absence = api.client.post(
        f"/api/practitioners/{practitioner}/absences",
        json={"startsAt": "2027-06-01T09:00:00+02:00", "endsAt": "2027-06-01T10:00:00+02:00"},
        headers=api.headers,
    )
    assert absence.status_code == 201, absence.text
    ids = {
        "a": booked["id"],
        "p": practitioner,
        "q": api.patient(),
        "x": absence.json()["id"],
        "t": "2027-03-30T09:00:00+02:00",
        "c": f"t{uuid.uuid4().hex[:12]}",
    }
    if series:
        sessions = api.book(
            practitionerId=practitioner,
            patientId=api.patient(),
            type="follow_up",
            startsAt="2027-04-06T09:00:00+02:00",
            repeat={"every": "week", "weekdays": [2], "count": 2},
        )
        assert sessions.status_code == 201, sessions.text
        ids["s"] = sessions.json()["member"][1]["id"]
    return ids


def test_the_table_lists_every_route(client: Any) -> None:
    document = client.app.openapi()
    served = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if path not in UNGUARDED
        for method in operations
    }
    names = {
        "{a}": "{appointment_id}",
        "{s}": "{appointment_id}",
        "{p}": "{practitioner_id}",
        "{x}": "{absence_id}",
        "/follow_up": "/{code}",
    }
    listed = set()
    for method, path, *_ in ROUTES:
        for short, name in names.items():
            path = path.replace(short, name)
        listed.add((method, path))
    assert listed == served
