"""The longest appointment allowed (12 h) is still seen by ranges and clash checks.

Range and overlap queries bound ``starts_at`` from below by the longest duration so the
(practitioner, starts_at, ends_at) index narrows them; these tests pin that bound's edge.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _night_block(api: Any) -> tuple[str, dict[str, Any]]:
    """A 12-hour block from 20:00 to 08:00 the next morning (UTC)."""
    practitioner_id = api.practitioner()
    block = api.booked(
        practitionerId=practitioner_id,
        kind="block",
        startsAt="2027-04-05T20:00:00Z",
        endsAt="2027-04-06T08:00:00Z",
        title="Guardia",
    )
    return practitioner_id, block


def test_a_range_starting_near_the_end_of_a_12_hour_block_finds_it(api: Any) -> None:
    practitioner_id, block = _night_block(api)
    found = api.get(
        "/api/appointments",
        start="2027-04-06T07:59:00Z",
        end="2027-04-07T00:00:00Z",
        practitionerId=practitioner_id,
    )
    assert found.status_code == 200, found.text
    assert [m["id"] for m in found.json()["member"]] == [block["id"]]
    after = api.get(
        "/api/appointments",
        start="2027-04-06T08:00:00Z",
        end="2027-04-07T00:00:00Z",
        practitionerId=practitioner_id,
    )
    assert after.json()["member"] == []


def test_booking_in_the_last_minutes_of_a_12_hour_block_clashes(api: Any) -> None:
    practitioner_id, block = _night_block(api)
    response = api.book(
        practitionerId=practitioner_id,
        patientId=api.patient(),
        type="dry_needling",
        startsAt="2027-04-06T07:45:00Z",
    )
    assert response.status_code == 409, response.text
    assert [c["id"] for c in response.json()["clashes"]] == [block["id"]]
    free_after = api.book(
        practitionerId=practitioner_id,
        patientId=api.patient(),
        type="dry_needling",
        startsAt="2027-04-06T08:00:00Z",
    )
    assert free_after.status_code == 201, free_after.text
