"""Routes of the appointment types (everyone reads them; admins manage them)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_scheduling.application import appointment_types
from clinic_scheduling.domain.appointment_types import AppointmentType
from clinic_scheduling.entrypoints.deps import AdminUser, DbSession, IfMatch, StaffUser
from clinic_scheduling.entrypoints.schemas import (
    AppointmentTypeCreate,
    AppointmentTypeList,
    AppointmentTypePublic,
    AppointmentTypeUpdate,
)
from clinic_shared.etags import set_etag

router = APIRouter(tags=["appointment types"])


@router.get("/api/appointment-types", response_model=AppointmentTypeList)
def list_appointment_types(_user: StaffUser, db: DbSession) -> AppointmentTypeList:
    """Every appointment type, by code."""
    return AppointmentTypeList(
        member=[AppointmentTypePublic.of(t) for t in appointment_types.list_types(db)]
    )


@router.get("/api/appointment-types/{code}", response_model=AppointmentTypePublic)
def get_appointment_type(
    code: str, _user: StaffUser, db: DbSession, response: Response
) -> AppointmentTypePublic:
    """One appointment type (its ETag is needed to change it)."""
    item = appointment_types.get_type(db, code)
    set_etag(response, item.version)
    return AppointmentTypePublic.of(item)


@router.post("/api/appointment-types", status_code=201, response_model=AppointmentTypePublic)
def create_appointment_type(
    body: AppointmentTypeCreate, _user: AdminUser, db: DbSession, response: Response
) -> AppointmentTypePublic:
    """Add an appointment type (admins)."""
    item = appointment_types.create_type(db, AppointmentType(**body.model_dump()))
    set_etag(response, item.version)
    return AppointmentTypePublic.of(item)


@router.put("/api/appointment-types/{code}", response_model=AppointmentTypePublic)
def update_appointment_type(
    code: str,
    body: AppointmentTypeUpdate,
    _user: AdminUser,
    db: DbSession,
    response: Response,
    expected: IfMatch,
) -> AppointmentTypePublic:
    """Change an appointment type's names, duration, colour or active flag (admins, If-Match)."""
    item = appointment_types.update_type(
        db, AppointmentType(code=code, **body.model_dump()), expected
    )
    set_etag(response, item.version)
    return AppointmentTypePublic.of(item)
