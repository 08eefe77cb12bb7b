"""Events the clinical records service publishes on ``events.records``.

They carry ids, types and dates only — never clinical text (no SOAP section, no amendment
text, no episode reason): Redis is not where health data may travel. ``entityVersion`` is the
entry's or episode's row version after the change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from clinic_shared.contracts.base import EntityVersion, EventPayload

PRODUCER = "records"
STREAM = "events.records"

RECORD_SIGNED = "record.signed"
RECORD_AMENDED = "record.amended"
EPISODE_DISCHARGED = "episode.discharged"

EntryType = Literal["assessment", "treatment", "evolution", "discharge", "note"]

_EXAMPLE_ENTRY: dict[str, Any] = {
    "entryId": "5b0c7e9a-2f4d-4a61-9b8e-3c1d2e4f5a6b",
    "patientId": "0f8d3c2a-6b1e-4f5a-9c7d-2e4b6a8c0d12",
    "episodeId": "9e1f2a3b-4c5d-4e6f-8a7b-1c2d3e4f5a6b",
    "appointmentId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "type": "treatment",
    "entryDate": "2027-03-29",
    "authorId": "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b",
    "signedBy": "2b4d6f80-1a3c-4e5f-8a9b-0c1d2e3f4a5b",
    "signedAt": "2027-03-29T08:05:00Z",
    "entityVersion": 2,
}


class RecordSigned(EventPayload):
    """``record.signed``: an entry was signed and is immutable from now on."""

    entry_id: UUID
    patient_id: UUID
    episode_id: UUID | None
    # The session this note documents (it clears "sessions without a note").
    appointment_id: UUID | None
    type: EntryType
    entry_date: date
    author_id: str
    signed_by: str
    signed_at: datetime
    entity_version: int | None = EntityVersion

    EXAMPLE: ClassVar[dict[str, Any]] = _EXAMPLE_ENTRY


class RecordAmended(EventPayload):
    """``record.amended``: a signed amendment was attached to a signed entry."""

    entry_id: UUID
    amendment_id: UUID
    patient_id: UUID
    type: EntryType
    entry_date: date
    amended_by: str
    amended_at: datetime
    entity_version: int | None = EntityVersion

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "entryId": _EXAMPLE_ENTRY["entryId"],
        "amendmentId": "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
        "patientId": _EXAMPLE_ENTRY["patientId"],
        "type": "treatment",
        "entryDate": "2027-03-29",
        "amendedBy": _EXAMPLE_ENTRY["authorId"],
        "amendedAt": "2027-03-30T09:00:00Z",
        "entityVersion": 3,
    }


class EpisodeDischarged(EventPayload):
    """``episode.discharged``: an episode of care was closed."""

    episode_id: UUID
    patient_id: UUID
    practitioner_id: str
    opened_on: date
    discharged_on: date
    entity_version: int | None = EntityVersion

    EXAMPLE: ClassVar[dict[str, Any]] = {
        "episodeId": _EXAMPLE_ENTRY["episodeId"],
        "patientId": _EXAMPLE_ENTRY["patientId"],
        "practitionerId": _EXAMPLE_ENTRY["authorId"],
        "openedOn": "2027-02-01",
        "dischargedOn": "2027-04-15",
        "entityVersion": 3,
    }


CONTRACTS: dict[str, type[EventPayload]] = {
    RECORD_SIGNED: RecordSigned,
    RECORD_AMENDED: RecordAmended,
    EPISODE_DISCHARGED: EpisodeDischarged,
}
