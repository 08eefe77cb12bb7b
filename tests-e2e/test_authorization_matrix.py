"""Issue 11: every operation of the merged OpenAPI x {anonymous, receptionist, practitioner,
admin}, through the gateway, against the expected answer in ONE table.

Cells: ``401`` and ``403`` must be exactly that status; ``ok`` is any status but 401/403 (the
role got past authorization; the dummy ids and empty bodies then give 404/412/422/428 and the
like); ``-`` skips the cell. The test fails on a mismatch, on an operation of the document missing
from the table and on a table row the document does not have.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e_helpers import login

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

ROLES = ("anonymous", "receptionist", "practitioner", "admin")
ACCOUNTS = {
    "receptionist": "recepcion@demo.clinic",
    "practitioner": "fisio@demo.clinic",
    "admin": "admin@demo.clinic",
}

# operation                                  anonymous, receptionist, practitioner, admin
MATRIX_TABLE = """
GET    /api/dashboard/stats                                        401   ok    ok    ok
POST   /api/login                                                  ok    ok    ok    ok
POST   /api/token/refresh                                          401   401   401   401
POST   /api/logout                                                 ok    ok    ok    ok
GET    /.well-known/jwks.json                                      ok    ok    ok    ok
GET    /api/me                                                     401   ok    ok    ok
POST   /api/me/password                                            401   ok    ok    ok
GET    /api/users                                                  401   403   403   ok
POST   /api/users                                                  401   403   403   ok
GET    /api/users/{user_id}                                        401   403   403   ok
PUT    /api/users/{user_id}                                        401   403   403   ok
GET    /api/practitioners                                          401   ok    ok    ok
GET    /api/session-settings                                       401   403   403   ok
PUT    /api/session-settings                                       401   403   403   ok
GET    /api/appointments/free-slots                                401   ok    ok    ok
GET    /api/practitioners/{practitioner_id}/working-hours          401   ok    ok    ok
PUT    /api/practitioners/{practitioner_id}/working-hours          401   ok    ok    ok
POST   /api/practitioners/{practitioner_id}/absences               401   ok    ok    ok
DELETE /api/practitioners/{practitioner_id}/absences/{absence_id}  401   ok    ok    ok
GET    /api/appointments                                           401   ok    ok    ok
POST   /api/appointments                                           401   ok    ok    ok
GET    /api/appointments/attendance                                401   ok    ok    ok
GET    /api/appointments/{appointment_id}                          401   ok    ok    ok
PUT    /api/appointments/{appointment_id}                          401   ok    ok    ok
DELETE /api/appointments/{appointment_id}                          401   ok    ok    ok
POST   /api/appointments/empty-slots                               401   ok    ok    ok
POST   /api/appointments/{appointment_id}/cancel-following         401   ok    ok    ok
GET    /api/appointment-types                                      401   ok    ok    ok
POST   /api/appointment-types                                      401   403   403   ok
GET    /api/appointment-types/{code}                               401   ok    ok    ok
PUT    /api/appointment-types/{code}                               401   403   403   ok
GET    /api/schedule/week                                          401   ok    ok    ok
GET    /api/patients                                               401   ok    ok    ok
POST   /api/patients                                               401   ok    ok    ok
POST   /api/patients/duplicate-check                               401   ok    ok    ok
GET    /api/patients/{patient_id}                                  401   ok    ok    ok
PUT    /api/patients/{patient_id}                                  401   ok    ok    ok
GET    /api/invoices/balance                                       401   ok    403   ok
GET    /api/invoices/number-gaps                                   401   ok    403   ok
GET    /api/invoices/chain/verify                                  401   ok    403   ok
GET    /api/invoices/sales-book.csv                                401   ok    403   ok
GET    /api/invoices                                               401   ok    403   ok
POST   /api/invoices                                               401   ok    403   ok
POST   /api/invoices/batch                                         401   ok    403   ok
GET    /api/invoices/{invoice_id}                                  401   ok    403   ok
PUT    /api/invoices/{invoice_id}                                  401   ok    403   ok
DELETE /api/invoices/{invoice_id}                                  401   ok    403   ok
POST   /api/invoices/{invoice_id}/issue                            401   ok    403   ok
POST   /api/invoices/{invoice_id}/rectify                          401   ok    403   ok
POST   /api/invoices/{invoice_id}/payments                         401   ok    403   ok
GET    /api/invoices/{invoice_id}/export/pdf                       401   ok    403   ok
GET    /api/customers                                              401   ok    403   ok
POST   /api/customers                                              401   ok    403   ok
POST   /api/customers/for-patient/{patient_id}                     401   ok    403   ok
GET    /api/customers/{customer_id}                                401   ok    403   ok
PUT    /api/customers/{customer_id}                                401   ok    403   ok
DELETE /api/customers/{customer_id}                                401   ok    403   ok
GET    /api/customers/{customer_id}/prices                         401   ok    403   ok
PUT    /api/customers/{customer_id}/prices                         401   403   403   ok
GET    /api/catalogue                                              401   ok    403   ok
POST   /api/catalogue                                              401   403   403   ok
GET    /api/catalogue/{code}                                       401   ok    403   ok
PUT    /api/catalogue/{code}                                       401   403   403   ok
GET    /api/billable-sessions                                      401   ok    403   ok
GET    /api/billing-settings                                       401   ok    403   ok
PUT    /api/billing-settings                                       401   403   403   ok
GET    /api/records/audit                                          401   403   403   ok
GET    /api/records/sessions-without-note                          401   403   ok    ok
GET    /api/record-templates                                       401   403   ok    ok
GET    /api/records                                                401   403   ok    ok
POST   /api/records                                                401   403   ok    ok
GET    /api/records/pain                                           401   403   ok    ok
GET    /api/records/{entry_id}                                     401   403   ok    ok
PUT    /api/records/{entry_id}                                     401   403   ok    ok
POST   /api/records/{entry_id}/sign                                401   403   ok    ok
POST   /api/records/{entry_id}/amendments                          401   403   ok    ok
POST   /api/episodes                                               401   403   ok    ok
GET    /api/episodes                                               401   403   ok    ok
GET    /api/episodes/{episode_id}                                  401   403   ok    ok
PUT    /api/episodes/{episode_id}                                  401   403   ok    ok
POST   /api/episodes/{episode_id}/discharge                        401   403   ok    ok
POST   /api/measures                                               401   403   ok    ok
GET    /api/measures                                               401   403   ok    ok
GET    /api/measures/{measure_id}                                  401   403   ok    ok
GET    /api/episodes/{episode_id}/outcomes                         401   403   ok    ok
GET    /api/patients/{patient_id}/clinical-history.pdf             401   403   ok    ok
"""

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _table() -> dict[tuple[str, str], dict[str, str]]:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for line in MATRIX_TABLE.strip().splitlines():
        method, path, *cells = line.split()
        assert len(cells) == len(ROLES), line
        assert (method, path) not in rows, f"twice in the table: {line}"
        rows[(method, path)] = dict(zip(ROLES, cells, strict=True))
    return rows


def _operations() -> list[tuple[str, str]]:
    from openapi_document import merged_document

    document: dict[str, Any] = merged_document()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]


OPERATIONS = _operations()
TABLE = _table()


def test_the_table_covers_exactly_the_documented_operations() -> None:
    documented = set(OPERATIONS)
    missing = sorted(documented - set(TABLE))
    stale = sorted(set(TABLE) - documented)
    assert not missing, f"operations missing from MATRIX_TABLE: {missing}"
    assert not stale, f"MATRIX_TABLE rows the OpenAPI no longer has: {stale}"


@pytest.fixture
def tokens(stack: Any) -> dict[str, str | None]:
    """Fresh logins per operation (a logout cell ends its own session, not the next row's)."""
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        found: dict[str, str | None] = {"anonymous": None}
        found.update({role: login(client, email) for role, email in ACCOUNTS.items()})
        return found


@pytest.fixture(scope="module", autouse=True)
def fresh_system(stack: Any) -> None:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        assert client.post("/api/test/reset-db").status_code == 204


def _concrete(path: str) -> str:
    # Dummy ids: an allowed role then meets a 404/422, never an authorization answer.
    return re.sub(r"\{[^}]+\}", "00000000000000000000000000", path)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op[0]} {op[1]}")
def test_authorization_matrix(
    operation: tuple[str, str], tokens: dict[str, str | None], stack: Any
) -> None:
    method, path = operation
    expected = TABLE.get(operation)
    assert expected is not None, f"{method} {path} is missing from MATRIX_TABLE"
    mismatches = []
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        for role in ROLES:
            want = expected[role]
            if want == "-":
                continue
            token = tokens[role]
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = {} if method in ("POST", "PUT", "PATCH") else None
            got = client.request(method, _concrete(path), headers=headers, json=body).status_code
            ok = got not in (401, 403) if want == "ok" else got == int(want)
            if not ok:
                mismatches.append(f"{role}: expected {want}, got {got}")
    assert not mismatches, f"{method} {path}: " + "; ".join(mismatches)
