"""Use cases of outcome measures: take one (scored by its instrument's rules), read them
(audited), and an episode's outcome per instrument: baseline, latest, discharge, change, MCID.

A measure taken is a fact: nothing updates or deletes one. A wrong one is superseded by
taking the questionnaire again. Every answer with scores (a read, or the measure just taken)
appends its audit row in the same transaction, like the entries'.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clinic_records.domain.measures import (
    EpisodeOutcome,
    Instrument,
    checked_activities,
    episode_outcome,
    instrument_for,
    score_measure,
)
from clinic_records.infrastructure import audit, read_models
from clinic_records.infrastructure import measures as stored
from clinic_records.infrastructure.audit import Reader
from clinic_records.infrastructure.crypto import Cipher
from clinic_records.infrastructure.measures import Answer, Measure
from clinic_shared.errors import FieldError, NotFoundError

MEASURE_READ = "measure.read"
MEASURES_READ = "measures.read"
OUTCOMES_READ = "outcomes.read"
# The answer to taking one carries its answers and score: audited too.
MEASURE_TAKEN = "measure.taken"


@dataclass(frozen=True)
class NewMeasure:
    """What the caller sends: who, which instrument, the answers, when (default today), and
    for the PSFS the name of the activity each answer rates."""

    patient_id: uuid.UUID
    instrument: str
    answers: list[Answer]
    episode_id: uuid.UUID | None = None
    taken_on: date | None = None
    activities: list[str] | None = None


def _check_episode(session: Session, patient_id: str, episode_id: str, taken_on: date) -> None:
    span = stored.episode_span(session, episode_id)
    if span is None or span.patient_id != patient_id:
        raise FieldError("episodeId", "no such episode of care for this patient")
    if taken_on < span.opened_on:
        raise FieldError("takenOn", f"the episode opened on {span.opened_on.isoformat()}")
    if span.discharged_on is not None and taken_on > span.discharged_on:
        raise FieldError(
            "takenOn",
            f"the episode was discharged on {span.discharged_on.isoformat()}; "
            "a later measure belongs to no episode or to a new one",
        )


def take_measure(
    session: Session,
    cipher: Cipher,
    new: NewMeasure,
    *,
    taker: Reader,
    today: date,
    now: datetime,
) -> Measure:
    """Score ``new`` and store it; 422 naming the field for bad answers or activity names, a
    day in the future, an unknown patient, an unknown episode or one of another patient.
    Audited (``measure.taken``)."""
    result = score_measure(new.instrument, new.answers)  # 422 instrument / answers / answers.<i>
    activities = checked_activities(new.instrument, new.activities, len(new.answers))
    taken_on = new.taken_on or today
    if taken_on > today:
        raise FieldError("takenOn", "a measure cannot be taken in the future")
    patient_id = str(new.patient_id)
    with session.begin():
        if not read_models.patient_exists(session, patient_id):
            raise FieldError("patientId", "no such patient")
        episode_id = str(new.episode_id) if new.episode_id else None
        if episode_id is not None:
            _check_episode(session, patient_id, episode_id, taken_on)
        measure = Measure(
            id=str(uuid.uuid4()),
            patient_id=patient_id,
            episode_id=episode_id,
            taken_on=taken_on,
            taken_by=taker.user_id,
            answers=list(new.answers),
            result=result,
            created_at=now,
            activities=activities,
        )
        stored.insert_measure(session, cipher, measure)
        audit.record_read(session, taker, MEASURE_TAKEN, patient_id, measure.id, now)
        return measure


def read_measure(
    session: Session, cipher: Cipher, measure_id: uuid.UUID, reader: Reader, now: datetime
) -> Measure:
    """One measure; the read is audited (``measure.read``)."""
    with session.begin():
        measure = stored.get_measure(session, cipher, str(measure_id))
        if measure is None:
            raise NotFoundError("No such outcome measure.")
        audit.record_read(session, reader, MEASURE_READ, measure.patient_id, measure.id, now)
        return measure


def measures_of(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    now: datetime,
    *,
    episode_id: uuid.UUID | None,
    instrument: str | None,
    offset: int,
    limit: int,
) -> list[Measure]:
    """A page of the patient's measures, oldest first; audited (``measures.read``)."""
    code = instrument_for(instrument).code if instrument is not None else None
    episode = str(episode_id) if episode_id else None
    with session.begin():
        found = stored.find_measures(
            session,
            cipher,
            patient_id=str(patient_id),
            episode_id=episode,
            instrument=code,
            offset=offset,
            limit=limit,
        )
        audit.record_read(session, reader, MEASURES_READ, str(patient_id), episode, now)
        return found


@dataclass(frozen=True)
class InstrumentOutcome:
    """One instrument over an episode: the domain's outcome and the measures behind it."""

    instrument: Instrument
    outcome: EpisodeOutcome
    baseline: Measure
    latest: Measure
    count: int

    @property
    def discharge(self) -> Measure | None:
        """The last measure once the episode is discharged."""
        return self.latest if self.outcome.discharge is not None else None


@dataclass(frozen=True)
class EpisodeOutcomes:
    """Every instrument measured in an episode, in the order each was first taken."""

    episode_id: str
    patient_id: str
    opened_on: date
    discharged_on: date | None
    outcomes: list[InstrumentOutcome]


def outcomes_of(found: list[Measure], *, discharged: bool) -> list[InstrumentOutcome]:
    """Group ``found`` (oldest first) by instrument and work out each one's outcome."""
    by_instrument: dict[str, list[Measure]] = {}
    for measure in found:
        by_instrument.setdefault(measure.instrument, []).append(measure)
    results: list[InstrumentOutcome] = []
    for code, taken in by_instrument.items():
        outcome = episode_outcome(code, [m.result.score for m in taken], discharged=discharged)
        assert outcome is not None  # taken is never empty
        results.append(
            InstrumentOutcome(instrument_for(code), outcome, taken[0], taken[-1], len(taken))
        )
    return results


def episode_outcomes(
    session: Session, cipher: Cipher, episode_id: uuid.UUID, reader: Reader, now: datetime
) -> EpisodeOutcomes:
    """The episode's outcome per instrument; 404 for no such episode; audited
    (``outcomes.read``)."""
    with session.begin():
        span = stored.episode_span(session, str(episode_id))
        if span is None:
            raise NotFoundError("No such episode of care.")
        found = stored.find_measures(session, cipher, episode_id=str(episode_id))
        audit.record_read(session, reader, OUTCOMES_READ, span.patient_id, str(episode_id), now)
    return EpisodeOutcomes(
        episode_id=str(episode_id),
        patient_id=span.patient_id,
        opened_on=span.opened_on,
        discharged_on=span.discharged_on,
        outcomes=outcomes_of(found, discharged=span.discharged_on is not None),
    )
