"""Phone numbers as stored (E.164) and as shown (grouped), by Google's libphonenumber rules.

A number typed without a country prefix is read as the clinic's country (``DEFAULT_REGION``).
Showing one grouped is ``clinic_shared.phones.grouped`` (billing's customers use it too);
numbers stored before normalisation that the library cannot read are shown as they were typed.
"""

from __future__ import annotations

import phonenumbers

from clinic_patients.normalize import phone_problem
from clinic_shared.phones import DEFAULT_REGION, grouped

__all__ = ["DEFAULT_REGION", "grouped", "normalised_or_kept", "to_e164"]


def to_e164(text: str) -> str:
    """``text`` as E.164 ('612 34 56 78' -> '+34612345678'); ValueError says why it is not one."""
    problem = phone_problem(text)
    if problem:
        raise ValueError(problem)
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            "is not a valid phone number (one from abroad starts with + and its country code)"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised_or_kept(stored: str | None) -> str | None:
    """E.164 when ``stored`` is a valid number, else ``stored`` untouched (old rows)."""
    if stored is None:
        return None
    try:
        return to_e164(stored)
    except ValueError:
        return stored
