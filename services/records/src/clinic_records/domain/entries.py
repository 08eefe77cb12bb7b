"""Clinical entries: a draft only its author edits, signed once, then immutable; amendments.

An entry is ``draft`` → ``signed``. While a draft, only its author may change or sign it; a
signed entry never changes again (409) — a correction is an :class:`Amendment`, a new signed
text attached to it, and the original stays. Pure rules: no framework, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from clinic_shared.errors import ClinicError, ConflictError, FieldError

ENTRY_TYPES = ("assessment", "treatment", "evolution", "discharge", "note")
DRAFT = "draft"
SIGNED = "signed"
PAIN_VAS_MAX = 10
SECTIONS = ("subjective", "objective", "assessment", "plan")
AMENDMENT_MAX_CHARS = 20_000


class NotTheAuthorError(ClinicError):
    """Someone other than the author tried to change, sign or read a draft (403)."""

    status: ClassVar[int] = 403


@dataclass(frozen=True)
class Soap:
    """The four SOAP sections; None is a section left empty."""

    subjective: str | None = None
    objective: str | None = None
    assessment: str | None = None
    plan: str | None = None

    def is_empty(self) -> bool:
        """True when no section has any text."""
        return not any(
            (s or "").strip() for s in (self.subjective, self.objective, self.assessment, self.plan)
        )


@dataclass(frozen=True)
class EntryFields:
    """What an author writes in a draft (on creation and on each edit)."""

    type: str
    entry_date: date
    soap: Soap
    pain_vas: int | None = None
    appointment_id: str | None = None
    episode_id: str | None = None


@dataclass(frozen=True)
class Entry:
    """One entry of a patient's clinical history."""

    id: str
    patient_id: str
    author_id: str
    fields: EntryFields
    status: str = DRAFT
    signed_by: str | None = None
    signed_at: datetime | None = None
    version: int = 1

    @property
    def is_signed(self) -> bool:
        """Signed entries are immutable."""
        return self.status == SIGNED


@dataclass(frozen=True)
class Amendment:
    """A signed correction of a signed entry (its author and time are the signature)."""

    id: str
    entry_id: str
    author_id: str
    text: str
    signed_at: datetime


def check_fields(fields: EntryFields, today: date) -> None:
    """422 naming the field: the type, a date in the future, a pain score outside 0–10."""
    if fields.type not in ENTRY_TYPES:
        raise FieldError("type", f"must be one of {', '.join(ENTRY_TYPES)}")
    if fields.entry_date > today:
        raise FieldError("date", "an entry cannot be dated in the future")
    if fields.pain_vas is not None and not 0 <= fields.pain_vas <= PAIN_VAS_MAX:
        raise FieldError("painVas", f"must be between 0 and {PAIN_VAS_MAX}")


def new_entry(
    entry_id: str, patient_id: str, author_id: str, fields: EntryFields, today: date
) -> Entry:
    """A new draft written by ``author_id``."""
    check_fields(fields, today)
    return Entry(id=entry_id, patient_id=patient_id, author_id=author_id, fields=fields)


def _check_draft_of(entry: Entry, user_id: str, action: str) -> None:
    if entry.is_signed:
        raise ConflictError(
            "A signed entry cannot change; add an amendment instead.",
            extra={"status": entry.status},
        )
    if entry.author_id != user_id:
        raise NotTheAuthorError(f"Only the author of a draft may {action} it.")


def check_readable(entry: Entry, user_id: str) -> None:
    """403 for somebody else's draft: a draft is its author's until it is signed."""
    if not entry.is_signed and entry.author_id != user_id:
        raise NotTheAuthorError("This draft is its author's until it is signed.")


def edited(entry: Entry, user_id: str, fields: EntryFields, today: date) -> Entry:
    """The draft with new content; 409 once signed, 403 for anyone but the author."""
    _check_draft_of(entry, user_id, "edit")
    check_fields(fields, today)
    return replace(entry, fields=fields, version=entry.version + 1)


def signed(entry: Entry, user_id: str, now: datetime) -> Entry:
    """The draft signed by its author at ``now``; 409 if signed already or empty."""
    _check_draft_of(entry, user_id, "sign")
    if entry.fields.soap.is_empty():
        raise FieldError("subjective", "write at least one section before signing")
    return replace(
        entry, status=SIGNED, signed_by=user_id, signed_at=now, version=entry.version + 1
    )


def amendment(
    entry: Entry, amendment_id: str, author_id: str, text: str, now: datetime
) -> Amendment:
    """A signed correction of ``entry``; 409 while the entry is still a draft (edit it)."""
    if not entry.is_signed:
        raise ConflictError("A draft is edited, not amended; sign it first.")
    if not text.strip():
        raise FieldError("text", "must not be empty")
    if len(text) > AMENDMENT_MAX_CHARS:
        raise FieldError("text", f"at most {AMENDMENT_MAX_CHARS} characters")
    return Amendment(amendment_id, entry.id, author_id, text, now)


def amended(entry: Entry) -> Entry:
    """The entry's version after an amendment (its ETag changes; its content does not)."""
    return replace(entry, version=entry.version + 1)
