"""The week grid route (every staff role)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from clinic_scheduling.application import working_hours
from clinic_scheduling.entrypoints.deps import ReadDbSession, ServicesDep, StaffUser
from clinic_scheduling.entrypoints.schemas import (
    AppointmentPublic,
    DayPublic,
    SlotPublic,
    WeekPublic,
)
from clinic_shared.schemas import CalendarDate

router = APIRouter(tags=["working hours"])


@router.get("/api/schedule/week", response_model=WeekPublic)
def week_grid(
    _user: StaffUser,
    db: ReadDbSession,
    services: ServicesDep,
    practitioner_id: Annotated[UUID, Query(alias="practitionerId")],
    week_start: Annotated[CalendarDate, Query(alias="weekStart", description="A Monday.")],
    duration: Annotated[int, Query(ge=5, le=480, description="Free slot minutes.")] = 45,
) -> WeekPublic:
    """Seven days with working hours, appointments and free slots, in the clinic's local time."""
    slot = timedelta(minutes=duration)
    days, names = working_hours.week(db, practitioner_id, week_start, slot, services.zone)
    return WeekPublic(
        practitioner_id=practitioner_id,
        time_zone=services.settings.clinic_time_zone,
        days=[
            DayPublic(
                date=day.day,
                working_hours=[
                    SlotPublic(starts_at=h.starts_at, ends_at=h.ends_at) for h in day.hours
                ],
                appointments=[AppointmentPublic.of(a, *names[a.id]) for a in day.appointments],
                free_slots=[SlotPublic(starts_at=f.starts_at, ends_at=f.ends_at) for f in day.free],
            )
            for day in days
        ],
    )
