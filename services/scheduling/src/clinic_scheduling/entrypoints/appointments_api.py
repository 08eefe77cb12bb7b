"""Routes of the appointments calendar (every staff role)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response

from clinic_scheduling.application import booking, empty_slots, queries, series
from clinic_scheduling.domain.appointments import AppointmentDraft, NamedAppointment, Status
from clinic_scheduling.domain.series import Repeat
from clinic_scheduling.entrypoints.deps import (
    DbSession,
    IfMatch,
    ReadDbSession,
    ServicesDep,
    StaffUser,
)
from clinic_scheduling.entrypoints.schemas import (
    AppointmentCreate,
    AppointmentPublic,
    AppointmentRange,
    AppointmentUpdate,
    AttendancePublic,
    CancelFollowingBody,
    EmptySlotsCreate,
    SeriesPublic,
    StatsPublic,
)
from clinic_shared.auth import ROLE_ADMIN, ROLE_PRACTITIONER, ROLE_RECEPTIONIST
from clinic_shared.errors import FieldError
from clinic_shared.etags import set_etag
from clinic_shared.pagination import Collection, Page
from clinic_shared.schemas import LocalOrOffsetDatetime

router = APIRouter(tags=["appointments"])

MAX_RANGE = timedelta(days=62)
Moment = Annotated[
    LocalOrOffsetDatetime | None,
    Query(description="ISO-8601; without an offset it is the clinic's local time."),
]


def public(found: Sequence[NamedAppointment]) -> list[AppointmentPublic]:
    """Appointments with the names of their practitioner and patient."""
    return [AppointmentPublic.of(a, practitioner, patient) for a, practitioner, patient in found]


def _one(named: NamedAppointment, response: Response) -> AppointmentPublic:
    set_etag(response, named[0].version)
    return AppointmentPublic.of(*named)


@router.get("/api/appointments", response_model=AppointmentRange | Collection[AppointmentPublic])
def list_appointments(
    _user: StaffUser,
    db: ReadDbSession,
    services: ServicesDep,
    page: Page,
    request: Request,
    start: Moment = None,
    end: Moment = None,
    after: Moment = None,
    before: Moment = None,
    order: Annotated[Literal["asc", "desc"], Query(description="By start; ties by id.")] = "asc",
    practitioner_id: Annotated[UUID | None, Query(alias="practitionerId")] = None,
    patient_id: Annotated[UUID | None, Query(alias="patientId")] = None,
    status: Annotated[list[Status] | None, Query()] = None,
) -> AppointmentRange | Collection[AppointmentPublic]:
    """Appointments by start; with start and end (≤ 62 days) all of them, else a page.

    A page may be cut by start time: ``after`` (inclusive) and ``before`` (exclusive), e.g. a
    patient's upcoming visits (``after=now``) or past ones (``before=now&order=desc``).
    """
    start, end, after, before = (_aware(m, services.zone) for m in (start, end, after, before))
    selection = queries.Selection(
        practitioner_id=practitioner_id,
        patient_id=patient_id,
        statuses=status or (),
        descending=order == "desc",
    )
    if start is None and end is None:
        if after is not None and before is not None and before <= after:
            raise FieldError("before", "must be later than after")
        found = queries.appointments(
            db,
            **selection,
            starts_from=after,
            starts_before=before,
            offset=page.offset,
            limit=page.fetch_limit,
        )
        return page.collection(public(found), request)
    for name, moment in (("after", after), ("before", before)):
        if moment is not None:
            raise FieldError(name, "cannot be combined with start and end (a page filter)")
    if start is None or end is None:
        raise FieldError("start" if start is None else "end", "give both start and end")
    if end <= start:
        raise FieldError("end", "must be after start")
    if end - start > MAX_RANGE:
        raise FieldError("end", "the range spans at most 62 days")
    return AppointmentRange(
        member=public(queries.appointments(db, **selection, start=start, end=end))
    )


def _aware(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A query moment without an offset is the clinic's local time."""
    return moment.replace(tzinfo=zone) if moment and moment.tzinfo is None else moment


@router.get("/stats", response_model=StatsPublic)
def appointment_stats(user: StaffUser, db: DbSession, services: ServicesDep) -> StatsPublic:
    """Today's and this week's appointments, 30-day no-shows; a practitioner's own only."""
    works_alone = user.has_any_role(ROLE_PRACTITIONER) and not user.has_any_role(
        ROLE_ADMIN, ROLE_RECEPTIONIST
    )
    whose = user.user_id if works_alone else None
    figures = queries.stats(db, services.clock(), services.zone, whose)
    return StatsPublic.model_validate(figures, from_attributes=True)


# Declared before /api/appointments/{appointment_id}, which would take "attendance" for an id.
@router.get("/api/appointments/attendance", response_model=AttendancePublic)
def patient_attendance(
    patient_id: Annotated[UUID, Query(alias="patientId")], _user: StaffUser, db: DbSession
) -> AttendancePublic:
    """A patient's no-shows and late cancellations (what counts on the patient)."""
    found = queries.attendance(db, patient_id)
    return AttendancePublic.model_validate(found, from_attributes=True)


@router.get("/api/appointments/{appointment_id}", response_model=AppointmentPublic)
def get_appointment(
    appointment_id: UUID, _user: StaffUser, db: DbSession, response: Response
) -> AppointmentPublic:
    """One appointment (its ETag is needed to change it)."""
    return _one(queries.appointment(db, appointment_id), response)


OUTSIDE_HOURS_422: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "Invalid input (`errors` names each field); also a time outside the "
        "practitioner's working hours or on an absence without `allowOutsideHours` "
        '(`code: "outside_working_hours"`, `reason`, and `dates` for a series)'
    }
}


@router.post(
    "/api/appointments",
    status_code=201,
    response_model=AppointmentPublic | SeriesPublic,
    responses=OUTSIDE_HOURS_422,
)
def book_appointment(
    body: AppointmentCreate,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
) -> AppointmentPublic | SeriesPublic:
    """Book an appointment, block, empty slot or a series inside working hours; 409 on clashes."""
    draft = AppointmentDraft(**body.model_dump(exclude={"repeat", "skip_clashes"}))
    if body.repeat is not None:
        repeat = Repeat(tuple(body.repeat.weekdays), body.repeat.count)
        series_id, booked_series, skipped = series.book_series(
            db, services.events, draft, repeat, services.zone, skip_clashes=body.skip_clashes
        )
        return SeriesPublic(series_id=series_id, member=public(booked_series), skipped=skipped)
    return _one(booking.book(db, services.events, draft, services.zone), response)


@router.put(
    "/api/appointments/{appointment_id}",
    response_model=AppointmentPublic,
    responses=OUTSIDE_HOURS_422,
)
def change_appointment(
    appointment_id: UUID,
    body: AppointmentUpdate,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> AppointmentPublic:
    """Reschedule (inside working hours), fill an empty slot or change the status (If-Match)."""
    expected.require()  # 428 before anything else is looked at
    draft = AppointmentDraft(kind="appointment", **body.model_dump())
    changed = booking.change(
        db, services.events, appointment_id, draft, expected, services.zone, now=services.clock()
    )
    return _one(changed, response)


@router.delete("/api/appointments/{appointment_id}", status_code=204)
def delete_appointment(
    appointment_id: UUID, _user: StaffUser, db: DbSession, services: ServicesDep
) -> Response:
    """Delete an appointment (a completed one cannot be: 409)."""
    booking.delete_appointment(db, services.events, appointment_id)
    return Response(status_code=204)


@router.post("/api/appointments/empty-slots", status_code=201, response_model=AppointmentRange)
def create_empty_slots(
    body: EmptySlotsCreate, _user: StaffUser, db: DbSession, services: ServicesDep
) -> AppointmentRange:
    """Lay empty slots over the practitioner's free working hours, to be filled later."""
    created = empty_slots.create_empty_slots(
        db,
        services.events,
        body.practitioner_id,
        body.first,
        body.last,
        timedelta(minutes=body.duration),
        services.zone,
    )
    return AppointmentRange(member=public(created))


@router.post("/api/appointments/{appointment_id}/cancel-following", response_model=AppointmentRange)
def cancel_following(
    appointment_id: UUID,
    body: CancelFollowingBody,
    _user: StaffUser,
    db: DbSession,
    services: ServicesDep,
    expected: IfMatch,
) -> AppointmentRange:
    """Cancel this session and the later scheduled ones of its series, for one reason (If-Match)."""
    cancelled = series.cancel_following(
        db,
        services.events,
        appointment_id,
        body.cancellation_reason,
        expected,
        now=services.clock(),
    )
    return AppointmentRange(member=public(cancelled))
