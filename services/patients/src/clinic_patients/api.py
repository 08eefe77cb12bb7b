"""Routes of the patient registry (every staff role), and the dashboard's numbers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from clinic_patients import service
from clinic_patients.deps import DbSession, IfMatch, ReadDbSession, ServicesDep, StaffUser
from clinic_patients.duplicates import Duplicate
from clinic_patients.schemas import (
    DuplicateCheck,
    DuplicateMatch,
    DuplicateMatches,
    DuplicatePublic,
    PatientCreate,
    PatientPublic,
    PatientSaved,
    PatientStats,
    PatientStatus,
    PatientUpdate,
    public_fields,
)
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["patients"])

SearchText = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Names in any order, accents and case ignored, prefixes allowed "
        "('nunez jose', 'gar'); or a tax id, phone or email prefix.",
    ),
]
Fuzzy = Annotated[bool, Query(description="Also match names within one or two typos.")]


def _duplicate(found: Duplicate) -> DuplicatePublic:
    return DuplicatePublic.model_validate(found.patient)


def _saved(saved: service.SavedPatient, response: Response) -> PatientSaved:
    set_etag(response, saved.patient.version)
    return PatientSaved.model_validate(
        {
            **public_fields(saved.patient),
            "possible_duplicates": [_duplicate(d) for d in saved.duplicates],
        }
    )


@router.get("/api/patients", response_model=Collection[PatientPublic])
def list_patients(
    _user: StaffUser,
    db: ReadDbSession,
    page: Page,
    request: Request,
    search: SearchText = None,
    fuzzy: Fuzzy = False,
    status: PatientStatus | None = None,
) -> Collection[PatientPublic]:
    """Patients by surname and first name; with `search`, best matches first."""
    patients = service.list_patients(
        db,
        search=search,
        fuzzy=fuzzy,
        status=status,
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([PatientPublic.of(p) for p in patients], request)


@router.post("/api/patients", status_code=201, response_model=PatientSaved)
def create_patient(
    body: PatientCreate, _user: StaffUser, db: DbSession, services: ServicesDep, response: Response
) -> PatientSaved:
    """Register a patient; a tax id already registered is a 409 naming that patient."""
    saved = service.create_patient(db, services.events, body)
    response.headers["Location"] = f"/api/patients/{saved.patient.id}"
    return _saved(saved, response)


@router.post("/api/patients/duplicate-check", response_model=DuplicateMatches)
def duplicate_check(body: DuplicateCheck, _user: StaffUser, db: DbSession) -> DuplicateMatches:
    """Patients who may already be the one in the form: same tax id, or similar name."""
    found = service.check_duplicates(db, body)
    return DuplicateMatches(
        member=[
            DuplicateMatch.model_validate({**_duplicate(d).model_dump(), "reason": d.reason})
            for d in found
        ]
    )


@router.get("/api/patients/{patient_id}", response_model=PatientPublic)
def get_patient(
    patient_id: str, _user: StaffUser, db: DbSession, response: Response
) -> PatientPublic:
    """One patient, with the ETag a later PUT must send as If-Match."""
    patient = service.get_patient(db, patient_id)
    set_etag(response, patient.version)
    return PatientPublic.of(patient)


@router.put("/api/patients/{patient_id}", response_model=PatientSaved)
def update_patient(
    patient_id: str,
    body: PatientUpdate,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> PatientSaved:
    """Replace a patient's fields (needs If-Match); `status` deactivates or reactivates."""
    saved = service.update_patient(db, services.events, patient_id, body, expected)
    return _saved(saved, response)


@router.get("/stats", response_model=PatientStats)
def stats(_user: StaffUser, db: DbSession) -> PatientStats:
    """The dashboard's numbers: all patients, active ones, new this month."""
    counts = service.stats(db)
    return PatientStats(
        total_patients=counts.total,
        active_patients=counts.active,
        new_patients_this_month=counts.new_this_month,
    )
