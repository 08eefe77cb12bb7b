"""Request and response bodies (camelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, WithJsonSchema

from clinic_scheduling.domain.appointment_types import AppointmentType
from clinic_scheduling.domain.appointments import Appointment, CancellationReason, Kind, Status
from clinic_shared.schemas import (
    CalendarDate,
    CamelInput,
    CamelModel,
    MultiLine,
    OffsetDatetime,
    SingleLine,
    UtcDatetime,
)

Title = Annotated[SingleLine | None, Field(max_length=200)]
Notes = Annotated[MultiLine | None, Field(max_length=2000)]
Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
Minutes = Annotated[int, Field(ge=5, le=480)]
TypeName = Annotated[SingleLine, Field(min_length=1, max_length=100)]
TypeCode = Annotated[SingleLine | None, Field(max_length=50)]
AllowOutsideHours = Annotated[
    bool,
    Field(
        description=(
            "Book even outside the practitioner's working hours or on an absence (every "
            "session of a series). Without it such a time is refused with 422 naming the field "
            'and `code: "outside_working_hours"`, `reason` (`closed`, `runs_over`, `absent`) '
            "and, for a series, `dates`. Blocks, and changes that keep the time, are not checked."
        )
    ),
]


def _wall_clock(value: time) -> time:
    # Working hours are the clinic's wall-clock times: an offset would be silently dropped.
    if value.tzinfo is not None:
        raise ValueError("must be a time without an offset (the clinic's local time)")
    return value


# JSON Schema's "time" format demands an offset: document what is really sent and accepted.
WallClock = Annotated[
    time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "The clinic's local wall-clock time, HH:MM[:SS], without an offset.",
            "examples": ["09:00", "14:30:00"],
        }
    ),
]


class RepeatBody(CamelInput):
    """Weekly repetition: ``weekdays`` 0 (Monday) to 6, ``count`` sessions including the first."""

    every: Literal["week"] = "week"
    weekdays: list[int] = Field(min_length=1, max_length=7)
    count: int = Field(ge=1, le=60)


class AppointmentCreate(CamelInput):
    """A booking: ``endsAt`` defaults to ``startsAt`` plus the type's duration."""

    practitioner_id: UUID
    patient_id: UUID | None = None
    kind: Kind = "appointment"
    type: TypeCode = None
    starts_at: OffsetDatetime
    ends_at: OffsetDatetime | None = None
    title: Title = None
    notes: Notes = None
    repeat: RepeatBody | None = None
    # With a repeat: book the sessions that are free and report the clashing dates.
    skip_clashes: bool = False
    allow_outside_hours: AllowOutsideHours = False


CancellationReasonField = Annotated[
    CancellationReason | None,
    Field(
        description=(
            "Why it is cancelled: `patient` (in time), `clinic`, or `late` (too late to fill the "
            "time; counts on the patient). Required with status `cancelled`, refused otherwise."
        )
    ),
]


class AppointmentUpdate(CamelInput):
    """The whole editable state: reschedule, reassign, fill an empty slot, change the status."""

    practitioner_id: UUID
    patient_id: UUID | None = None
    type: TypeCode = None
    status: Status = "scheduled"
    cancellation_reason: CancellationReasonField = None
    starts_at: OffsetDatetime
    ends_at: OffsetDatetime
    title: Title = None
    notes: Notes = None
    allow_outside_hours: AllowOutsideHours = False


class AppointmentPublic(CamelModel):
    """An appointment with the names of the people involved (from the read models)."""

    id: UUID
    practitioner_id: UUID
    practitioner_name: str | None
    patient_id: UUID | None
    patient_name: str | None
    kind: Kind
    type: str | None
    status: Status
    starts_at: datetime
    ends_at: datetime
    title: str | None
    notes: str | None
    series_id: UUID | None
    version: int
    cancellation_reason: CancellationReason | None

    @classmethod
    def of(
        cls, appointment: Appointment, practitioner_name: str | None, patient_name: str | None
    ) -> AppointmentPublic:
        """The public view of ``appointment``."""
        # Every field of the dataclass is one of ours (shallow: no copy of each value).
        return cls(
            **vars(appointment), practitioner_name=practitioner_name, patient_name=patient_name
        )


class AppointmentRange(CamelModel):
    """Every appointment of a date range, unpaged."""

    member: list[AppointmentPublic]


class ClashPublic(CamelModel):
    """What a refused booking would have overlapped (in 409 bodies), times in UTC."""

    id: UUID
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    practitioner_id: UUID
    patient_id: UUID | None
    kind: Kind

    @classmethod
    def of(cls, appointment: Appointment) -> ClashPublic:
        """The clash description of ``appointment``."""
        return cls.model_validate(appointment)


class SeriesPublic(CamelModel):
    """A booked series: its sessions and the dates skipped because they clashed."""

    series_id: UUID
    member: list[AppointmentPublic]
    skipped: list[str]


class AppointmentTypeUpdate(CamelInput):
    """An appointment type's editable fields."""

    name_es: TypeName
    name_en: TypeName
    duration_minutes: Minutes
    color: Color
    active: bool = True


class AppointmentTypeCreate(AppointmentTypeUpdate):
    """A new appointment type."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,49}$")


class AppointmentTypePublic(CamelModel):
    """An appointment type."""

    code: str
    name_es: str
    name_en: str
    duration_minutes: int
    color: str
    active: bool
    version: int

    @classmethod
    def of(cls, item: AppointmentType) -> AppointmentTypePublic:
        """The public view of ``item``."""
        return cls.model_validate(item)


class AppointmentTypeList(CamelModel):
    """All appointment types."""

    member: list[AppointmentTypePublic]


class WorkingPeriodBody(CamelInput):
    """One stretch of a weekday (0 = Monday) in the clinic's local time (no offset)."""

    weekday: int = Field(ge=0, le=6)
    start: WallClock
    end: WallClock


class WorkingHoursBody(CamelInput):
    """A practitioner's weekly template."""

    periods: list[WorkingPeriodBody] = Field(max_length=50)


class WorkingHoursPublic(CamelModel):
    """A practitioner's weekly template and the time zone it is read in."""

    practitioner_id: UUID
    time_zone: str
    periods: list[WorkingPeriodBody]


class AbsenceCreate(CamelInput):
    """Time off: a holiday, a course, sick leave."""

    starts_at: OffsetDatetime
    ends_at: OffsetDatetime
    reason: Annotated[SingleLine | None, Field(max_length=200)] = None


class AbsencePublic(CamelModel):
    """A recorded absence."""

    id: UUID
    practitioner_id: UUID
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    reason: str | None


class SlotPublic(CamelModel):
    """A free interval."""

    starts_at: datetime
    ends_at: datetime


class SlotList(CamelModel):
    """Free slots, by start."""

    member: list[SlotPublic]


class CancelFollowingBody(CamelInput):
    """Why this session and the following ones are cancelled."""

    cancellation_reason: CancellationReason


class StatsPublic(CamelModel):
    """Scheduling figures for the dashboard; the no-show rate is over completed + no-show.

    A practitioner (without the front desk's or admin's role) gets their own figures, and
    ``practitionerId`` says so; everyone else the clinic's (``practitionerId`` null).
    """

    total_appointments: int
    appointments_today: int
    appointments_this_week: int
    no_shows_30d: int = Field(alias="noShows30d")
    no_show_rate_30d: float | None = Field(alias="noShowRate30d")
    practitioner_id: str | None


class AttendancePublic(CamelModel):
    """What counts against a patient: no-shows and late cancellations, ever."""

    patient_id: UUID
    no_shows: int
    late_cancellations: int


class EmptySlotsCreate(CamelInput):
    """Where and how long the empty slots are (dates inclusive, in the clinic's time zone)."""

    practitioner_id: UUID
    first: CalendarDate = Field(alias="from")
    last: CalendarDate = Field(alias="to")
    duration: int = Field(ge=5, le=480)


class DayPublic(CamelModel):
    """One day of the week grid; times carry the clinic's UTC offset of that day."""

    date: date
    working_hours: list[SlotPublic]
    appointments: list[AppointmentPublic]
    free_slots: list[SlotPublic]


class WeekPublic(CamelModel):
    """A practitioner's week, Monday first."""

    practitioner_id: UUID
    time_zone: str
    days: list[DayPublic]
