"""Appointment types: admin-managed codes with a duration, a colour and Spanish/English names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class AppointmentType:
    """One kind of visit; ``duration_minutes`` gives a new appointment its default end."""

    code: str
    name_es: str
    name_en: str
    duration_minutes: int
    color: str
    active: bool = True
    version: int = 1

    @property
    def duration(self) -> timedelta:
        """How long an appointment of this type lasts unless its end is given."""
        return timedelta(minutes=self.duration_minutes)


DEFAULT_TYPES: tuple[AppointmentType, ...] = (
    AppointmentType("first_visit", "Valoración inicial", "Initial assessment", 60, "#2563EB"),
    AppointmentType("follow_up", "Sesión de fisioterapia", "Physiotherapy session", 45, "#16A34A"),
    AppointmentType("dry_needling", "Punción seca", "Dry needling", 30, "#DC2626"),
    AppointmentType("pelvic_floor", "Suelo pélvico", "Pelvic floor", 45, "#9333EA"),
    AppointmentType("sports_massage", "Masaje deportivo", "Sports massage", 30, "#EA580C"),
)
