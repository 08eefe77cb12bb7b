"""Routes of the appointments calendar (every staff role)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from clinic_scheduling.application import booking, empty_slots, series, stats
from clinic_scheduling.application.errors import NotFoundError
from clinic_scheduling.domain.appointments import Appointment, Status
from clinic_scheduling.domain.series import Repeat
from clinic_scheduling.entrypoints.deps import Context, DbSession, IfMatch, StaffUser
from clinic_scheduling.entrypoints.schemas import (
    AppointmentCreate,
    AppointmentPublic,
    AppointmentRange,
    AppointmentUpdate,
    EmptySlotsCreate,
    SeriesPublic,
    StatsPublic,
)
from clinic_scheduling.infrastructure import repository as repo
from clinic_shared.etags import check_if_match, set_etag
from clinic_shared.pagination import Collection, Page
from clinic_shared.problems import field_error

router = APIRouter(tags=["appointments"])

MAX_RANGE = timedelta(days=62)
Moment = Annotated[
    datetime | None,
    Query(description="ISO-8601; without an offset it is the clinic's local time."),
]


def public(db: Session, found: Sequence[Appointment]) -> list[AppointmentPublic]:
    """Appointments with practitioner and patient names from the read models."""
    with repo.reading(db):
        practitioner_names, patient_names = repo.names(db, found)
    return [
        AppointmentPublic.of(
            a,
            practitioner_names.get(str(a.practitioner_id)),
            patient_names.get(str(a.patient_id)) if a.patient_id else None,
        )
        for a in found
    ]


def public_named(found: Sequence[repo.NamedAppointment]) -> list[AppointmentPublic]:
    """Appointments read with their names (``repo.find_named``)."""
    return [AppointmentPublic.of(a, practitioner, patient) for a, practitioner, patient in found]


def _one(db: Session, appointment: Appointment, response: Response) -> AppointmentPublic:
    set_etag(response, appointment.version)
    return public(db, [appointment])[0]


@router.get("/api/appointments", response_model=AppointmentRange | Collection[AppointmentPublic])
def list_appointments(
    _user: StaffUser,
    db: DbSession,
    context: Context,
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
    start, end, after, before = (_aware(m, context.zone) for m in (start, end, after, before))
    if start is None and end is None:
        if after is not None and before is not None and before <= after:
            raise field_error("before", "must be later than after")
        with repo.reading(db):
            found = repo.find_named(
                db,
                starts_from=after,
                starts_before=before,
                practitioner_id=practitioner_id,
                patient_id=patient_id,
                statuses=status or (),
                descending=order == "desc",
                offset=page.offset,
                limit=page.fetch_limit,
            )
        return page.collection(public_named(found), request)
    for name, moment in (("after", after), ("before", before)):
        if moment is not None:
            raise field_error(name, "cannot be combined with start and end (a page filter)")
    if start is None or end is None:
        raise field_error("start" if start is None else "end", "give both start and end")
    if end <= start:
        raise field_error("end", "must be after start")
    if end - start > MAX_RANGE:
        raise field_error("end", "the range spans at most 62 days")
    with repo.reading(db):
        found = repo.find_named(
            db,
            start=start,
            end=end,
            practitioner_id=practitioner_id,
            patient_id=patient_id,
            statuses=status or (),
            descending=order == "desc",
        )
    return AppointmentRange(member=public_named(found))


def _aware(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A query moment without an offset is the clinic's local time."""
    return moment.replace(tzinfo=zone) if moment and moment.tzinfo is None else moment


@router.get("/stats", response_model=StatsPublic)
def appointment_stats(_user: StaffUser, db: DbSession, context: Context) -> StatsPublic:
    """Total, today's and this week's appointments, and the no-show rate over 30 days."""
    figures = stats.stats(db, datetime.now(UTC), context.zone)
    return StatsPublic.model_validate(figures, from_attributes=True)


@router.get("/api/appointments/{appointment_id}", response_model=AppointmentPublic)
def get_appointment(
    appointment_id: UUID, _user: StaffUser, db: DbSession, response: Response
) -> AppointmentPublic:
    """One appointment (its ETag is needed to change it)."""
    with repo.reading(db):
        found = repo.get(db, appointment_id)
    if found is None:
        raise NotFoundError(f"appointment {appointment_id}")
    return _one(db, found, response)


@router.post("/api/appointments", status_code=201, response_model=AppointmentPublic | SeriesPublic)
def book_appointment(
    body: AppointmentCreate, _user: StaffUser, db: DbSession, context: Context, response: Response
) -> AppointmentPublic | SeriesPublic:
    """Book an appointment, block, empty slot or (with `repeat`) a series; 409 names clashes."""
    draft = booking.AppointmentDraft(**body.model_dump(exclude={"repeat", "skip_clashes"}))
    if body.repeat is not None:
        repeat = Repeat(tuple(body.repeat.weekdays), body.repeat.count)
        series_id, booked_series, skipped = series.book_series(
            db, context.settings.events_stream, draft, repeat, context.zone, body.skip_clashes
        )
        return SeriesPublic(
            series_id=series_id,
            member=public(db, booked_series),
            skipped=skipped,
        )
    booked = booking.book(db, context.settings.events_stream, draft)
    return _one(db, booked, response)


@router.put("/api/appointments/{appointment_id}", response_model=AppointmentPublic)
def change_appointment(
    appointment_id: UUID,
    body: AppointmentUpdate,
    _user: StaffUser,
    db: DbSession,
    context: Context,
    response: Response,
    if_match: IfMatch = None,
) -> AppointmentPublic:
    """Reschedule, fill an empty slot or change the status (If-Match; 409 on a clash)."""
    if not if_match:
        check_if_match(if_match, 0)  # 428 before anything else is looked at
    draft = booking.AppointmentDraft(kind="appointment", **body.model_dump())
    changed = booking.change(
        db,
        context.settings.events_stream,
        appointment_id,
        draft,
        lambda version: check_if_match(if_match, version),
        now=datetime.now(UTC),
    )
    return _one(db, changed, response)


@router.delete("/api/appointments/{appointment_id}", status_code=204)
def delete_appointment(
    appointment_id: UUID, _user: StaffUser, db: DbSession, context: Context
) -> Response:
    """Delete an appointment (a completed one cannot be: 409)."""
    booking.delete(db, context.settings.events_stream, appointment_id)
    return Response(status_code=204)


@router.post("/api/appointments/empty-slots", status_code=201, response_model=AppointmentRange)
def create_empty_slots(
    body: EmptySlotsCreate, _user: StaffUser, db: DbSession, context: Context
) -> AppointmentRange:
    """Lay empty slots over the practitioner's free working hours, to be filled later."""
    created = empty_slots.create_empty_slots(
        db,
        context.settings.events_stream,
        body.practitioner_id,
        body.first,
        body.last,
        timedelta(minutes=body.duration),
        context.zone,
    )
    return AppointmentRange(member=public(db, created))


@router.post("/api/appointments/{appointment_id}/cancel-following", response_model=AppointmentRange)
def cancel_following(
    appointment_id: UUID,
    _user: StaffUser,
    db: DbSession,
    context: Context,
    if_match: IfMatch = None,
) -> AppointmentRange:
    """Cancel this session and the later scheduled ones of its series (If-Match on this one)."""
    cancelled = series.cancel_following(
        db,
        context.settings.events_stream,
        appointment_id,
        lambda version: check_if_match(if_match, version),
        now=datetime.now(UTC),
    )
    return AppointmentRange(member=public(db, cancelled))
