"""Finding patients who may be the person being registered: same tax id, or similar name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_patients.models import Patient
from clinic_patients.search.fuzzy import edit_distance
from clinic_patients.search.index import IndexedName

MAX_DUPLICATES = 10
# Typos tolerated between two spellings of the same person's first name / first surname.
FIRST_NAME_EDITS = 2
SURNAME_EDITS = 1


@dataclass(frozen=True)
class Duplicate:
    """A patient who may be the same person, and why."""

    patient: Patient
    reason: str  # "taxId" | "similarName"


def similar_names(a: IndexedName, b: IndexedName) -> bool:
    """Probably the same person: first names and first surnames within a typo or two.

    'José García Núñez' and 'Jose Garcia' are similar; so are 'María' and 'Mario García' —
    which is why a similar name is only a warning, and only with the same birth date.
    """
    a_first, b_first = a.first_words, b.first_words
    a_last, b_last = a.last_words, b.last_words
    if not (a_first and b_first and a_last and b_last):
        return False
    first_close = a_first[0] == b_first[0] or (
        edit_distance(" ".join(a_first), " ".join(b_first), FIRST_NAME_EDITS) <= FIRST_NAME_EDITS
    )
    return first_close and edit_distance(a_last[0], b_last[0], SURNAME_EDITS) <= SURNAME_EDITS


def find_duplicates(
    db: Session,
    name: IndexedName,
    birth_date: date | None,
    tax_id: str | None,
    exclude_id: str | None = None,
) -> list[Duplicate]:
    """Patients sharing ``tax_id``, then ones with a similar name (same birth date if given).

    Without a birth date only identical names (ignoring case and accents) are reported:
    'José García' alone is far too common to flag every similar spelling.
    """
    found: list[Duplicate] = []
    if tax_id:
        same_document = db.scalars(select(Patient).where(Patient.tax_id == tax_id))
        found += [Duplicate(p, "taxId") for p in same_document if p.id != exclude_id]
    if birth_date is not None:
        same_day = db.scalars(
            select(Patient)
            .where(Patient.birth_date == birth_date)
            .order_by(Patient.name_key, Patient.id)
        )
        candidates = [p for p in same_day if similar_names(name, IndexedName(p.name_key))]
    else:
        candidates = list(
            db.scalars(
                select(Patient)
                .where(Patient.name_key == name.name_key)
                .order_by(Patient.id)
                .limit(MAX_DUPLICATES + 1)
            )
        )
    seen = {duplicate.patient.id for duplicate in found}
    found += [
        Duplicate(p, "similarName") for p in candidates if p.id != exclude_id and p.id not in seen
    ]
    return found[:MAX_DUPLICATES]
