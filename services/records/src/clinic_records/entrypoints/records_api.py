"""Routes of clinical entries: the timeline, drafts, signing, amendments (no DELETE anywhere)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from clinic_records.application import entries, pain
from clinic_records.application.entries import EntryView
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
    AmendmentBody,
    EntryBody,
    EntryCreate,
    EntryPublic,
    PainPointPublic,
    PainSeriesPublic,
)
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["records"])


def one(view: EntryView, response: Response) -> EntryPublic:
    """The entry's answer with its ETag."""
    set_etag(response, view.entry.version)
    return EntryPublic.of(view)


@router.get("/api/records", response_model=Collection[EntryPublic])
def patient_timeline(
    patient_id: Annotated[UUID, Query(alias="patientId")],
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    page: Page,
    request: Request,
) -> Collection[EntryPublic]:
    """A patient's clinical history, newest first (signed entries and your drafts; audited)."""
    found = entries.timeline(
        db,
        services.cipher,
        services.read_audit,
        patient_id,
        reader_of(user),
        now(services),
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([EntryPublic.of(v) for v in found], request)


# Before /api/records/{entry_id}, which would otherwise take "pain" for an entry id (422).
@router.get("/api/records/pain", response_model=PainSeriesPublic)
def pain_series(
    patient_id: Annotated[UUID, Query(alias="patientId")],
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    episode_id: Annotated[UUID | None, Query(alias="episodeId")] = None,
) -> PainSeriesPublic:
    """A patient's pain over time, oldest first: notes' painVas, VAS and NPRS (audited)."""
    found = pain.pain_series(
        db, services.cipher, patient_id, reader_of(user), now(services), episode_id=episode_id
    )
    return PainSeriesPublic(
        patient_id=str(patient_id),
        episode_id=str(episode_id) if episode_id else None,
        points=[PainPointPublic.of(point) for point in found],
    )


@router.post("/api/records", status_code=201, response_model=EntryPublic)
def create_entry(
    body: EntryCreate, user: ClinicalUser, db: DbSession, services: ServicesDep, response: Response
) -> EntryPublic:
    """Write a draft entry (only you can edit and sign it)."""
    view = entries.create_entry(
        db,
        services.cipher,
        body.patient_id,
        body.fields(),
        author=reader_of(user),
        today=today(services),
        now=now(services),
    )
    response.headers["Location"] = f"/api/records/{view.entry.id}"
    return one(view, response)


@router.get("/api/records/{entry_id}", response_model=EntryPublic)
def get_entry(
    entry_id: UUID, user: ClinicalUser, db: DbSession, services: ServicesDep, response: Response
) -> EntryPublic:
    """One entry with its amendments (audited)."""
    view = entries.read_entry(db, services.cipher, entry_id, reader_of(user), now(services))
    return one(view, response)


@router.put("/api/records/{entry_id}", response_model=EntryPublic)
def update_entry(
    entry_id: UUID,
    body: EntryBody,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> EntryPublic:
    """Change your draft (If-Match); a signed entry is amended instead (409)."""
    view = entries.update_entry(
        db,
        services.cipher,
        entry_id,
        body.fields(),
        expected,
        editor=reader_of(user),
        today=today(services),
        now=now(services),
    )
    return one(view, response)


@router.post("/api/records/{entry_id}/sign", response_model=EntryPublic)
def sign_entry(
    entry_id: UUID,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> EntryPublic:
    """Sign your draft; it can never change afterwards."""
    view = entries.sign_entry(
        db,
        services.cipher,
        services.events,
        entry_id,
        expected,
        signer=reader_of(user),
        now=now(services),
    )
    return one(view, response)


@router.post("/api/records/{entry_id}/amendments", status_code=201, response_model=EntryPublic)
def amend_entry(
    entry_id: UUID,
    body: AmendmentBody,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> EntryPublic:
    """Attach a signed amendment to a signed entry; answers the entry with all its amendments."""
    view = entries.amend_entry(
        db,
        services.cipher,
        services.events,
        entry_id,
        body.text,
        amender=reader_of(user),
        now=now(services),
    )
    return one(view, response)
