"""Routes of episodes of care: open, list, read (with entries), edit, discharge; every answer
carries the episode's reasons, so every answer is audited."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from clinic_records.application import episodes
from clinic_records.application.episodes import EpisodeView
from clinic_records.entrypoints.deps import (
    ClinicalUser,
    DbSession,
    IfMatch,
    ServicesDep,
    now,
    reader_of,
    today,
)
from clinic_records.entrypoints.schemas import (
    DischargeBody,
    EpisodeCreate,
    EpisodePublic,
    EpisodeUpdate,
)
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["episodes"])


def _one(view: EpisodeView, response: Response) -> EpisodePublic:
    set_etag(response, view.episode.version)
    return EpisodePublic.of(view)


@router.post("/api/episodes", status_code=201, response_model=EpisodePublic)
def open_episode(
    body: EpisodeCreate,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> EpisodePublic:
    """Open an episode of care (practised by you unless practitionerId says otherwise)."""
    day = today(services)
    view = episodes.open_episode(
        db,
        services.cipher,
        body.patient_id,
        body.fields(user.user_id, day),
        caller=reader_of(user),
        today=day,
        now=now(services),
    )
    response.headers["Location"] = f"/api/episodes/{view.episode.id}"
    return _one(view, response)


@router.get("/api/episodes", response_model=Collection[EpisodePublic])
def list_episodes(
    patient_id: Annotated[UUID, Query(alias="patientId")],
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    page: Page,
    request: Request,
) -> Collection[EpisodePublic]:
    """A patient's episodes of care, the latest opened first (audited)."""
    found = episodes.episodes_of(
        db,
        services.cipher,
        patient_id,
        reader_of(user),
        now(services),
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([EpisodePublic.of(v) for v in found], request)


@router.get("/api/episodes/{episode_id}", response_model=EpisodePublic)
def get_episode(
    episode_id: UUID, user: ClinicalUser, db: DbSession, services: ServicesDep, response: Response
) -> EpisodePublic:
    """One episode with its entries (audited)."""
    view = episodes.read_episode(db, services.cipher, episode_id, reader_of(user), now(services))
    return _one(view, response)


@router.put("/api/episodes/{episode_id}", response_model=EpisodePublic)
def update_episode(
    episode_id: UUID,
    body: EpisodeUpdate,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> EpisodePublic:
    """Change an open episode (If-Match); a discharged one is final (409)."""
    day = today(services)
    view = episodes.update_episode(
        db,
        services.cipher,
        episode_id,
        body.fields(user.user_id, day),
        expected,
        caller=reader_of(user),
        today=day,
        now=now(services),
    )
    return _one(view, response)


@router.post("/api/episodes/{episode_id}/discharge", response_model=EpisodePublic)
def discharge_episode(
    episode_id: UUID,
    body: DischargeBody,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> EpisodePublic:
    """Discharge the episode today with its reason."""
    view = episodes.discharge(
        db,
        services.cipher,
        services.events,
        episode_id,
        body.reason,
        expected,
        caller=reader_of(user),
        today=today(services),
        now=now(services),
    )
    return _one(view, response)
