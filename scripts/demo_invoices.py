"""Invoice some of the demo calendar's completed visits, so the invoice pages show something.

Runs after ``demo_calendar.py`` booked a new calendar: billing learns of each completed visit
from ``appointment.completed``, so this waits (a few seconds at most) until those sessions are
billable, then, as the receptionist would: invoices two patients' sessions and issues both
invoices, records a card payment for the first, and leaves a third patient's sessions on a draft.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import httpx

RECEPTION_EMAIL = "recepcion@demo.clinic"
Json = dict[str, Any]


def _uninvoiced_by_patient(client: httpx.Client, deadline: float) -> dict[str, list[str]]:
    """Patient id → their billable sessions, once billing has caught up with the calendar."""
    previous = -1
    while True:
        answer = client.get(
            "/api/billable-sessions", params={"uninvoiced": "true", "itemsPerPage": 100}
        )
        answer.raise_for_status()
        sessions = answer.json()["member"]
        # Settled when two looks a second apart agree (events arrive in a burst).
        if (sessions and len(sessions) == previous) or time.monotonic() > deadline:
            break
        previous = len(sessions)
        time.sleep(1.0)
    by_patient: dict[str, list[str]] = defaultdict(list)
    for session in sessions:
        if session["payerId"] is None and session["price"] != "0.00":
            by_patient[session["patientId"]].append(session["appointmentId"])
    return by_patient


def invoice_demo_sessions(base_url: str, password: str, timeout: float = 20.0) -> tuple[int, int]:
    """Issue two invoices and leave one draft; (issued, drafts)."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        login = client.post("/api/login", json={"email": RECEPTION_EMAIL, "password": password})
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        by_patient = _uninvoiced_by_patient(client, time.monotonic() + timeout)
        issued = drafts = 0
        for patient_id, session_ids in by_patient.items():
            if issued == 2 and drafts == 1:
                break
            body = {"series": "F", "patientId": patient_id, "sessionIds": session_ids}
            draft = client.post("/api/invoices", json=body)
            if draft.status_code != 201:
                continue
            if issued == 2:
                drafts += 1  # left for the desk to check and issue
                continue
            invoice = client.post(
                f"/api/invoices/{draft.json()['id']}/issue",
                headers={"If-Match": draft.headers["etag"]},
            )
            if invoice.status_code != 200:
                # Most demo patients gave no postal address, which an ordinary invoice needs.
                client.delete(f"/api/invoices/{draft.json()['id']}")
                continue
            issued += 1
            if issued == 1:
                total = invoice.json()["total"]
                client.post(
                    f"/api/invoices/{invoice.json()['id']}/payments",
                    json={"amount": total, "method": "card"},
                )
        return issued, drafts


def invoice_and_report(base_url: str, password: str) -> None:
    """What ``make run`` calls after booking a new demo calendar; a failure only warns."""
    try:
        issued, drafts = invoice_demo_sessions(base_url, password)
    except Exception as exc:  # a demo nicety must never stop the clinic from starting
        print(f"  warning: demo invoices not made: {exc}", flush=True)
        return
    print(f"  demo invoices: {issued} issued, {drafts} draft", flush=True)
