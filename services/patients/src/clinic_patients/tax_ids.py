"""Spanish identity documents: the DNI and NIE check letters.

A DNI is 8 digits and a letter; a NIE is X, Y or Z, 7 digits and a letter, where X/Y/Z stand
for a leading 0/1/2. The letter is ``TRWAGMYFPDXBNJZSQVHLCKE[number % 23]``. Values of any
other shape (passports, foreign documents) are not checked.
"""

from __future__ import annotations

import re

CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
MAX_TAX_ID_LENGTH = 20

_DNI = re.compile(r"^(\d{8})([A-Z])$")
_NIE = re.compile(r"^([XYZ])(\d{7})([A-Z])$")
_DOCUMENT = re.compile(r"^[A-Z0-9]+$")
_NIE_PREFIX_DIGIT = {"X": "0", "Y": "1", "Z": "2"}


def check_letter(number: int) -> str:
    """The check letter of a DNI number (or of a NIE with its prefix replaced by a digit)."""
    return CHECK_LETTERS[number % 23]


def tax_id_problem(normalized: str) -> str | None:
    """Why a normalised tax id is unacceptable, or None (only DNI/NIE shapes are checked)."""
    if not normalized or len(normalized) > MAX_TAX_ID_LENGTH:
        return f"must have between 1 and {MAX_TAX_ID_LENGTH} letters or digits"
    if not _DOCUMENT.match(normalized):
        return "may contain only letters and digits"
    dni = _DNI.match(normalized)
    if dni:
        expected = check_letter(int(dni.group(1)))
        if dni.group(2) != expected:
            return f"is not a valid DNI: the check letter should be {expected}"
        return None
    nie = _NIE.match(normalized)
    if nie:
        expected = check_letter(int(_NIE_PREFIX_DIGIT[nie.group(1)] + nie.group(2)))
        if nie.group(3) != expected:
            return f"is not a valid NIE: the check letter should be {expected}"
    return None
