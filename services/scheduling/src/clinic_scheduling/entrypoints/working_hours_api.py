"""Routes of working hours, absences and free slots (every staff role)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from clinic_scheduling.application import working_hours
from clinic_scheduling.bootstrap import SchedulingServices
from clinic_scheduling.domain.working_hours import Absence, WorkingPeriod
from clinic_scheduling.entrypoints.deps import DbSession, IfMatch, ServicesDep, StaffUser
from clinic_scheduling.entrypoints.schemas import (
    AbsenceCreate,
    AbsencePublic,
    SlotList,
    SlotPublic,
    WorkingHoursBody,
    WorkingHoursPublic,
    WorkingPeriodBody,
)
from clinic_shared.etags import set_etag
from clinic_shared.schemas import CalendarDate

router = APIRouter(tags=["working hours"])


def _public(
    practitioner_id: UUID, periods: list[WorkingPeriod], services: SchedulingServices
) -> WorkingHoursPublic:
    return WorkingHoursPublic(
        practitioner_id=practitioner_id,
        time_zone=services.settings.clinic_time_zone,
        periods=[WorkingPeriodBody(weekday=p.weekday, start=p.start, end=p.end) for p in periods],
    )


@router.get("/api/appointments/free-slots", response_model=SlotList)
def free_slots(
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    practitioner_id: Annotated[UUID, Query(alias="practitionerId")],
    first: Annotated[
        CalendarDate, Query(alias="from", description="First clinic date, inclusive.")
    ],
    last: Annotated[CalendarDate, Query(alias="to", description="Last clinic date, inclusive.")],
    duration: Annotated[int, Query(ge=5, le=480, description="Minutes.")] = 45,
) -> SlotList:
    """Free slots inside working hours, minus appointments, blocks and absences."""
    slot = timedelta(minutes=duration)
    found = working_hours.slots(db, practitioner_id, first, last, slot, services.zone)
    return SlotList(member=[SlotPublic(starts_at=s.starts_at, ends_at=s.ends_at) for s in found])


@router.get("/api/practitioners/{practitioner_id}/working-hours", response_model=WorkingHoursPublic)
def get_working_hours(
    practitioner_id: UUID,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> WorkingHoursPublic:
    """The practitioner's weekly template in the clinic's time zone (its ETag to change it)."""
    periods, version = working_hours.working_hours(db, practitioner_id)
    set_etag(response, version)
    return _public(practitioner_id, periods, services)


@router.put("/api/practitioners/{practitioner_id}/working-hours", response_model=WorkingHoursPublic)
def put_working_hours(
    practitioner_id: UUID,
    body: WorkingHoursBody,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> WorkingHoursPublic:
    """Replace the practitioner's weekly template (If-Match)."""
    expected.require()  # 428 before anything else is looked at
    periods = [WorkingPeriod(p.weekday, p.start, p.end) for p in body.periods]
    stored, version = working_hours.set_working_hours(db, practitioner_id, periods, expected)
    set_etag(response, version)
    return _public(practitioner_id, stored, services)


@router.post(
    "/api/practitioners/{practitioner_id}/absences", status_code=201, response_model=AbsencePublic
)
def add_absence(
    practitioner_id: UUID, body: AbsenceCreate, _user: StaffUser, db: DbSession
) -> AbsencePublic:
    """Record time off; free slots leave it out."""
    absence_id = working_hours.add_absence(
        db, practitioner_id, Absence(body.starts_at, body.ends_at), body.reason
    )
    return AbsencePublic(
        id=absence_id,
        practitioner_id=practitioner_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        reason=body.reason,
    )


@router.delete("/api/practitioners/{practitioner_id}/absences/{absence_id}", status_code=204)
def delete_absence(
    practitioner_id: UUID, absence_id: UUID, _user: StaffUser, db: DbSession
) -> Response:
    """Delete an absence."""
    working_hours.remove_absence(db, practitioner_id, absence_id)
    return Response(status_code=204)
