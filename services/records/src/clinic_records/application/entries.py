"""Use cases of clinical entries: write a draft, edit it, sign it, amend it, read them (audited).

Every answer that returns clinical text appends its audit row before it answers, so an answer
whose audit could not be written is not given either: a write's row (the draft, the edit, the
signed entry, the amended one with every amendment) in the writing transaction, one entry's in
the reading transaction, the timeline's (the page staff open most) beside the reads
(``audit.ParallelAudit``), so its commit does not come on top of them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clinic_records.domain import entries as rules
from clinic_records.domain.entries import Amendment, Entry, EntryFields
from clinic_records.infrastructure import audit, episodes, read_models
from clinic_records.infrastructure import entries as stored
from clinic_records.infrastructure.audit import AuditedRead, ParallelAudit, Reader
from clinic_records.infrastructure.crypto import Cipher
from clinic_shared.contracts.records import RecordAmended, RecordSigned
from clinic_shared.errors import ExpectedVersion, FieldError, NotFoundError
from clinic_shared.events import OutboxWriter

RECORD_READ = "record.read"
TIMELINE_READ = "timeline.read"
# The answers to writes carry the entry's text too: audited under what was done.
RECORD_CREATED = "record.created"
RECORD_UPDATED = "record.updated"
RECORD_SIGNED = "record.signed"
RECORD_AMENDED = "record.amended"


@dataclass(frozen=True)
class EntryView:
    """An entry with its amendments (oldest first)."""

    entry: Entry
    amendments: list[Amendment]


def _check_refs(session: Session, patient_id: str, fields: EntryFields) -> None:
    if fields.episode_id is not None:
        owner = episodes.patient_of(session, fields.episode_id)
        if owner != patient_id:
            raise FieldError("episodeId", "no such episode of care for this patient")


def _locked(session: Session, cipher: Cipher, entry_id: uuid.UUID) -> Entry:
    entry = stored.get_entry(session, cipher, str(entry_id), lock=True)
    if entry is None:
        raise NotFoundError("No such clinical entry.")
    return entry


def _view(session: Session, cipher: Cipher, entry: Entry) -> EntryView:
    return EntryView(entry, stored.amendments_of(session, cipher, [entry.id])[entry.id])


def create_entry(
    session: Session,
    cipher: Cipher,
    patient_id: uuid.UUID,
    fields: EntryFields,
    *,
    author: Reader,
    today: date,
    now: datetime,
) -> EntryView:
    """A new draft by ``author``; 422 for an unknown patient or another patient's episode.
    Audited (``record.created``)."""
    with session.begin():
        if not read_models.patient_exists(session, str(patient_id)):
            raise FieldError("patientId", "no such patient")
        _check_refs(session, str(patient_id), fields)
        entry = rules.new_entry(str(uuid.uuid4()), str(patient_id), author.user_id, fields, today)
        stored.insert_entry(session, cipher, entry, now)
        audit.record_read(session, author, RECORD_CREATED, entry.patient_id, entry.id, now)
        return EntryView(entry, [])


def update_entry(
    session: Session,
    cipher: Cipher,
    entry_id: uuid.UUID,
    fields: EntryFields,
    expected: ExpectedVersion,
    *,
    editor: Reader,
    today: date,
    now: datetime,
) -> EntryView:
    """The author's edit of a draft (If-Match); 409 once signed, 403 for anyone else.
    Audited (``record.updated``)."""
    expected.require()
    with session.begin():
        entry = _locked(session, cipher, entry_id)
        # 409 signed, 403 not the author
        changed = rules.edited(entry, editor.user_id, fields, today)
        expected.check(entry.version, "this entry")
        _check_refs(session, entry.patient_id, fields)
        stored.update_entry(session, cipher, changed, now)
        audit.record_read(session, editor, RECORD_UPDATED, changed.patient_id, changed.id, now)
        return EntryView(changed, [])


def sign_entry(
    session: Session,
    cipher: Cipher,
    events: OutboxWriter,
    entry_id: uuid.UUID,
    expected: ExpectedVersion,
    *,
    signer: Reader,
    now: datetime,
) -> EntryView:
    """Sign a draft (its author only); it is immutable from now on. Publishes record.signed;
    audited (``record.signed``)."""
    with session.begin():
        entry = _locked(session, cipher, entry_id)
        if expected.if_match:
            expected.check(entry.version, "this entry")
        done = rules.signed(entry, signer.user_id, now)
        stored.update_entry(session, cipher, done, now)
        audit.record_read(session, signer, RECORD_SIGNED, done.patient_id, done.id, now)
        fields = done.fields
        if fields.appointment_id is not None:
            read_models.mark_noted(session, fields.appointment_id, done.id)
        assert done.signed_by is not None
        assert done.signed_at is not None
        events.add(
            session,
            RecordSigned(
                entry_id=uuid.UUID(done.id),
                patient_id=uuid.UUID(done.patient_id),
                episode_id=uuid.UUID(fields.episode_id) if fields.episode_id else None,
                appointment_id=uuid.UUID(fields.appointment_id) if fields.appointment_id else None,
                type=fields.type,
                entry_date=fields.entry_date,
                author_id=done.author_id,
                signed_by=done.signed_by,
                signed_at=done.signed_at,
                entity_version=done.version,
            ),
        )
        return EntryView(done, [])


def amend_entry(
    session: Session,
    cipher: Cipher,
    events: OutboxWriter,
    entry_id: uuid.UUID,
    text: str,
    *,
    amender: Reader,
    now: datetime,
) -> EntryView:
    """Attach a signed amendment to a signed entry. Publishes record.amended; audited
    (``record.amended``: the answer is the whole entry, perhaps another's, with every
    amendment)."""
    with session.begin():
        entry = _locked(session, cipher, entry_id)
        added = rules.amendment(entry, str(uuid.uuid4()), amender.user_id, text, now)
        after = rules.amended(entry)
        stored.insert_amendment(session, cipher, added)
        stored.update_entry(session, cipher, after, now)
        audit.record_read(session, amender, RECORD_AMENDED, after.patient_id, after.id, now)
        events.add(
            session,
            RecordAmended(
                entry_id=uuid.UUID(after.id),
                amendment_id=uuid.UUID(added.id),
                patient_id=uuid.UUID(after.patient_id),
                type=after.fields.type,
                entry_date=after.fields.entry_date,
                amended_by=amender.user_id,
                amended_at=now,
                entity_version=after.version,
            ),
        )
        return _view(session, cipher, after)


def read_entry(
    session: Session, cipher: Cipher, entry_id: uuid.UUID, reader: Reader, now: datetime
) -> EntryView:
    """One entry with its amendments; the read is audited (``record.read``)."""
    with session.begin():
        entry = stored.get_entry(session, cipher, str(entry_id))
        if entry is None:
            raise NotFoundError("No such clinical entry.")
        rules.check_readable(entry, reader.user_id)
        view = _view(session, cipher, entry)
        audit.record_read(session, reader, RECORD_READ, entry.patient_id, entry.id, now)
        return view


def timeline(
    session: Session,
    cipher: Cipher,
    read_audit: ParallelAudit,
    patient_id: uuid.UUID,
    reader: Reader,
    now: datetime,
    *,
    offset: int,
    limit: int,
) -> list[EntryView]:
    """A page of the patient's history, newest first; the read is audited (``timeline.read``)."""
    read = AuditedRead(reader, TIMELINE_READ, str(patient_id), None, now)
    with read_audit.recording(read), session.begin():
        found = stored.timeline(session, cipher, str(patient_id), reader.user_id, offset, limit)
        attached = stored.amendments_of(session, cipher, [e.id for e in found])
        return [EntryView(entry, attached[entry.id]) for entry in found]
