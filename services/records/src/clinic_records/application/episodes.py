"""Use cases of episodes of care: open, edit, discharge, read (with their entries).

An episode's reason and discharge reason are clinical, so every answer carrying an episode is
audited in its own transaction: the reads', and the writes' under what was done.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clinic_records.application.entries import EntryView
from clinic_records.domain import episodes as rules
from clinic_records.domain.episodes import Episode, EpisodeFields
from clinic_records.infrastructure import audit, read_models
from clinic_records.infrastructure import entries as stored_entries
from clinic_records.infrastructure import episodes as stored
from clinic_records.infrastructure.audit import Reader
from clinic_records.infrastructure.crypto import Cipher
from clinic_shared.contracts.records import EpisodeDischarged
from clinic_shared.errors import ExpectedVersion, FieldError, NotFoundError
from clinic_shared.events import OutboxWriter

EPISODE_READ = "episode.read"
EPISODES_READ = "episodes.read"
EPISODE_OPENED = "episode.opened"
EPISODE_UPDATED = "episode.updated"
EPISODE_DISCHARGED = "episode.discharged"


@dataclass(frozen=True)
class EpisodeView:
    """An episode and, when read on its own, its entries (newest first)."""

    episode: Episode
    entries: list[EntryView]


def _check_practitioner(session: Session, fields: EpisodeFields, caller_id: str) -> None:
    # The caller opening their own episode needs no check; naming someone else does.
    if fields.practitioner_id != caller_id and not read_models.is_practitioner(
        session, fields.practitioner_id
    ):
        raise FieldError("practitionerId", "no such practitioner")


def _locked(session: Session, cipher: Cipher, episode_id: uuid.UUID) -> Episode:
    episode = stored.get_episode(session, cipher, str(episode_id), lock=True)
    if episode is None:
        raise NotFoundError("No such episode of care.")
    return episode


def open_episode(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    fields: EpisodeFields,
    *,
    caller: Reader,
    today: date,
    now: datetime,
) -> EpisodeView:
    """A new open episode; 422 for an unknown patient or practitioner. Audited
    (``episode.opened``)."""
    with session.begin():
        if not read_models.patient_exists(session, str(patient_id)):
            raise FieldError("patientId", "no such patient")
        _check_practitioner(session, fields, caller.user_id)
        episode = rules.new_episode(str(uuid.uuid4()), str(patient_id), fields, today)
        stored.insert_episode(session, cipher, episode, caller.user_id, now)
        audit.record_read(session, caller, EPISODE_OPENED, episode.patient_id, episode.id, now)
        return EpisodeView(episode, [])


def update_episode(
    session: Session,
    cipher: Cipher,
    episode_id: uuid.UUID,
    fields: EpisodeFields,
    expected: ExpectedVersion,
    *,
    caller: Reader,
    today: date,
    now: datetime,
) -> EpisodeView:
    """Change an open episode (If-Match); 409 once discharged. Audited (``episode.updated``)."""
    expected.require()
    with session.begin():
        episode = _locked(session, cipher, episode_id)
        changed = rules.edited(episode, fields, today)
        expected.check(episode.version, "this episode")
        _check_practitioner(session, fields, caller.user_id)
        stored.update_episode(session, cipher, changed, now)
        audit.record_read(session, caller, EPISODE_UPDATED, changed.patient_id, changed.id, now)
        return EpisodeView(changed, [])


def discharge(
    session: Session,
    cipher: Cipher,
    events: OutboxWriter,
    episode_id: uuid.UUID,
    reason: str,
    expected: ExpectedVersion,
    *,
    caller: Reader,
    today: date,
    now: datetime,
) -> EpisodeView:
    """Close the episode today for ``reason``. Publishes episode.discharged; audited
    (``episode.discharged``)."""
    with session.begin():
        episode = _locked(session, cipher, episode_id)
        if expected.if_match:
            expected.check(episode.version, "this episode")
        done = rules.discharged(episode, reason, today)
        stored.update_episode(session, cipher, done, now)
        audit.record_read(session, caller, EPISODE_DISCHARGED, done.patient_id, done.id, now)
        assert done.discharged_on is not None
        events.add(
            session,
            EpisodeDischarged(
                episode_id=uuid.UUID(done.id),
                patient_id=uuid.UUID(done.patient_id),
                practitioner_id=done.fields.practitioner_id,
                opened_on=done.fields.opened_on,
                discharged_on=done.discharged_on,
                entity_version=done.version,
            ),
        )
        return EpisodeView(done, [])


def read_episode(
    session: Session, cipher: Cipher, episode_id: uuid.UUID, reader: Reader, now: datetime
) -> EpisodeView:
    """One episode with its entries; the read is audited (``episode.read``)."""
    with session.begin():
        episode = stored.get_episode(session, cipher, str(episode_id))
        if episode is None:
            raise NotFoundError("No such episode of care.")
        found = stored_entries.of_episode(session, cipher, episode.id, reader.user_id)
        attached = stored_entries.amendments_of(session, cipher, [e.id for e in found])
        audit.record_read(session, reader, EPISODE_READ, episode.patient_id, episode.id, now)
        return EpisodeView(episode, [EntryView(e, attached[e.id]) for e in found])


def episodes_of(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    reader: Reader,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> list[EpisodeView]:
    """A page of the patient's episodes (reasons are clinical: audited, ``episodes.read``)."""
    with session.begin():
        found = stored.of_patient(session, cipher, str(patient_id), offset, limit)
        audit.record_read(session, reader, EPISODES_READ, str(patient_id), None, now)
        return [EpisodeView(episode, []) for episode in found]
