"""Phone numbers as shown: grouped by Google's libphonenumber rules, for every context.

A number stored without a country prefix is read as the clinic's country (``DEFAULT_REGION``);
one in that country is shown in its national grouping ("612 34 56 78"), any other in the
international one ("+44 20 7946 0958"). A number the library cannot read is shown as stored.
"""

from __future__ import annotations

import phonenumbers

# The clinic's country: where a number without a prefix is from.
DEFAULT_REGION = "ES"


def grouped(stored: str | None) -> str | None:
    """A stored number grouped for reading, or as stored when the library cannot read it."""
    if stored is None:
        return None
    try:
        number = phonenumbers.parse(stored, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    formats = phonenumbers.PhoneNumberFormat
    home = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    return phonenumbers.format_number(number, formats.NATIONAL if home else formats.INTERNATIONAL)
