"""Entries and amendments: rows in and out, the clinical text sealed on the way in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from clinic_records.domain.entries import SECTIONS, Amendment, Entry, EntryFields, Soap
from clinic_records.infrastructure.crypto import Cipher
from clinic_records.infrastructure.tables import amendments, entries
from clinic_shared.db import from_db, to_db


def _context(column: str, row_id: str) -> str:
    return f"{column}:{row_id}"


def _sealed(cipher: Cipher, entry: Entry) -> dict[str, Any]:
    soap = entry.fields.soap
    return {
        name: cipher.seal_optional(getattr(soap, name), _context(f"entries.{name}", entry.id))
        for name in SECTIONS
    }


def _values(cipher: Cipher, entry: Entry, now: datetime) -> dict[str, Any]:
    fields = entry.fields
    return {
        "episode_id": fields.episode_id,
        "appointment_id": fields.appointment_id,
        "type": fields.type,
        "entry_date": fields.entry_date,
        "pain_vas": fields.pain_vas,
        "status": entry.status,
        "signed_by": entry.signed_by,
        "signed_at": to_db(entry.signed_at) if entry.signed_at else None,
        "version": entry.version,
        "updated_at": to_db(now),
        **_sealed(cipher, entry),
    }


def insert_entry(session: Session, cipher: Cipher, entry: Entry, now: datetime) -> None:
    """Store a new entry."""
    session.execute(
        insert(entries).values(
            id=entry.id,
            patient_id=entry.patient_id,
            author_id=entry.author_id,
            created_at=to_db(now),
            **_values(cipher, entry, now),
        )
    )


def update_entry(session: Session, cipher: Cipher, entry: Entry, now: datetime) -> None:
    """Write a draft's new content, its signature or its new version."""
    session.execute(
        update(entries).where(entries.c.id == entry.id).values(**_values(cipher, entry, now))
    )


def _entry(cipher: Cipher, row: Row[Any]) -> Entry:
    sections = {
        name: cipher.open_optional(row._mapping[name], _context(f"entries.{name}", row.id))
        for name in SECTIONS
    }
    return Entry(
        id=row.id,
        patient_id=row.patient_id,
        author_id=row.author_id,
        fields=EntryFields(
            type=row.type,
            entry_date=row.entry_date,
            soap=Soap(**sections),
            pain_vas=row.pain_vas,
            appointment_id=row.appointment_id,
            episode_id=row.episode_id,
        ),
        status=row.status,
        signed_by=row.signed_by,
        signed_at=from_db(row.signed_at) if row.signed_at else None,
        version=row.version,
    )


def get_entry(
    session: Session, cipher: Cipher, entry_id: str, *, lock: bool = False
) -> Entry | None:
    """The entry, or None; ``lock`` holds it for a change."""
    query = select(entries).where(entries.c.id == entry_id)
    row = session.execute(query.with_for_update() if lock else query).first()
    return _entry(cipher, row) if row else None


def timeline(
    session: Session, cipher: Cipher, patient_id: str, viewer_id: str, offset: int, limit: int
) -> list[Entry]:
    """A patient's signed entries and ``viewer_id``'s own drafts, newest first."""
    query = (
        select(entries)
        .where(entries.c.patient_id == patient_id)
        .where((entries.c.status == "signed") | (entries.c.author_id == viewer_id))
        .order_by(entries.c.entry_date.desc(), entries.c.created_at.desc(), entries.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [_entry(cipher, row) for row in session.execute(query)]


def signed_history(
    session: Session, cipher: Cipher, patient_id: str, offset: int, limit: int
) -> list[Entry]:
    """A slice of a patient's signed entries, oldest first (one part of the history's PDF)."""
    query = (
        select(entries)
        .where(entries.c.patient_id == patient_id, entries.c.status == "signed")
        .order_by(entries.c.entry_date, entries.c.created_at, entries.c.id)
        .offset(offset)
        .limit(limit)
    )
    return [_entry(cipher, row) for row in session.execute(query)]


def count_signed(session: Session, patient_id: str) -> int:
    """How many signed entries the patient's history holds."""
    query = select(func.count()).where(
        entries.c.patient_id == patient_id, entries.c.status == "signed"
    )
    return int(session.execute(query).scalar_one())


def of_episode(session: Session, cipher: Cipher, episode_id: str, viewer_id: str) -> list[Entry]:
    """An episode's signed entries and ``viewer_id``'s own drafts, newest first."""
    query = (
        select(entries)
        .where(entries.c.episode_id == episode_id)
        .where((entries.c.status == "signed") | (entries.c.author_id == viewer_id))
        .order_by(entries.c.entry_date.desc(), entries.c.created_at.desc(), entries.c.id.desc())
    )
    return [_entry(cipher, row) for row in session.execute(query)]


@dataclass(frozen=True)
class PainRating:
    """The pain VAS written on an entry, with what a chart of it needs (no text opened)."""

    entry_id: str
    episode_id: str | None
    entry_type: str
    entry_date: date
    pain_vas: int
    signed: bool
    created_at: datetime


def pain_ratings(
    session: Session, patient_id: str, viewer_id: str, episode_id: str | None = None
) -> list[PainRating]:
    """The pain VAS of a patient's signed entries and ``viewer_id``'s own drafts, oldest first.

    Only plain columns are read (``pain_vas`` is a number, not sealed text), so a series of
    hundreds of entries costs one index range read and no decryption.
    """
    query = (
        select(
            entries.c.id,
            entries.c.episode_id,
            entries.c.type,
            entries.c.entry_date,
            entries.c.pain_vas,
            entries.c.status,
            entries.c.created_at,
        )
        .where(entries.c.patient_id == patient_id, entries.c.pain_vas.is_not(None))
        .where((entries.c.status == "signed") | (entries.c.author_id == viewer_id))
        .order_by(entries.c.entry_date, entries.c.created_at, entries.c.id)
    )
    if episode_id is not None:
        query = query.where(entries.c.episode_id == episode_id)
    return [
        PainRating(
            entry_id=row.id,
            episode_id=row.episode_id,
            entry_type=row.type,
            entry_date=row.entry_date,
            pain_vas=row.pain_vas,
            signed=row.status == "signed",
            created_at=from_db(row.created_at),
        )
        for row in session.execute(query)
    ]


def insert_amendment(session: Session, cipher: Cipher, amendment: Amendment) -> None:
    """Store a signed amendment."""
    session.execute(
        insert(amendments).values(
            id=amendment.id,
            entry_id=amendment.entry_id,
            author_id=amendment.author_id,
            text=cipher.seal(amendment.text, _context("amendments.text", amendment.id)),
            signed_at=to_db(amendment.signed_at),
        )
    )


def amendments_of(
    session: Session, cipher: Cipher, entry_ids: Sequence[str]
) -> dict[str, list[Amendment]]:
    """The amendments of ``entry_ids``, oldest first per entry (one query)."""
    found: dict[str, list[Amendment]] = {entry_id: [] for entry_id in entry_ids}
    if not entry_ids:
        return found
    query = (
        select(amendments)
        .where(amendments.c.entry_id.in_(list(entry_ids)))
        .order_by(amendments.c.signed_at, amendments.c.id)
    )
    for row in session.execute(query):
        text = cipher.open(row.text, _context("amendments.text", row.id))
        found[row.entry_id].append(
            Amendment(row.id, row.entry_id, row.author_id, text, from_db(row.signed_at))
        )
    return found


def signed_note_of(session: Session, appointment_id: str) -> str | None:
    """The id of a signed entry documenting ``appointment_id``, if any."""
    query = (
        select(entries.c.id)
        .where(entries.c.appointment_id == appointment_id, entries.c.status == "signed")
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()
