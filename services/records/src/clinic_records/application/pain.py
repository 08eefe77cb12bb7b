"""A patient's pain over time: the pain VAS of the SOAP entries and the pain scales taken as
outcome measures (VAS, NPRS), as one series for a chart (audited).

Both are 0–10 ratings of the same thing, recorded two ways: the painVas a note carries at
every session and, now and then, a pain scale taken as a measure. One series, oldest first,
each point saying where it came from, is what the chart of pain draws; the measures' own
charts (one per instrument) stay as they are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clinic_records.domain.measures import NPRS, VAS
from clinic_records.infrastructure import audit
from clinic_records.infrastructure import entries as stored_entries
from clinic_records.infrastructure import measures as stored_measures
from clinic_records.infrastructure.audit import Reader
from clinic_records.infrastructure.crypto import Cipher

PAIN_READ = "pain.read"
PAIN_SCALES = (VAS.code, NPRS.code)
ENTRY = "entry"


@dataclass(frozen=True)
class PainPoint:
    """One pain rating: from an entry (``source`` ``entry``) or a pain scale (its code)."""

    day: date
    pain: Decimal
    source: str
    episode_id: str | None
    signed: bool  # False only for the reader's own draft; a measure is final once taken
    created_at: datetime  # orders the points of one day
    entry_id: str | None = None
    entry_type: str | None = None
    measure_id: str | None = None


def pain_series(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    now: datetime,
    *,
    episode_id: uuid.UUID | None = None,
) -> list[PainPoint]:
    """The patient's pain ratings (signed entries, the reader's drafts, VAS and NPRS measures),
    oldest first, optionally of one episode; audited (``pain.read``) like every clinical read."""
    patient = str(patient_id)
    episode = str(episode_id) if episode_id else None
    with session.begin():
        ratings = stored_entries.pain_ratings(session, patient, reader.user_id, episode)
        scales = stored_measures.find_measures(
            session, cipher, patient_id=patient, episode_id=episode, instruments=PAIN_SCALES
        )
        audit.record_read(session, reader, PAIN_READ, patient, episode, now)
    points = [
        PainPoint(
            day=r.entry_date,
            pain=Decimal(r.pain_vas),
            source=ENTRY,
            episode_id=r.episode_id,
            signed=r.signed,
            entry_id=r.entry_id,
            entry_type=r.entry_type,
            created_at=r.created_at,
        )
        for r in ratings
    ]
    points += [
        PainPoint(
            day=m.taken_on,
            pain=m.result.score,
            source=m.instrument,
            episode_id=m.episode_id,
            signed=True,
            measure_id=m.id,
            created_at=m.created_at,
        )
        for m in scales
    ]
    # Both lists come oldest first; on one day, the order they were written in.
    return sorted(points, key=lambda p: (p.day, p.created_at))
