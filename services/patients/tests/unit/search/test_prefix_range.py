"""The upper bound of an identifier prefix range is a real string (issue 11, finding 2)."""

from __future__ import annotations

import pytest

from clinic_patients.search.sql import prefix_range, prefix_successor


@pytest.mark.parametrize(
    ("prefix", "successor"),
    [
        ("ana@", "ana@"[:-1] + "A"),
        ("12\ud7ff", "12\ue000"),  # the next code point would be a surrogate
        ("12\uffff", "12\U00010000"),
        ("12\U0010ffff", "13"),
        ("1\U0010ffff\U0010ffff", "2"),
        ("\U0010ffff", "\U0010ffff\U0010ffff"),
    ],
)
def test_successor_skips_surrogates_and_carries_over_the_last_code_point(
    prefix: str, successor: str
) -> None:
    assert prefix_successor(prefix) == successor
    successor.encode("utf-8")  # never a lone surrogate


def test_prefix_range_names_both_bounds() -> None:
    assert prefix_range("email", "ana@") == {"email_from": "ana@", "email_to": "anaA"}
