"""The patient's whole clinical history as a PDF, for the right of access (GDPR art. 15).

Everything is gathered in one reading transaction that also appends the audit row
(``history.pdf``: one read, however many entries it holds); the PDF is rendered after the
transaction ends, so the database connection is not held while WeasyPrint lays out pages.
The history is what was signed: episodes, signed entries with their amendments inline and
outcome measures. Drafts are their authors' work in progress and are not part of it.

A long history comes in parts of ``ENTRIES_PER_PART`` signed entries, oldest first; part 1
also holds the episodes and the outcome measures. WeasyPrint's layout costs about 9 ms of
CPU per entry and grows linearly (measured with the renderer alone: 500 entries in one PDF,
121 A4 pages, 4.2–5.3 s of CPU, 7–8 s on the project's busy 2-core VM, ~90 MB more memory;
1,000 entries 12–26 s, past the gateway's 10 s upstream timeout), so one PDF of a very long
history would fail; a part of 200 (51 pages) costs ~2 s of CPU and ~25 MB however long the
history is. Each part downloaded is one audited read.
"""

from __future__ import annotations

import math
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
# Episodes in full: no page. A bound far above any real history keeps the query a LIMIT query.
EVERYTHING = 1_000_000
ENTRIES_PER_PART = 200


def parts_of(signed_entries: int) -> int:
    """How many parts a history of ``signed_entries`` is delivered in (at least one)."""
    return max(1, math.ceil(signed_entries / ENTRIES_PER_PART))


@dataclass(frozen=True)
class PrintedHistory:
    """The PDF, the name it is downloaded under and how many parts the history has."""

    content: bytes
    filename: str
    parts: int = 1


def gather_history(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    *,
    language: Language,
    zone: ZoneInfo,
    now: datetime,
    part: int = 1,
) -> PrintableHistory:
    """Everything part ``part`` of the PDF shows, oldest first; 404 for an unknown patient or
    a part past the last; audited."""
    patient = str(patient_id)
    with session.begin():
        name = read_models.patient_name(session, patient)
        if name is None:
            raise NotFoundError("No such patient.")
        total = stored_entries.count_signed(session, patient)
        parts = parts_of(total)
        if part > parts:
            raise NotFoundError(f"This clinical history has {parts} part(s).")
        episodes = stored_episodes.of_patient(session, cipher, patient, 0, EVERYTHING)[::-1]
        first = (part - 1) * ENTRIES_PER_PART
        signed = stored_entries.signed_history(session, cipher, patient, first, ENTRIES_PER_PART)
        amendments = stored_entries.amendments_of(session, cipher, [e.id for e in signed])
        # Part 1 prints the measures; every part needs the episodes to name an entry's.
        measures = (
            stored_measures.find_measures(session, cipher, patient_id=patient) if part == 1 else []
        )
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
        part=part,
        parts=parts,
        first_entry=first + 1,
        total_entries=total,
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
    part: int = 1,
) -> PrintedHistory:
    """Part ``part`` of the PDF of the patient's clinical history in ``language`` (audited as
    one read)."""
    doc = gather_history(
        session, cipher, patient_id, reader, language=language, zone=zone, now=now, part=part
    )
    name = f"clinical-history-{str(patient_id)[:8]}"
    if doc.parts > 1:
        name += f"-part-{part}-of-{doc.parts}"
    return PrintedHistory(render_history_pdf(doc), f"{name}.pdf", doc.parts)
