"""Episodes of care: opened for a reason and a body region, edited while open, discharged once.

Retention (Ley 41/2002 de autonomía del paciente, art. 17.1): the clinical documentation of
each episode must be kept at least five years counted from the day it ends (the discharge).
``retain_until`` is that day five years on; nothing in records deletes anything, so the
date only tells the clinic from when a deliberate, manual destruction would be lawful.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from clinic_shared.errors import ConflictError, FieldError


@dataclass(frozen=True)
class EpisodeFields:
    """What is written when an episode is opened or edited."""

    practitioner_id: str
    reason: str
    body_region: str | None
    opened_on: date


@dataclass(frozen=True)
class Episode:
    """A patient's episode of care."""

    id: str
    patient_id: str
    fields: EpisodeFields
    discharged_on: date | None = None
    discharge_reason: str | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Until discharged."""
        return self.discharged_on is None

    @property
    def retain_until(self) -> date | None:
        """The last day the law requires this episode's history to be kept; None while open."""
        return retain_until(self.discharged_on)


RETENTION_YEARS = 5


def retain_until(discharged_on: date | None) -> date | None:
    """``discharged_on`` plus ``RETENTION_YEARS`` years, or None for an open episode.

    Years count from date to date (Código Civil art. 5.1: a term of years ends on the same
    day of the month; when that month has no such day, on its last day). So a discharge on
    29 February ends its term on 28 February, five years later; every other day maps to
    itself.
    """
    if discharged_on is None:
        return None
    year = discharged_on.year + RETENTION_YEARS
    last_day = calendar.monthrange(year, discharged_on.month)[1]
    return discharged_on.replace(year=year, day=min(discharged_on.day, last_day))


def check_fields(fields: EpisodeFields, today: date) -> None:
    """422 for an episode opened in the future or without a reason."""
    if not fields.reason.strip():
        raise FieldError("reason", "must not be empty")
    if fields.opened_on > today:
        raise FieldError("openedOn", "an episode cannot open in the future")


def new_episode(episode_id: str, patient_id: str, fields: EpisodeFields, today: date) -> Episode:
    """A new open episode."""
    check_fields(fields, today)
    return Episode(id=episode_id, patient_id=patient_id, fields=fields)


def _check_open(episode: Episode) -> None:
    if not episode.is_open:
        raise ConflictError("This episode of care is discharged and can no longer change.")


def edited(episode: Episode, fields: EpisodeFields, today: date) -> Episode:
    """The open episode with new fields; 409 once discharged."""
    _check_open(episode)
    check_fields(fields, today)
    return replace(episode, fields=fields, version=episode.version + 1)


def discharged(episode: Episode, reason: str, on: date) -> Episode:
    """The episode closed on ``on`` for ``reason``; 409 if already discharged."""
    _check_open(episode)
    if not reason.strip():
        raise FieldError("reason", "must not be empty")
    if on < episode.fields.opened_on:
        raise FieldError("dischargedOn", "cannot precede the day the episode opened")
    return replace(episode, discharged_on=on, discharge_reason=reason, version=episode.version + 1)
