"""Episodes of care: rows in and out, the reasons sealed on the way in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from clinic_records.domain.episodes import Episode, EpisodeFields
from clinic_records.infrastructure.crypto import Cipher
from clinic_records.infrastructure.tables import episodes
from clinic_shared.db import to_db


def _values(cipher: Cipher, episode: Episode, now: datetime) -> dict[str, Any]:
    fields = episode.fields
    return {
        "practitioner_id": fields.practitioner_id,
        "reason": cipher.seal(fields.reason, f"episodes.reason:{episode.id}"),
        "body_region": fields.body_region,
        "opened_on": fields.opened_on,
        "discharged_on": episode.discharged_on,
        "discharge_reason": cipher.seal_optional(
            episode.discharge_reason, f"episodes.discharge_reason:{episode.id}"
        ),
        "version": episode.version,
        "updated_at": to_db(now),
    }


def insert_episode(
    session: Session, cipher: Cipher, episode: Episode, created_by: str, now: datetime
) -> None:
    """Store a new episode."""
    session.execute(
        insert(episodes).values(
            id=episode.id,
            patient_id=episode.patient_id,
            created_by=created_by,
            created_at=to_db(now),
            **_values(cipher, episode, now),
        )
    )


def update_episode(session: Session, cipher: Cipher, episode: Episode, now: datetime) -> None:
    """Write an episode's new fields or its discharge."""
    session.execute(
        update(episodes).where(episodes.c.id == episode.id).values(**_values(cipher, episode, now))
    )


def _episode(cipher: Cipher, row: Row[Any]) -> Episode:
    return Episode(
        id=row.id,
        patient_id=row.patient_id,
        fields=EpisodeFields(
            practitioner_id=row.practitioner_id,
            reason=cipher.open(row.reason, f"episodes.reason:{row.id}"),
            body_region=row.body_region,
            opened_on=row.opened_on,
        ),
        discharged_on=row.discharged_on,
        discharge_reason=cipher.open_optional(
            row.discharge_reason, f"episodes.discharge_reason:{row.id}"
        ),
        version=row.version,
    )


def get_episode(
    session: Session, cipher: Cipher, episode_id: str, *, lock: bool = False
) -> Episode | None:
    """The episode, or None; ``lock`` holds it for a change."""
    query = select(episodes).where(episodes.c.id == episode_id)
    row = session.execute(query.with_for_update() if lock else query).first()
    return _episode(cipher, row) if row else None


def patient_of(session: Session, episode_id: str) -> str | None:
    """The patient an episode belongs to, or None when there is no such episode."""
    query = select(episodes.c.patient_id).where(episodes.c.id == episode_id)
    return session.execute(query).scalar_one_or_none()


def of_patient(
    session: Session, cipher: Cipher, patient_id: str, offset: int, limit: int
) -> list[Episode]:
    """A patient's episodes, the most recently opened first."""
    query = (
        select(episodes)
        .where(episodes.c.patient_id == patient_id)
        .order_by(episodes.c.opened_on.desc(), episodes.c.created_at.desc(), episodes.c.id)
        .offset(offset)
        .limit(limit)
    )
    return [_episode(cipher, row) for row in session.execute(query)]
