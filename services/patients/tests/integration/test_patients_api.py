"""Registering, reading and editing patients over HTTP, as any staff role."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_create_returns_the_patient_normalised_with_etag_and_location(api) -> None:
    response = api.create()

    assert response.status_code == 201
    patient = response.json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/patients/{patient['id']}"
    assert patient["fullName"] == "Lucía Serrano Gil"
    assert patient["email"] == "lucia.serrano@example.es"
    assert patient["taxId"] == "50713943R"
    assert patient["birthDate"] == "1992-03-04"
    assert patient["address"] == {
        "street": "Calle Mayor 1",
        "city": "Zaragoza",
        "postalCode": "50001",
        "province": "Zaragoza",
        "country": "ES",
    }
    # Phones stored in E.164, and shown grouped beside.
    assert patient["phone"] == "+34611000111"
    assert patient["phoneDisplay"] == "611 00 01 11"
    assert patient["emergencyContact"] == {"name": "Pedro Serrano", "phone": "+34611000222"}
    assert patient["emergencyContactPhoneDisplay"] == "611 00 02 22"
    assert patient["dataConsentAt"] == "2026-03-01T08:30:00Z"
    assert patient["status"] == "active"
    assert patient["preferredLocale"] == "en"
    assert patient["lastVisitAt"] is None
    assert patient["nextAppointmentAt"] is None
    assert patient["version"] == 1
    assert patient["possibleDuplicates"] == []


def test_a_minimal_patient_gets_the_defaults(api) -> None:
    patient = api.created({"firstName": " Ana ", "lastName": " Ruiz   Vega "})

    assert (patient["firstName"], patient["lastName"]) == ("Ana", "Ruiz Vega")
    assert patient["address"] is None
    assert patient["emergencyContact"] is None
    assert patient["preferredLocale"] == "es"
    assert patient["taxId"] is None
    assert patient["email"] is None


def test_get_returns_what_was_created_with_its_etag(api) -> None:
    created = api.created()

    response = api.get(created["id"])

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.json() == {k: v for k, v in created.items() if k != "possibleDuplicates"}


@pytest.mark.parametrize("patient_id", ["0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12", "not-an-id"])
def test_unknown_id_is_404_problem(api, patient_id: str) -> None:
    for response in (api.get(patient_id), api.put(patient_id, dict(api.new_patient), '"1"')):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_put_replaces_every_field_and_bumps_the_version(api) -> None:
    created = api.created()
    body: dict[str, Any] = {"firstName": "Lucía María", "lastName": "Serrano Gil"}

    response = api.put(created["id"], body, '"1"')

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    updated = response.json()
    assert updated["fullName"] == "Lucía María Serrano Gil"
    assert updated["taxId"] is None
    assert updated["address"] is None
    assert updated["status"] == "active"  # left out: unchanged
    assert updated["version"] == 2
    assert updated["createdAt"] == created["createdAt"]
    assert updated["updatedAt"] > created["updatedAt"]
    assert "possibleDuplicates" in updated


def test_an_identical_put_changes_nothing(api) -> None:
    created = api.created()

    response = api.put(created["id"], api.editable(created), '"1"')

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["updatedAt"] == created["updatedAt"]


def test_put_can_deactivate_and_reactivate(api) -> None:
    created = api.created()
    body = api.editable(created)

    inactive = api.put(created["id"], {**body, "status": "inactive"}, '"1"').json()
    active = api.put(created["id"], {**body, "status": "active"}, '"2"').json()

    assert (inactive["status"], active["status"]) == ("inactive", "active")
    assert active["version"] == 3


def test_put_without_if_match_is_428_and_stale_is_412(api) -> None:
    created = api.created()
    body = {**api.editable(created), "occupation": "Pintora"}

    missing = api.put(created["id"], body, None)
    stale = api.put(created["id"], body, '"7"')

    assert missing.status_code == 428
    assert stale.status_code == 412
    assert stale.json()["currentVersion"] == 1
    assert api.get(created["id"]).json()["occupation"] == "Arquitecta"


def test_the_loser_of_two_concurrent_edits_gets_412(api) -> None:
    created = api.created()
    body = api.editable(created)

    first = api.put(created["id"], {**body, "occupation": "Pintora"}, '"1"')
    second = api.put(created["id"], {**body, "occupation": "Escultora"}, '"1"')

    assert (first.status_code, second.status_code) == (200, 412)
    assert api.get(created["id"]).json()["occupation"] == "Pintora"


@pytest.mark.parametrize("role", ["ROLE_ADMIN", "ROLE_PRACTITIONER", "ROLE_RECEPTIONIST"])
def test_every_staff_role_may_use_the_registry(api, role: str) -> None:
    headers = api.bearer([role])
    assert api.client.get("/api/patients", headers=headers).status_code == 200
    response = api.client.post("/api/patients", json=api.new_patient, headers=headers)
    assert response.status_code == 201


def test_no_token_is_401_and_a_token_without_a_staff_role_is_403(api) -> None:
    created = api.created()
    nobody = api.bearer(["ROLE_PATIENT"])
    requests = [
        ("GET", "/api/patients", None),
        ("GET", f"/api/patients/{created['id']}", None),
        ("POST", "/api/patients", api.new_patient),
        ("PUT", f"/api/patients/{created['id']}", api.new_patient),
        ("POST", "/api/patients/duplicate-check", {"firstName": "A", "lastName": "B"}),
        ("GET", "/stats", None),
    ]
    for method, path, body in requests:
        anonymous = api.client.request(method, path, json=body)
        forbidden = api.client.request(method, path, json=body, headers=nobody)
        assert anonymous.status_code == 401, path
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        assert forbidden.status_code == 403, path


def test_there_is_no_delete(api) -> None:
    created = api.created()

    response = api.client.delete(f"/api/patients/{created['id']}", headers=api.headers)

    assert response.status_code == 405
    assert api.get(created["id"]).status_code == 200


def test_stats_count_all_active_and_new_this_month(api) -> None:
    api.created()
    api.created({"firstName": "Baja", "lastName": "Inactiva", "status": "inactive"})

    stats = api.client.get("/stats", headers=api.headers).json()

    # 15 demo patients (one inactive), all registered by this test's reset, plus 2.
    assert stats == {"totalPatients": 17, "activePatients": 15, "newPatientsThisMonth": 17}


def test_listing_pages_at_the_15_16_boundary(api) -> None:
    fifteen = api.search().json()  # the demo clinic has exactly 15 patients
    assert len(fifteen["member"]) == 15
    assert fifteen["view"] == {
        "first": "/api/patients?page=1&itemsPerPage=15",
        "previous": None,
        "next": None,
    }

    api.created({"firstName": "Zoe", "lastName": "Zurita"})  # sorts last
    first = api.search().json()
    second = api.search(page=2).json()

    assert len(first["member"]) == 15
    assert first["view"]["next"] == "/api/patients?page=2&itemsPerPage=15"
    assert [m["fullName"] for m in second["member"]] == ["Zoe Zurita"]
    assert second["view"]["next"] is None


def test_phones_are_stored_in_e164_however_typed_and_found_by_their_digits(api) -> None:
    created = api.created(phone="0044 20 7946 0999", emergencyContact={"phone": "+34 915-55-01-01"})
    assert (created["phone"], created["phoneDisplay"]) == ("+442079460999", "+44 20 7946 0999")
    assert created["emergencyContact"]["phone"] == "+34915550101"
    assert created["emergencyContactPhoneDisplay"] == "915 55 01 01"

    edited = api.put(created["id"], {**api.editable(created), "phone": "671.23.45.09"}, '"1"')
    assert edited.status_code == 200, edited.text
    saved = edited.json()
    assert (saved["phone"], saved["phoneDisplay"]) == ("+34671234509", "671 23 45 09")
    # Searched by the digits whichever way they are typed.
    assert api.names("671 234 509") == ["Lucía Serrano Gil"]
    assert api.names("+34 671 23") == ["Lucía Serrano Gil"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "412 34 56 78"}, "phone"),  # no Spanish number starts with 4
        ({"phone": "+999 612 345 678"}, "phone"),  # no such country
        ({"emergencyContact": {"phone": "61 23 45"}}, "emergencyContact.phone"),
    ],
)
def test_a_number_that_cannot_be_dialled_is_a_422_naming_its_field(
    api, changes: dict[str, Any], field: str
) -> None:
    response = api.create(**changes)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert "phone number" in errors[0]["message"]
