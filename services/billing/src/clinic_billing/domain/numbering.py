"""Invoice numbers: a series, the year and a correlative sequence; the next one; the gaps.

RD 1619/2012 art. 6.1.a asks for a number that is correlative within its series; a new series
may start each year. The seed printed ``2025000001`` (year + six digits); here the series letter
leads, so ``F2026000001`` and ``R2026000001`` are different invoices and the number alone is
unique per issuer, as Verifactu's ``NumSerieFactura`` must be. Numbers are assigned only when
an invoice is issued, from a counter row locked for update (never AUTO_INCREMENT or a sequence,
which leave gaps on rollback); these functions are the rules that counter follows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from clinic_shared.errors import ConflictError, FieldError

Series = Literal["F", "S", "R"]

# F: ordinary (complete) invoice; S: simplified (no recipient id, total ≤ 400 €, RD 1619/2012
# art. 4); R: rectifying (art. 15). Each series counts on its own.
SERIES: dict[Series, str] = {
    "F": "ordinary",
    "S": "simplified",
    "R": "rectifying",
}
SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
_NUMBER = re.compile(r"^([A-Z])(\d{4})(\d{6})$")


@dataclass(frozen=True, order=True)
class InvoiceNumber:
    """``F2026000001``: series F, year 2026, the first invoice of that series and year."""

    series: Series
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if self.series not in SERIES:
            raise FieldError("series", f"must be one of {', '.join(SERIES)}")
        if not 2000 <= self.year <= 9999:
            raise FieldError("year", "must be a four-digit year")
        if not 1 <= self.sequence <= MAX_SEQUENCE:
            raise FieldError("sequence", f"must be from 1 to {MAX_SEQUENCE}")

    @property
    def code(self) -> str:
        """Year + six digits, the seed's format (``2026000001``), without the series."""
        return f"{self.year:04d}{self.sequence:0{SEQUENCE_DIGITS}d}"

    def __str__(self) -> str:
        return f"{self.series}{self.code}"


def parse_number(text: str, field: str = "number") -> InvoiceNumber:
    """``"F2026000001"`` → InvoiceNumber; 422 naming ``field`` for anything else."""
    match = _NUMBER.match(text.strip().upper())
    if not match or match.group(1) not in SERIES:
        raise FieldError(field, "expected a series letter (F, S or R), a year and six digits")
    series: Series = match.group(1)  # type: ignore[assignment]  # checked against SERIES
    return InvoiceNumber(series, int(match.group(2)), int(match.group(3)))


def next_number(series: Series, year: int, last: InvoiceNumber | None) -> InvoiceNumber:
    """The number after ``last`` (the series' latest issued one, None before the first).

    A new year starts again at 1. A ``last`` from a later year means the clock went back:
    409 rather than a number out of order. The series' last number is 409 too.
    """
    if last is not None and last.series != series:
        raise ValueError(f"last number {last} is not of series {series}")
    if last is None or last.year < year:
        return InvoiceNumber(series, year, 1)
    if last.year > year:
        raise ConflictError(f"series {series} already has numbers of {last.year}, after {year}")
    if last.sequence >= MAX_SEQUENCE:
        raise ConflictError(f"series {series} has used every number of {year}")
    return InvoiceNumber(series, year, last.sequence + 1)


def check_issue_date(series: Series, last_issued_on: date | None, issued_on: date) -> None:
    """Issue dates never go backwards within a series (correlative numbers, ordered dates)."""
    if last_issued_on is not None and issued_on < last_issued_on:
        raise ConflictError(
            f"series {series} already has an invoice dated {last_issued_on.isoformat()}, "
            f"after {issued_on.isoformat()}"
        )


@dataclass(frozen=True)
class Gap:
    """Missing sequences ``first``..``last`` (inclusive) of one series and year."""

    series: Series
    year: int
    first: int
    last: int

    @property
    def missing(self) -> int:
        """How many numbers are missing."""
        return self.last - self.first + 1

    def numbers(self) -> list[InvoiceNumber]:
        """Every missing number (for a short gap; a long one is better shown as a range)."""
        return [InvoiceNumber(self.series, self.year, s) for s in range(self.first, self.last + 1)]


def number_gaps(numbers: Iterable[InvoiceNumber], year: int | None = None) -> list[Gap]:
    """Missing numbers per series and year, as ranges, from 1 to the highest number issued.

    What ``GET /api/invoices/number-gaps?year=`` answers; with gapless issuing it is empty.
    Numbers after the highest one are not missing: they have not been issued yet.
    """
    by_series: dict[tuple[Series, int], set[int]] = {}
    for number in numbers:
        if year is None or number.year == year:
            by_series.setdefault((number.series, number.year), set()).add(number.sequence)
    gaps = []
    for (series, number_year), sequences in sorted(by_series.items()):
        expected = 1
        for sequence in sorted(sequences):
            if sequence > expected:
                gaps.append(Gap(series, number_year, expected, sequence - 1))
            expected = sequence + 1
    return gaps


def duplicates(numbers: Iterable[InvoiceNumber]) -> list[InvoiceNumber]:
    """Numbers issued more than once (a unique index makes this empty; the check proves it)."""
    return sorted(n for n, count in Counter(numbers).items() if count > 1)
