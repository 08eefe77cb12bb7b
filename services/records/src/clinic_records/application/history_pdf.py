"""The patient's whole clinical history as a PDF, for the right of access (GDPR art. 15).

Everything is gathered in one reading transaction that also appends the audit row
(``history.pdf``: one read, however many entries it holds); the PDF is rendered after the
transaction ends, so the database connection is not held while WeasyPrint lays out pages.
The history is what was signed: episodes, signed entries with their amendments inline and
outcome measures. Drafts are their authors' work in progress and are not part of it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_records.application.measures import outcomes_of
from clinic_records.infrastructure import audit, read_models
from clinic_records.infrastructure import entries as stored_entries
from clinic_records.infrastructure import episodes as stored_episodes
from clinic_records.infrastructure import measures as stored_measures
from clinic_records.infrastructure.audit import Reader
from clinic_records.infrastructure.crypto import Cipher
from clinic_records.infrastructure.history_pdf import (
    PrintableHistory,
    PrintedEntry,
    PrintedEpisode,
    PrintedOutcome,
    render_history_pdf,
)
from clinic_records.infrastructure.history_text import Language
from clinic_shared.errors import NotFoundError

HISTORY_PDF = "history.pdf"
# The whole history: no page. A bound far above any real history keeps the query a LIMIT query.
EVERYTHING = 1_000_000


@dataclass(frozen=True)
class PrintedHistory:
    """The PDF and the name it is downloaded under."""

    content: bytes
    filename: str


def gather_history(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    *,
    language: Language,
    zone: ZoneInfo,
    now: datetime,
) -> PrintableHistory:
    """Everything the PDF shows, oldest first; 404 for an unknown patient; audited."""
    patient = str(patient_id)
    with session.begin():
        name = read_models.patient_name(session, patient)
        if name is None:
            raise NotFoundError("No such patient.")
        episodes = stored_episodes.of_patient(session, cipher, patient, 0, EVERYTHING)[::-1]
        timeline = stored_entries.timeline(session, cipher, patient, reader.user_id, 0, EVERYTHING)
        signed = [entry for entry in reversed(timeline) if entry.is_signed]
        amendments = stored_entries.amendments_of(session, cipher, [e.id for e in signed])
        measures = stored_measures.find_measures(session, cipher, patient_id=patient)
        staff = {reader.user_id}
        staff.update(e.fields.practitioner_id for e in episodes)
        staff.update(e.author_id for e in signed)
        staff.update(e.signed_by for e in signed if e.signed_by)
        staff.update(a.author_id for found in amendments.values() for a in found)
        staff.update(m.taken_by for m in measures)
        names = read_models.staff_names(session, staff)
        audit.record_read(session, reader, HISTORY_PDF, patient, None, now)
    printed_episodes = [
        PrintedEpisode(
            episode,
            [
                PrintedOutcome(found.instrument, found.outcome)
                for found in outcomes_of(
                    [m for m in measures if m.episode_id == episode.id],
                    discharged=not episode.is_open,
                )
            ],
        )
        for episode in episodes
    ]
    return PrintableHistory(
        patient_id=patient,
        patient_name=name,
        language=language,
        issued_at=now,
        issued_by=reader.user_id,
        zone=zone,
        episodes=printed_episodes,
        entries=[PrintedEntry(entry, amendments[entry.id]) for entry in signed],
        measures=measures,
        names=names,
    )


def print_history(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    *,
    language: Language,
    zone: ZoneInfo,
    now: datetime,
) -> PrintedHistory:
    """The PDF of the patient's clinical history in ``language`` (audited as one read)."""
    doc = gather_history(session, cipher, patient_id, reader, language=language, zone=zone, now=now)
    return PrintedHistory(render_history_pdf(doc), f"clinical-history-{str(patient_id)[:8]}.pdf")
