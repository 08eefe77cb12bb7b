"""The QR's faster mask choice gives exactly segno's own symbol."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import segno

from clinic_billing.domain.verifactu import qr_url
from clinic_billing.infrastructure.pdf_qr import best_mask, make_qr


def invoice_urls(count: int) -> list[str]:
    rng = random.Random(12)
    return [
        qr_url(
            rng.choice(["B12345674", "12345678Z", "X1234567L"]),
            f"{rng.choice('FSR')}{rng.choice([2026, 2027])}{rng.randint(1, 999_999):06d}",
            date(2026, 1, 1) + timedelta(days=rng.randint(0, 700)),
            Decimal(rng.randint(-99_999, 9_999_999)) / 100,
        )
        for _ in range(count)
    ]


URLS = invoice_urls(50) + [f"https://example.com/{'x' * n}" for n in range(1, 240, 9)]


def reference(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, boost_error=False)


@pytest.mark.parametrize("url", URLS)
def test_the_symbol_is_segnos_own(url: str) -> None:
    expected, made = reference(url), make_qr(url)
    assert (made.version, made.error) == (expected.version, expected.error)
    assert made.mask == expected.mask
    assert made.matrix == expected.matrix


def test_the_urls_cover_several_sizes_and_masks() -> None:
    codes = [reference(url) for url in URLS]
    assert len({code.version for code in codes}) >= 8
    assert len({code.mask for code in codes}) >= 4


@pytest.mark.parametrize("fixed", range(8))
def test_the_mask_is_chosen_from_a_symbol_made_with_any_mask(fixed: int) -> None:
    url = URLS[fixed]
    made = segno.make(url, error="m", micro=False, boost_error=False, mask=fixed)
    assert best_mask(made) == reference(url).mask
