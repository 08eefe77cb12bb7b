"""Outcome measures: rows in and out, the answers and scores sealed together on the way in.

Only what a chart filters and orders on stays plain (patient, episode, instrument, day, who
took it). The answers, the scores and the PSFS's activity names are health data like the SOAP
text: one sealed JSON value per row, so a dump shows neither an ODI of 64 % nor the answers
behind it nor "kneeling to pray". Opening a
few hundred values for a chart costs microseconds each; the outcome of an episode is worked
out in Python from the opened scores, never in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from clinic_records.domain.measures import MeasureScore
from clinic_records.infrastructure.crypto import Cipher
from clinic_records.infrastructure.tables import episodes, measures
from clinic_shared.db import from_db, to_db

Answer = int | float | None


@dataclass(frozen=True)
class Measure:
    """One questionnaire or scale as taken: the answers as sent and their score; for the PSFS
    the name of the activity each answer rates (None for the other instruments)."""

    id: str
    patient_id: str
    episode_id: str | None
    taken_on: date
    taken_by: str
    answers: list[Answer]
    result: MeasureScore
    created_at: datetime
    activities: list[str] | None = None

    @property
    def instrument(self) -> str:
        """The instrument's code (``ODI``, ``NDI``, ``QuickDASH``…)."""
        return self.result.instrument


@dataclass(frozen=True)
class EpisodeSpan:
    """What a measure is checked against: whose episode it is and when it ran."""

    patient_id: str
    opened_on: date
    discharged_on: date | None


def _context(measure_id: str) -> str:
    return f"measures.data:{measure_id}"


def _sealed(cipher: Cipher, measure: Measure) -> str:
    result = measure.result
    plain: dict[str, Any] = {
        "answers": measure.answers,
        "score": str(result.score),
        "percent": None if result.percent is None else str(result.percent),
        "answered": result.answered,
        "missing": result.missing,
    }
    if measure.activities is not None:
        plain["activities"] = measure.activities
    return cipher.seal(json.dumps(plain, separators=(",", ":")), _context(measure.id))


def insert_measure(session: Session, cipher: Cipher, measure: Measure) -> None:
    """Store a measure taken (never updated afterwards: a wrong one is superseded)."""
    session.execute(
        insert(measures).values(
            id=measure.id,
            patient_id=measure.patient_id,
            episode_id=measure.episode_id,
            instrument=measure.instrument,
            taken_on=measure.taken_on,
            taken_by=measure.taken_by,
            data=_sealed(cipher, measure),
            created_at=to_db(measure.created_at),
        )
    )


def _measure(cipher: Cipher, row: Row[Any]) -> Measure:
    plain = json.loads(cipher.open(row.data, _context(row.id)))
    percent = plain["percent"]
    return Measure(
        id=row.id,
        patient_id=row.patient_id,
        episode_id=row.episode_id,
        taken_on=row.taken_on,
        taken_by=row.taken_by,
        answers=plain["answers"],
        result=MeasureScore(
            instrument=row.instrument,
            score=Decimal(plain["score"]),
            answered=plain["answered"],
            missing=plain["missing"],
            percent=None if percent is None else Decimal(percent),
        ),
        created_at=from_db(row.created_at),
        activities=plain.get("activities"),
    )


def get_measure(session: Session, cipher: Cipher, measure_id: str) -> Measure | None:
    """The measure, or None."""
    row = session.execute(select(measures).where(measures.c.id == measure_id)).first()
    return _measure(cipher, row) if row else None


def find_measures(
    session: Session,
    cipher: Cipher,
    *,
    patient_id: str | None = None,
    episode_id: str | None = None,
    instrument: str | None = None,
    instruments: Collection[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Measure]:
    """Measures matching the filters (``instruments``: any of these codes), oldest first (the
    order a chart draws them in)."""
    query = select(measures)
    if patient_id is not None:
        query = query.where(measures.c.patient_id == patient_id)
    if episode_id is not None:
        query = query.where(measures.c.episode_id == episode_id)
    if instrument is not None:
        query = query.where(measures.c.instrument == instrument)
    if instruments is not None:
        query = query.where(measures.c.instrument.in_(list(instruments)))
    query = query.order_by(measures.c.taken_on, measures.c.created_at, measures.c.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_measure(cipher, row) for row in session.execute(query)]


def episode_span(session: Session, episode_id: str) -> EpisodeSpan | None:
    """The episode's patient, opening and discharge days (no clinical text opened), or None."""
    query = select(episodes.c.patient_id, episodes.c.opened_on, episodes.c.discharged_on).where(
        episodes.c.id == episode_id
    )
    row = session.execute(query).first()
    return EpisodeSpan(row.patient_id, row.opened_on, row.discharged_on) if row else None
