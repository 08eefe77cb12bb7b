"""Billing learns patients and completed sessions from events; issuing publishes invoice.issued."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import redis

from clinic_shared.events import EventEnvelope
from clinic_shared.events.envelope import from_fields
from e2e_helpers import login


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _past_weekday_at_ten_utc(days_back: int) -> datetime:
    # 11:00 or 12:00 in Madrid: inside the working hours all year round.
    day = datetime.now(UTC).date() - timedelta(days=days_back)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _eventually(probe: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _complete_a_session(
    gateway: httpx.Client, auth: dict[str, str], patient_id: str, starts_at: datetime
) -> str:
    practitioners = gateway.get("/api/practitioners", headers=auth).json()["member"]
    laura = next(p for p in practitioners if p["fullName"] == "Laura Martínez")
    booking = {
        "practitionerId": laura["id"],
        "patientId": patient_id,
        "type": "follow_up",
        "startsAt": starts_at.isoformat(),
    }
    booked = gateway.post("/api/appointments", headers=auth, json=booking)
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    completed = gateway.put(
        f"/api/appointments/{appointment['id']}",
        headers={**auth, "If-Match": booked.headers["etag"]},
        json={**booking, "status": "completed", "endsAt": appointment["endsAt"]},
    )
    assert completed.status_code == 200, completed.text
    return str(appointment["id"])


def test_a_completed_session_is_invoiced_issued_and_announced(
    gateway: httpx.Client, events: redis.Redis
) -> None:
    auth = bearer(login(gateway, "recepcion@demo.clinic"))
    found = gateway.get("/api/patients", headers=auth, params={"search": "garcia nunez"})
    patient = found.json()["member"][0]
    appointment_id = _complete_a_session(gateway, auth, patient["id"], _past_weekday_at_ten_utc(3))

    def billable() -> list[dict[str, Any]]:
        answer = gateway.get(
            "/api/billable-sessions",
            headers=auth,
            params={"patientId": patient["id"], "uninvoiced": "true"},
        )
        assert answer.status_code == 200, answer.text
        return [s for s in answer.json()["member"] if s["appointmentId"] == appointment_id]

    sessions = _eventually(billable)
    assert sessions, "the completed appointment never became a billable session"
    assert sessions[0]["price"] == "40.00"  # the demo catalogue's physiotherapy session

    draft = gateway.post(
        "/api/invoices",
        headers=auth,
        json={"series": "F", "patientId": patient["id"], "sessionIds": [appointment_id]},
    )
    assert draft.status_code == 201, draft.text
    issued = gateway.post(
        f"/api/invoices/{draft.json()['id']}/issue",
        headers={**auth, "If-Match": draft.headers["etag"]},
    )
    assert issued.status_code == 200, issued.text
    invoice = issued.json()
    assert invoice["number"].startswith(f"F{datetime.now(UTC).year}")
    assert invoice["total"] == "40.00"
    assert invoice["customer"]["taxId"] == "12345678Z"
    assert not billable(), "an invoiced session is no longer uninvoiced"

    def announced() -> list[EventEnvelope]:
        envelopes = [from_fields(fields) for _id, fields in events.xrange("events.billing")]
        return [e for e in envelopes if e.data.get("invoiceId") == invoice["id"]]

    published = _eventually(announced)
    assert [e.type for e in published] == ["invoice.issued"]
    assert published[0].data["number"] == invoice["number"]
    assert published[0].data["sessionIds"] == [appointment_id]

    pdf = gateway.get(f"/api/invoices/{invoice['id']}/export/pdf", headers=auth)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert f"invoice-{invoice['number']}.pdf" in pdf.headers["content-disposition"]


def test_practitioners_see_no_invoices_and_the_dashboard_counts_them(
    gateway: httpx.Client,
) -> None:
    physio = bearer(login(gateway, "fisio@demo.clinic"))
    assert gateway.get("/api/invoices", headers=physio).status_code == 403
    physio_dashboard = gateway.get("/api/dashboard/stats", headers=physio).json()
    assert "billing" not in physio_dashboard["degraded"]
    assert physio_dashboard["totalInvoices"] is None

    desk = bearer(login(gateway, "recepcion@demo.clinic"))
    figures = gateway.get("/api/dashboard/stats", headers=desk).json()
    assert figures["degraded"] == []
    assert figures["totalInvoices"] == 0
    assert figures["outstandingAmount"] == "0.00"
