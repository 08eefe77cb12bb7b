"""Patients' identity documents: DNI and NIE check letters (python-stdnum), others as given.

The check letters come from ``clinic_shared.tax_ids`` (python-stdnum), the same rules billing
applies to its customers. A patient may show a passport or a foreign document, so values of
any other shape are only checked for length and characters.
"""

from __future__ import annotations

import re

from clinic_shared.tax_ids import identity_document_problem

MAX_TAX_ID_LENGTH = 20

_DOCUMENT = re.compile(r"^[A-Z0-9]+$")


def tax_id_problem(normalized: str) -> str | None:
    """Why a normalised tax id is unacceptable, or None (only DNI/NIE shapes are checked)."""
    if not normalized or len(normalized) > MAX_TAX_ID_LENGTH:
        return f"must have between 1 and {MAX_TAX_ID_LENGTH} letters or digits"
    if not _DOCUMENT.match(normalized):
        return "may contain only letters and digits"
    return identity_document_problem(normalized)
