"""The keys a number's last digits can be, newest first per series, and the check that the
newest of them held a page (pure: no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from clinic_billing.infrastructure.invoice_number_search import (
    holds_the_page,
    keys_of_year,
    newest_keys,
)

T0 = datetime(2026, 3, 2, 9, 0)


def test_up_to_six_digits_fix_the_sequence_modulo_a_power_of_ten() -> None:
    assert list(keys_of_year(("F", 2026, 35), "5")) == [("F", 2026, s) for s in (35, 25, 15, 5)]
    assert list(keys_of_year(("F", 2026, 30), "0")) == [("F", 2026, s) for s in (30, 20, 10)]
    assert list(keys_of_year(("S", 2026, 1234), "234")) == [("S", 2026, 1234), ("S", 2026, 234)]
    assert list(keys_of_year(("S", 2026, 233), "234")) == []
    assert list(keys_of_year(("S", 2026, 9), "000")) == []  # sequences start at 1
    assert list(keys_of_year(("S", 2026, 2000), "000")) == [("S", 2026, 2000), ("S", 2026, 1000)]


def test_more_digits_fix_the_sequence_and_the_end_of_the_year() -> None:
    assert list(keys_of_year(("F", 2026, 50), "6000012")) == [("F", 2026, 12)]
    assert list(keys_of_year(("F", 2025, 50), "6000012")) == []
    assert list(keys_of_year(("F", 2026, 50), "2026000051")) == []  # not issued yet
    assert list(keys_of_year(("F", 2026, 50), "2026000000")) == []
    assert list(keys_of_year(("F", 2026, 50), "02026000012")) == []  # longer than a number


def test_newest_keys_take_each_series_newest_years_first_and_say_which_had_more() -> None:
    tops = [("S", 2025, 30), ("F", 2026, 12), ("S", 2026, 12), ("F", 2025, 30)]
    keys, cut = newest_keys(tops, "1", 3)
    assert keys == [("F", 2026, 11), ("F", 2026, 1), ("F", 2025, 21),
                    ("S", 2026, 11), ("S", 2026, 1), ("S", 2025, 21)]  # fmt: skip
    assert cut == {"F", "S"}
    assert newest_keys(tops, "1", 5) == (
        [("F", 2026, 11), ("F", 2026, 1), ("F", 2025, 21), ("F", 2025, 11), ("F", 2025, 1),
         ("S", 2026, 11), ("S", 2026, 1), ("S", 2025, 21), ("S", 2025, 11), ("S", 2025, 1)],
        set(),
    )  # fmt: skip


def _rows(*moments: tuple[str, int]) -> list[Any]:
    """Rows as the page query reads them, newest first: (series, minutes after T0)."""
    rows = [SimpleNamespace(series=s, issued_at=T0 + timedelta(minutes=m)) for s, m in moments]
    return sorted(rows, key=lambda row: row.issued_at, reverse=True)


KEYS = [("F", 2026, 30), ("F", 2026, 20), ("F", 2026, 10), ("S", 2026, 7)]


def test_the_newest_keys_hold_a_page_when_the_series_cut_short_reaches_past_it() -> None:
    rows = _rows(("F", 9), ("S", 8), ("F", 7), ("F", 1))
    assert holds_the_page(rows, KEYS, {"F"}, 3)  # F's oldest read (1) is past the page's last (7)


def test_they_do_not_when_a_key_was_no_invoice_or_the_moments_tie() -> None:
    assert not holds_the_page(_rows(("F", 9), ("S", 8), ("F", 7)), KEYS, {"F"}, 3)  # F10 missing
    tied = _rows(("F", 9), ("S", 8), ("F", 7), ("F", 7))
    assert not holds_the_page(tied, KEYS, {"F"}, 3)  # an older F may be stamped 7 too
    assert not holds_the_page(_rows(("F", 9), ("F", 7), ("F", 1)), KEYS[:3], {"F"}, 4)  # short
