"""Request and response bodies of outcome measures and episode outcomes (camelCase).

Scores are exact ``Decimal`` values with one decimal inside the service and JSON numbers on
the wire (``35.6``), the form a chart plots; the one-decimal value reads back exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, PlainSerializer, WithJsonSchema

from clinic_records.application.measures import EpisodeOutcomes, InstrumentOutcome, NewMeasure
from clinic_records.domain.measures import ACTIVITY_MAX_LENGTH, INSTRUMENTS, instrument_for
from clinic_records.infrastructure.measures import Measure
from clinic_shared.schemas import CamelInput, CamelModel, SingleLine, UtcDatetime

Score = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
# Each answer is checked by the instrument's rules (``score_measure``), which name the item
# (``answers.3``) and say what it takes; a Pydantic union would report "answers.3.int".
AnswerIn = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "null"}]})]
MAX_ANSWERS = 50  # more than any instrument takes: the domain names the exact count
# One line; blank (after trimming) and the count against the answers are the domain's checks.
ActivityName = Annotated[SingleLine, Field(max_length=ACTIVITY_MAX_LENGTH)]


class MeasureCreate(CamelInput):
    """A questionnaire or scale taken: its items in the instrument's order (null = skipped)."""

    patient_id: UUID
    episode_id: UUID | None = None
    instrument: str = Field(
        min_length=1,
        max_length=20,
        description="One of " + ", ".join(INSTRUMENTS) + " (case-insensitive).",
    )
    answers: list[AnswerIn] = Field(max_length=MAX_ANSWERS)
    taken_on: dt.date | None = Field(default=None, description="Default: today; not in the future.")
    activities: list[ActivityName] | None = Field(
        default=None,
        max_length=MAX_ANSWERS,
        description=(
            "PSFS only, and required there: the name of the activity each answer rates, in "
            "the same order (one per answer, 1–100 characters). Any other instrument: omit."
        ),
    )

    def new(self) -> NewMeasure:
        """The use case's view of the body."""
        return NewMeasure(
            patient_id=self.patient_id,
            instrument=self.instrument,
            answers=list(self.answers),
            episode_id=self.episode_id,
            taken_on=self.taken_on,
            activities=None if self.activities is None else list(self.activities),
        )


class MeasurePublic(CamelModel):
    """A measure as taken, with its score and what the instrument counts as an improvement."""

    id: str
    patient_id: str
    episode_id: str | None
    instrument: str
    name: str
    answers: list[int | float | None]
    activities: list[str] | None = Field(
        description="PSFS: the activity each answer rates, in order; null for other instruments."
    )
    score: Score
    percent: Score | None
    score_max: Score
    unit: str
    answered: int
    missing: int
    taken_on: dt.date
    taken_by: str
    direction: str
    mcid: Score
    created_at: UtcDatetime

    @classmethod
    def of(cls, measure: Measure) -> MeasurePublic:
        """The answer for ``measure``."""
        instrument, result = instrument_for(measure.instrument), measure.result
        return cls(
            id=measure.id,
            patient_id=measure.patient_id,
            episode_id=measure.episode_id,
            instrument=instrument.code,
            name=instrument.name,
            answers=measure.answers,
            activities=measure.activities,
            score=result.score,
            percent=result.percent,
            score_max=instrument.score_max,
            unit=instrument.unit,
            answered=result.answered,
            missing=result.missing,
            taken_on=measure.taken_on,
            taken_by=measure.taken_by,
            direction=instrument.direction.value,
            mcid=instrument.mcid,
            created_at=measure.created_at,
        )


class OutcomePoint(CamelModel):
    """One score of the outcome and the measure it came from."""

    measure_id: str
    taken_on: dt.date
    score: Score

    @classmethod
    def of(cls, measure: Measure) -> OutcomePoint:
        """The point for ``measure``."""
        return cls(measure_id=measure.id, taken_on=measure.taken_on, score=measure.result.score)


class InstrumentOutcomePublic(CamelModel):
    """Baseline vs latest (vs discharge) of one instrument; ``change`` > 0 is better."""

    instrument: str
    name: str
    direction: str
    unit: str
    count: int
    baseline: OutcomePoint
    latest: OutcomePoint
    discharge: OutcomePoint | None
    change: Score
    mcid: Score
    mcid_source: str
    reaches_mcid: bool

    @classmethod
    def of(cls, found: InstrumentOutcome) -> InstrumentOutcomePublic:
        """The answer for one instrument's outcome."""
        instrument, outcome, discharge = found.instrument, found.outcome, found.discharge
        return cls(
            instrument=instrument.code,
            name=instrument.name,
            direction=instrument.direction.value,
            unit=instrument.unit,
            count=found.count,
            baseline=OutcomePoint.of(found.baseline),
            latest=OutcomePoint.of(found.latest),
            discharge=OutcomePoint.of(discharge) if discharge is not None else None,
            change=outcome.change,
            mcid=outcome.mcid,
            mcid_source=instrument.mcid_source,
            reaches_mcid=outcome.reaches_mcid,
        )


class EpisodeOutcomesPublic(CamelModel):
    """Every instrument measured in an episode of care, in the order first taken."""

    episode_id: str
    patient_id: str
    opened_on: dt.date
    discharged_on: dt.date | None
    outcomes: list[InstrumentOutcomePublic]

    @classmethod
    def of(cls, found: EpisodeOutcomes) -> EpisodeOutcomesPublic:
        """The answer for ``found``."""
        return cls(
            episode_id=found.episode_id,
            patient_id=found.patient_id,
            opened_on=found.opened_on,
            discharged_on=found.discharged_on,
            outcomes=[InstrumentOutcomePublic.of(o) for o in found.outcomes],
        )
