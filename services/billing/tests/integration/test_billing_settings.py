"""Billing settings: admins change them, the desk reads them, prod refuses the test QR host."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_billing.infrastructure.tables import clinic_settings

pytestmark = pytest.mark.integration

URL = "/api/billing-settings"
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()


def settings_body(**changes: Any) -> dict[str, Any]:
    return {
        "legalName": "Fisioterapia Norte, S.L.",
        "taxId": "B12345674",
        "address": "Calle Mayor 1, 28013 Madrid",
        "email": "facturas@fisio-norte.example.es",
        "phone": "+34 910 000 001",
        "logo": None,
        "invoiceFooter": None,
        "defaultLanguage": "es",
        "verifactuEnabled": True,
        "qrEnvironment": "production",
        **changes,
    }


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_the_desk_reads_the_seeded_settings(api) -> None:
    response = api.get(URL)
    assert response.headers["ETag"] == '"1"'
    assert api.ok(response) == {
        "legalName": "Fisioterapia Demo, S.L.",
        "taxId": "B12345674",
        "address": "Calle de Alcalá 120, 28009 Madrid",
        "email": "facturas@fisio-demo.example.es",
        "phone": "+34 910 000 000",
        "logo": None,
        "invoiceFooter": "Inscrita en el Registro Mercantil de Madrid. Gracias por su confianza.",
        "defaultLanguage": "es",
        "verifactuEnabled": True,
        "qrEnvironment": "test",
        "version": 1,
    }


def test_admins_replace_them_with_if_match(api) -> None:
    body = settings_body(taxId="b-12345674", logo=PNG, invoiceFooter="Línea 1\nLínea 2")
    assert api.put(URL, body, if_match='"1"').status_code == 403
    assert api.put(URL, body, if_match=None, headers=api.admin).status_code == 428
    assert api.put(URL, body, if_match='"5"', headers=api.admin).status_code == 412
    response = api.put(URL, body, if_match='"1"', headers=api.admin)
    saved = api.ok(response)
    assert (saved["taxId"], saved["logo"], saved["version"]) == ("B12345674", PNG, 2)
    assert response.headers["ETag"] == '"2"'
    assert api.ok(api.get(URL)) == saved


def test_a_self_employed_physio_issues_with_their_dni(api) -> None:
    saved = api.ok(api.put(URL, settings_body(taxId="12345678Z"), headers=api.admin))
    assert saved["taxId"] == "12345678Z"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"taxId": "B12345670"}, "taxId"),  # wrong check digit
        ({"taxId": "DE136695976"}, "taxId"),  # the issuer must be Spanish
        ({"taxId": ""}, "taxId"),
        ({"legalName": ""}, "legalName"),
        ({"address": ""}, "address"),
        ({"email": "facturas"}, "email"),
        ({"defaultLanguage": "fr"}, "defaultLanguage"),
        ({"qrEnvironment": "staging"}, "qrEnvironment"),
        ({"logo": "data:image/gif;base64,R0lGODlh"}, "logo"),
        ({"logo": "https://example.com/logo.png"}, "logo"),
        ({"logo": "data:image/png;base64,not base64!"}, "logo"),
        ({"logo": "data:image/png;base64," + "A" * (256 * 1024)}, "logo"),
        ({"invoiceFooter": "x" * 1001}, "invoiceFooter"),
    ],
)
def test_bad_settings_are_422_naming_the_field(api, changes: dict[str, Any], field: str) -> None:
    response = api.put(URL, settings_body(**changes), headers=api.admin)
    assert response.status_code == 422, response.text
    assert fields(response) == [field]


def test_an_svg_or_jpeg_logo_is_accepted(api) -> None:
    svg = "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
    assert api.ok(api.put(URL, settings_body(logo=svg), headers=api.admin))["logo"] == svg


def test_blank_settings_before_an_admin_saves_them(api) -> None:
    with api.session() as db, db.begin():
        db.execute(clinic_settings.delete())
    response = api.get(URL)
    assert (response.headers["ETag"], api.ok(response)["legalName"]) == ('"0"', "")
    saved = api.ok(api.put(URL, settings_body(), if_match='"0"', headers=api.admin))
    assert saved["version"] == 1


def test_production_refuses_the_aeat_test_host(
    api, settings_factory: Any, client_factory: Any
) -> None:
    prod: TestClient = client_factory(settings_factory(app_env="prod"))
    headers = {**api.admin, "If-Match": "*"}
    refused = prod.put(URL, json=settings_body(qrEnvironment="test"), headers=headers)
    assert (refused.status_code, fields(refused)) == (422, ["qrEnvironment"])
    accepted = prod.put(URL, json=settings_body(qrEnvironment="production"), headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert api.ok(api.put(URL, settings_body(qrEnvironment="test"), headers=api.admin))


def test_practitioners_get_403(api) -> None:
    assert api.get(URL, headers=api.practitioner).status_code == 403
    assert api.put(URL, settings_body(), headers=api.practitioner).status_code == 403
