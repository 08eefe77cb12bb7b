"""Text normalisation shared by writes and searches, done in Python so every database agrees.

MariaDB's ``utf8mb4_unicode_ci`` would call 'García' and 'garcia' equal while SQLite would
not; folding here (and storing the folded forms in binary-collated columns) makes search and
ordering identical on both.
"""

from __future__ import annotations

import re

from clinic_shared.text import fold

MAX_TOKEN_LENGTH = 50
FIRST_WORDS_LENGTH = 50
LAST_WORDS_LENGTH = 100
# " <surnames> ! <first names> ": the parts plus two spaces, the mark and its two spaces.
NAME_KEY_LENGTH = LAST_WORDS_LENGTH + FIRST_WORDS_LENGTH + 5
MAX_PHONE_DIGITS = 15
MIN_PHONE_DIGITS = 6

# Letters and digits of any script; underscores are word characters to ``\w`` but not to us.
_TOKEN = re.compile(r"[^\W_]+")
_TAX_ID_SEPARATORS = re.compile(r"[\s.\-]+")
_PHONE = re.compile(r"^\+?[0-9(][0-9 ().\-/]*$")
_SPANISH_PREFIXES = ("+34", "0034")


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` in order ('García-Núñez' -> ['garcia', 'nunez'])."""
    return [token[:MAX_TOKEN_LENGTH] for token in _TOKEN.findall(fold(text))]


def words_within(text: str, length: int) -> list[str]:
    """The folded words of ``text`` that fit, joined by spaces, in ``length`` characters."""
    kept: list[str] = []
    used = -1
    for word in tokens(text):
        used += len(word) + 1
        if used > length:
            break
        kept.append(word)
    return kept


def collapse_spaces(text: str) -> str:
    """``text`` trimmed, with runs of whitespace reduced to one space."""
    return " ".join(text.split())


def has_letter(text: str) -> bool:
    """Whether ``text`` contains at least one letter (of any script)."""
    return any(char.isalpha() for char in text)


def normalize_tax_id(value: str) -> str:
    """A tax id as stored and compared: upper case, without spaces, dots or hyphens."""
    return _TAX_ID_SEPARATORS.sub("", value).upper()


def phone_problem(phone: str) -> str | None:
    """Why ``phone`` is not a plausible phone number, or None."""
    if not _PHONE.match(phone):
        return "may contain only digits, spaces, ( ) . - / and a leading +"
    count = sum(char.isdigit() for char in phone)
    if not MIN_PHONE_DIGITS <= count <= MAX_PHONE_DIGITS:
        return f"must have between {MIN_PHONE_DIGITS} and {MAX_PHONE_DIGITS} digits"
    return None


def phone_digits(phone: str) -> str:
    """The digits a phone is searched by; Spain's +34/0034 prefix is dropped."""
    compact = "".join(char for char in phone if char.isdigit() or char == "+")
    for prefix in _SPANISH_PREFIXES:
        if compact.startswith(prefix):
            compact = compact[len(prefix) :]
            break
    return "".join(char for char in compact if char.isdigit())
