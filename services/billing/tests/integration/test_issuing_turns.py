"""Issues that arrive together share a turn, and each still gets its own answer: a stale
If-Match is 412 and a second request for the same draft 409, while the rest are numbered."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic_shared.testing.race import app_engine, race

from .test_issuing_race import _drafts

pytestmark = pytest.mark.integration

RACERS = 40


def _issue(client: TestClient, headers: dict[str, str], invoice_id: str, etag: str) -> Any:
    response = client.post(
        f"/api/invoices/{invoice_id}/issue", headers={**headers, "If-Match": etag}
    )
    return response.status_code, response.json().get("number")


def test_a_turn_answers_each_issue_on_its_own(
    client: TestClient, api_headers: dict[str, str]
) -> None:
    ids = _drafts(client, RACERS)
    stale, doubled = ids[:8], ids[8:14]
    requests = [(invoice_id, '"7"' if invoice_id in stale else '"1"') for invoice_id in ids]
    requests += [(invoice_id, '"1"') for invoice_id in doubled]  # a double click
    line = client.app.state.services.issuing  # type: ignore[attr-defined]
    turns_before = line.turns

    calls = [
        lambda invoice_id=invoice_id, etag=etag: _issue(client, api_headers, invoice_id, etag)
        for invoice_id, etag in requests
    ]
    answers = race(calls, engines=[app_engine(client)])

    by_draft: dict[str, list[int]] = {}
    for (invoice_id, _etag), (status, _number) in zip(requests, answers, strict=True):
        by_draft.setdefault(invoice_id, []).append(status)
    assert all(by_draft[invoice_id] == [412] for invoice_id in stale)
    assert all(sorted(by_draft[invoice_id]) == [200, 409] for invoice_id in doubled)
    numbers = sorted(number for status, number in answers if status == 200)
    year = numbers[0][1:5]
    assert numbers == [f"S{year}{n:06d}" for n in range(1, RACERS - len(stale) + 1)]
    assert Counter(status for status, _ in answers) == {200: 32, 412: 8, 409: 6}
    # The 46 requests were served by fewer transactions than requests: they shared turns.
    assert line.turns - turns_before < len(requests)
