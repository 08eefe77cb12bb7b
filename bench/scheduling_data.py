"""Two years of a 200-physiotherapist clinic's calendar, as rows for the scheduling tables
(or any number of practitioners, weeks and weeks already past: a group of clinics' history).

Every practitioner works the clinic's usual hours (Mon–Fri 09:00–14:00 and 15:00–19:00,
Europe/Madrid) and fills each period back to back from its start with appointments of the
real types and durations, with a short gap now and then: about ten a working day, never
overlapping. Each practitioner has their own panel of patients (as a physio's caseload is),
so no patient is in two places at once either. Past appointments are mostly completed (some
no-shows and cancellations), future ones scheduled (some cancelled); one in a hundred is a
block (a meeting) without a patient. Everything comes from one seeded ``random.Random``.

Appointments come out as tab-separated lines in the table's column order, for LOAD DATA.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from patients_data import SpanishNames

from clinic_scheduling.domain.working_hours import DEFAULT_TEMPLATE

ZONE = ZoneInfo("Europe/Madrid")
# (type, minutes, weight): follow-up sessions dominate a physiotherapy calendar.
TYPES = [
    ("follow_up", 45, 50),
    ("dry_needling", 30, 20),
    ("first_visit", 60, 10),
    ("pelvic_floor", 45, 10),
    ("sports_massage", 30, 10),
]
GAPS_MINUTES = [0, 15, 45]
GAP_WEIGHTS = [70, 20, 10]
BLOCK_SHARE = 0.01
PAST_STATUSES = (["completed", "no_show", "cancelled"], [88, 5, 7])
FUTURE_STATUSES = (["scheduled", "cancelled"], [93, 7])
# Why the cancelled ones were (every cancellation has a reason; about one in five is late),
# drawn from a generator of their own so the rest of the calendar stays as it was seeded before.
CANCELLATION_REASONS = (["patient", "clinic", "late"], [65, 15, 20])
_REASONS = random.Random(14)


def _cancellation_reason() -> str:
    return _REASONS.choices(*CANCELLATION_REASONS)[0]


COLORS = ["#2563EB", "#16A34A", "#DC2626", "#9333EA", "#EA580C", "#0891B2", "#CA8A04"]
NULL = "\\N"
Params = dict[str, str]


@dataclass(frozen=True)
class Clinic:
    """Who is in the calendar and which weeks it covers."""

    practitioner_ids: list[str]
    patient_ids: list[str]
    first_monday: date
    weeks: int
    past_weeks: int  # weeks before this week's Monday; the rest is this week and after
    now: datetime  # naive UTC: what is before is past

    def panel(self, index: int) -> list[str]:
        """The patients of practitioner ``index`` (an equal share each)."""
        size = len(self.patient_ids) // len(self.practitioner_ids)
        return self.patient_ids[index * size : (index + 1) * size]

    def working_days(self) -> list[date]:
        """Every Monday to Friday the calendar covers."""
        days = (self.first_monday + timedelta(days=d) for d in range(7 * self.weeks))
        return [day for day in days if day.weekday() < 5]


def new_clinic(
    rng: random.Random,
    practitioners: int,
    patients: int,
    weeks: int,
    today: date,
    past_weeks: int | None = None,
) -> Clinic:
    """A clinic whose calendar runs ``weeks`` weeks, ``past_weeks`` (half) before this week."""
    this_monday = today - timedelta(days=today.weekday())
    past = weeks // 2 if past_weeks is None else past_weeks
    return Clinic(
        practitioner_ids=[_uuid(rng) for _ in range(practitioners)],
        patient_ids=[_uuid(rng) for _ in range(patients)],
        first_monday=this_monday - timedelta(weeks=past),
        weeks=weeks,
        past_weeks=past,
        now=datetime.now(UTC).replace(tzinfo=None),
    )


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def practitioner_rows(clinic: Clinic, names: SpanishNames) -> list[tuple[object, ...]]:
    """Read-model rows of active practitioners, in the table's column order."""
    rows: list[tuple[object, ...]] = []
    for number, practitioner_id in enumerate(clinic.practitioner_ids, start=1):
        sex = "female" if names.rng.random() < 0.6 else "male"
        full_name = f"{names.first_name(sex)} {names.surname()} {names.surname()}"
        email = f"fisio{number:03d}@bench.clinic"
        color = COLORS[number % len(COLORS)]
        # Version 0 of the hours template and of the user's row, as the migration's defaults.
        rows.append((practitioner_id, full_name, color, True, True, email, 0, 0))
    return rows


def patient_rows(clinic: Clinic, names: SpanishNames) -> list[tuple[object, ...]]:
    """Read-model rows: active patients (id, full_name, phone, status, entity_version)."""
    rng = names.rng
    rows: list[tuple[object, ...]] = []
    for patient_id in clinic.patient_ids:
        sex = "female" if rng.random() < 0.54 else "male"
        full_name = f"{names.first_name(sex)} {names.surname()} {names.surname()}"
        phone = f"+34 6{rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}"
        rows.append((patient_id, full_name, phone, "active", 0))  # entity_version 0
    return rows


def working_period_rows(clinic: Clinic) -> list[tuple[object, ...]]:
    """The clinic's usual hours for everyone (practitioner_id, weekday, start_time, end_time)."""
    return [
        (practitioner_id, period.weekday, period.start, period.end)
        for practitioner_id in clinic.practitioner_ids
        for period in DEFAULT_TEMPLATE
    ]


class _Moments:
    """'YYYY-MM-DD HH:MM:SS' in UTC for a clinic date and local minute, computed once each."""

    def __init__(self) -> None:
        self.cache: dict[tuple[date, int], str] = {}

    def at(self, day: date, minute: int) -> str:
        key = (day, minute)
        found = self.cache.get(key)
        if found is None:
            local = datetime.combine(day, time(0), tzinfo=ZONE) + timedelta(minutes=minute)
            found = local.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            self.cache[key] = found
        return found


def appointment_lines(clinic: Clinic, rng: random.Random) -> Iterator[str]:
    """Every appointment as a LOAD DATA line, practitioner by practitioner, day by day."""
    moments = _Moments()
    seeded_at = clinic.now.strftime("%Y-%m-%d %H:%M:%S")
    now_text = seeded_at
    periods = [(p.start.hour * 60 + p.start.minute, p.end.hour * 60 + p.end.minute)
               for p in DEFAULT_TEMPLATE if p.weekday == 0]  # fmt: skip
    type_codes = [code for code, _, _ in TYPES]
    type_weights = [weight for _, _, weight in TYPES]
    minutes_of = {code: minutes for code, minutes, _ in TYPES}
    days = clinic.working_days()
    for index, practitioner_id in enumerate(clinic.practitioner_ids):
        panel = clinic.panel(index)
        for day in days:
            codes = iter(rng.choices(type_codes, type_weights, k=30))
            gaps = iter(rng.choices(GAPS_MINUTES, GAP_WEIGHTS, k=30))
            for period_start, period_end in periods:
                cursor = period_start + next(gaps)
                while True:
                    code = next(codes)
                    end = cursor + minutes_of[code]
                    if end > period_end:
                        break
                    starts_at = moments.at(day, cursor)
                    ends_at = moments.at(day, end)
                    past = starts_at < now_text
                    if rng.random() < BLOCK_SHARE:
                        kind, patient, type_code, title = "block", NULL, NULL, "Reunión de equipo"
                        status = "scheduled"
                    else:
                        kind, patient, type_code, title = (
                            "appointment",
                            rng.choice(panel),
                            code,
                            NULL,
                        )
                        statuses, weights = PAST_STATUSES if past else FUTURE_STATUSES
                        status = rng.choices(statuses, weights)[0]
                    reason = _cancellation_reason() if status == "cancelled" else NULL
                    # In the table's column order (the LOAD DATA column list is the table's).
                    yield (
                        f"{_uuid(rng)}\t{practitioner_id}\t{patient}\t{kind}\t{type_code}\t"
                        f"{status}\t{starts_at}\t{ends_at}\t{title}\t{NULL}\t{NULL}\t1\t"
                        f"{reason}\t{seeded_at}\t{seeded_at}\n"
                    )
                    cursor = end + next(gaps)


def local_midnight(day: date) -> str:
    """The clinic's midnight of ``day`` with its offset, as the calendar sends it."""
    return datetime.combine(day, datetime.min.time(), tzinfo=ZONE).isoformat()


class Draw:
    """Random practitioners and weeks of the seeded calendar."""

    def __init__(self, clinic: Clinic, rng: random.Random) -> None:
        self.clinic = clinic
        self.rng = rng

    def practitioner(self) -> str:
        return self.rng.choice(self.clinic.practitioner_ids)

    def monday(self, future_only: bool = False) -> date:
        first = self.clinic.past_weeks + 1 if future_only else 0
        return self.clinic.first_monday + timedelta(
            weeks=self.rng.randrange(first, self.clinic.weeks)
        )

    def week_params(self) -> Params:
        monday = self.monday()
        return {"start": local_midnight(monday),
                "end": local_midnight(monday + timedelta(days=7)),
                "practitionerId": self.practitioner()}  # fmt: skip

    def grid_params(self) -> Params:
        return {"practitionerId": self.practitioner(), "weekStart": self.monday().isoformat()}

    def slot_params(self, future_only: bool = False) -> Params:
        monday = self.monday(future_only)
        return {"practitionerId": self.practitioner(), "from": monday.isoformat(),
                "to": (monday + timedelta(days=6)).isoformat(), "duration": "45"}  # fmt: skip
