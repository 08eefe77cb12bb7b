"""GET /api/invoices/{id}/export/pdf: the issued invoice with its number and a QR that decodes to
AEAT's URL for it; a draft marked as such with neither; the file named after the number."""

from __future__ import annotations

import io
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

pytestmark = pytest.mark.integration

LINE = {"description": "Sesión de fisioterapia", "quantity": "2", "unitPrice": "40.00",
        "vatRate": "0", "exemption": "health_care"}  # fmt: skip
CUSTOMER = {"kind": "person", "name": "Lucía Pérez & Hijos", "taxId": "12345678Z",
            "address": "Calle Mayor 1", "postalCode": "28013", "city": "Madrid"}  # fmt: skip


def _draft(api: Any, **changes: Any) -> Any:
    customer = api.ok(api.post("/api/customers", {**CUSTOMER, **changes}), 201)
    body = {"series": "F", "customerId": customer["id"], "lines": [LINE]}
    return api.post("/api/invoices", body)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _qr(pdf: bytes) -> str:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return str(found[0].text)


def test_an_issued_invoice_prints_its_number_totals_and_verifiable_qr(api: Any) -> None:
    draft = _draft(api)
    assert draft.status_code == 201, draft.text
    issued = api.post(
        f"/api/invoices/{draft.json()['id']}/issue",
        headers={**api.headers, "If-Match": draft.headers["etag"]},
    )
    invoice = api.ok(issued)

    response = api.get(f"/api/invoices/{invoice['id']}/export/pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="invoice-{invoice["number"]}.pdf"'
    text = _text(response.content)
    assert invoice["number"] in text
    assert "Lucía Pérez & Hijos" in text
    assert "80,00 €" in text
    assert "exenta" in text
    assert _qr(response.content) == invoice["verifactu"]["qrUrl"]

    paid = api.post(
        f"/api/invoices/{invoice['id']}/payments", {"amount": "80.00", "method": "cash"}
    )
    assert paid.status_code == 201, paid.text
    reprinted = _text(api.get(f"/api/invoices/{invoice['id']}/export/pdf").content)
    assert "Efectivo" in reprinted  # the payment: a new version is rendered again, not cached


def test_a_copy_printed_after_the_clinic_moved_shows_the_letterhead_of_the_issue(
    api: Any,
) -> None:
    draft = api.ok(_draft(api), 201)
    issued = api.post(
        f"/api/invoices/{draft['id']}/issue", headers={**api.headers, "If-Match": '"1"'}
    )
    invoice = api.ok(issued)
    settings = api.get("/api/billing-settings", headers=api.admin)
    moved = {k: v for k, v in settings.json().items() if k != "version"}
    moved |= {"legalName": "Fisioterapia Nueva, S.L.", "address": "Paseo del Prado 1, Madrid"}
    saved = api.put("/api/billing-settings", moved, settings.headers["etag"], headers=api.admin)
    assert saved.status_code == 200, saved.text

    old_copy = _text(api.get(f"/api/invoices/{invoice['id']}/export/pdf").content)
    new_draft = _text(
        api.get(f"/api/invoices/{api.ok(_draft(api, taxId=None), 201)['id']}/export/pdf").content
    )

    assert "Fisioterapia Demo, S.L." in old_copy
    assert "Fisioterapia Nueva" not in old_copy
    assert "Fisioterapia Nueva, S.L." in new_draft


def test_a_draft_prints_as_a_draft_without_number_or_qr(api: Any) -> None:
    draft = api.ok(_draft(api, language="en"), 201)

    response = api.get(f"/api/invoices/{draft['id']}/export/pdf")

    assert response.status_code == 200
    assert (
        f'filename="invoice-draft-{draft["id"][:8]}.pdf"' in response.headers["content-disposition"]
    )
    text = _text(response.content)
    assert "DRAFT" in text
    assert "€80.00" in text
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=300 / 72).to_pil()
    assert zxingcpp.read_barcodes(image) == []


def test_a_rectifying_invoice_prints_the_one_it_corrects_and_its_own_qr(api: Any) -> None:
    draft = api.ok(_draft(api), 201)
    issued = api.post(
        f"/api/invoices/{draft['id']}/issue", headers={**api.headers, "If-Match": '"1"'}
    )
    original = api.ok(issued)
    request = {"method": "differences", "reasonCode": "R4", "reason": "Sesión no realizada"}
    correction = api.ok(api.post(f"/api/invoices/{original['id']}/rectify", request), 201)

    pdf = api.get(f"/api/invoices/{correction['id']}/export/pdf").content

    text = _text(pdf)
    assert correction["number"] in text
    assert original["number"] in text  # the notice naming what it corrects
    assert "Sesión no realizada" in text
    assert _qr(pdf) == correction["verifactu"]["qrUrl"]


def test_unknown_invoices_and_practitioners_get_no_pdf(api: Any) -> None:
    draft = api.ok(_draft(api), 201)
    unknown = api.get("/api/invoices/00000000-0000-4000-8000-000000000000/export/pdf")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    refused = api.get(f"/api/invoices/{draft['id']}/export/pdf", headers=api.practitioner)
    assert refused.status_code == 403
