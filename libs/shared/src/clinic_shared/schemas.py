"""Base Pydantic models: camelCase on the wire, snake_case in Python, no unknown input fields."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (databases keep naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


DateT = TypeVar("DateT", date, datetime)

# Responses always show the offset, whatever the database driver handed back.
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


class CamelModel(BaseModel):
    """Response/shared model serialised with camelCase aliases."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class CamelInput(CamelModel):
    """Request body: unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
    )


# --- Text every service accepts -------------------------------------------------------------
# Names, titles and the like are shown to people and put into letters and exports: characters
# that are invisible or reorder what is displayed (a U+202E turning "gpj.exe" into "exe.jpg")
# never belong in them. Every letter of every script, punctuation and emoji stay allowed.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# ZWNJ and ZWJ are real parts of writing between two visible characters: Persian and Indic
# names need them, and emoji sequences (family, rainbow flag) are joined by ZWJ. Anywhere
# else they only hide.
_JOINERS = frozenset("\u200c\u200d")
_JOINABLE_CATEGORIES = ("L", "M", "So", "Sk")
_LAST_LATIN = 0x024F
_MULTILINE_CONTROLS = frozenset("\t\n\r")


def _joins_two_visible(value: str, index: int) -> bool:
    if index == 0 or index == len(value) - 1:
        return False
    pair = (value[index - 1], value[index + 1])
    visible = all(unicodedata.category(c).startswith(_JOINABLE_CATEGORIES) for c in pair)
    # Latin text never needs a joiner: between two Latin letters it only splits a word
    # ("Gar\u200dcía") so that searches and duplicate checks miss it.
    return visible and any(ord(c) > _LAST_LATIN for c in pair)


def _text_problem(value: str, allowed_controls: frozenset[str]) -> str | None:
    for index, char in enumerate(value):
        code = ord(char)
        if char in allowed_controls:
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"must not contain control characters (U+{code:04X})"
        if char in _BIDI_CONTROLS:
            return f"must not contain text-direction controls (U+{code:04X})"
        if char in _JOINERS and _joins_two_visible(value, index):
            continue
        if char in _ZERO_WIDTH:
            return f"must not contain zero-width characters (U+{code:04X})"
        if 0xD800 <= code <= 0xDFFF:
            return f"must not contain unpaired surrogates (U+{code:04X})"
    return None


def single_line(value: str) -> str:
    """``value`` if it has no control, bidi-override or zero-width character (else ValueError)."""
    problem = _text_problem(value, frozenset())
    if problem:
        raise ValueError(problem)
    return value


def multi_line(value: str) -> str:
    """Like :func:`single_line`, but line breaks and tabs are allowed (notes)."""
    problem = _text_problem(value, _MULTILINE_CONTROLS)
    if problem:
        raise ValueError(problem)
    return value


# One line of plain text (names, titles, addresses, reasons).
SingleLine = Annotated[str, AfterValidator(single_line)]
# Free text over several lines (notes).
MultiLine = Annotated[str, AfterValidator(multi_line)]


# --- Dates and times in request bodies ------------------------------------------------------
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def sane_year(value: DateT) -> DateT:
    """``value`` if its year is 1900–2200: arithmetic near year 1 or 9999 would overflow."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# A date-time with its UTC offset ("2026-03-01T09:30:00+01:00" or "…Z"): without one, nobody
# could tell which instant the client meant, so it is a 422, never silently UTC.
OffsetDatetime = Annotated[AwareDatetime, AfterValidator(sane_year)]
# A calendar date within the years this system can compute with.
CalendarDate = Annotated[date, AfterValidator(sane_year)]
# A date-time that may lack an offset (query parameters read it in the clinic's zone).
LocalOrOffsetDatetime = Annotated[datetime, AfterValidator(sane_year)]


# --- Errors ---------------------------------------------------------------------------------
class ProblemFieldError(BaseModel):
    """One input at fault: its camelCase path and what is wrong with it."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``); some errors add members
    (``currentVersion`` on 412, ``existingPatientId`` or the clashing appointments on 409)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemFieldError] | None = None
