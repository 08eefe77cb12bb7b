"""Routes of outcome measures and episode outcomes (practitioners and admins; reads audited).

There is no PUT or DELETE: a measure taken is a fact, and a wrong one is superseded by taking
the questionnaire again (the router answers 405 to both).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from clinic_records.application import measures
from clinic_records.entrypoints.deps import (
    ClinicalUser,
    DbSession,
    ServicesDep,
    now,
    reader_of,
    today,
)
from clinic_records.entrypoints.measure_schemas import (
    EpisodeOutcomesPublic,
    MeasureCreate,
    MeasurePublic,
)
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["measures"])


@router.post("/api/measures", status_code=201, response_model=MeasurePublic)
def take_measure(
    body: MeasureCreate,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> MeasurePublic:
    """Record a questionnaire or scale taken (ODI, NDI, QuickDASH, PSFS, VAS, NPRS), scored by
    the instrument's published rules; 422 naming the answer that is wrong."""
    measure = measures.take_measure(
        db,
        services.cipher,
        body.new(),
        taker=reader_of(user),
        today=today(services),
        now=now(services),
    )
    response.headers["Location"] = f"/api/measures/{measure.id}"
    return MeasurePublic.of(measure)


@router.get("/api/measures", response_model=Collection[MeasurePublic])
def list_measures(
    patient_id: Annotated[UUID, Query(alias="patientId")],
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    page: Page,
    request: Request,
    episode_id: Annotated[UUID | None, Query(alias="episodeId")] = None,
    instrument: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
) -> Collection[MeasurePublic]:
    """A patient's measures, oldest first (for charting), optionally of one episode or
    instrument (audited)."""
    found = measures.measures_of(
        db,
        services.cipher,
        patient_id,
        reader_of(user),
        now(services),
        episode_id=episode_id,
        instrument=instrument,
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([MeasurePublic.of(m) for m in found], request)


@router.get("/api/measures/{measure_id}", response_model=MeasurePublic)
def get_measure(
    measure_id: UUID, user: ClinicalUser, db: DbSession, services: ServicesDep
) -> MeasurePublic:
    """One measure with its answers (audited)."""
    measure = measures.read_measure(db, services.cipher, measure_id, reader_of(user), now(services))
    return MeasurePublic.of(measure)


@router.get("/api/episodes/{episode_id}/outcomes", response_model=EpisodeOutcomesPublic)
def episode_outcomes(
    episode_id: UUID, user: ClinicalUser, db: DbSession, services: ServicesDep
) -> EpisodeOutcomesPublic:
    """Per instrument measured in the episode: baseline, latest, discharge score, the change
    and whether it reaches the instrument's minimal clinically important difference (audited)."""
    found = measures.episode_outcomes(
        db, services.cipher, episode_id, reader_of(user), now(services)
    )
    return EpisodeOutcomesPublic.of(found)
