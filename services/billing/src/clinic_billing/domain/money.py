"""Money: ``Decimal`` euros, rounded half-up to cents, parsed without ever passing through float.

A float cannot hold 0.10 exactly, so an amount that went through one may round the wrong way
(``round(2.675, 2) == 2.67``). Amounts therefore arrive as strings, ints or ``Decimal`` and a
float is refused outright. Rounding is ROUND_HALF_UP, the "redondeo comercial" Spanish invoices
use (0.005 → 0.01), which for negative amounts rounds away from zero too (-0.005 → -0.01), so
a rectifying invoice mirrors the original cent for cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from clinic_shared.errors import FieldError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Far above any clinic's invoice; it keeps absurd inputs out of the arithmetic and the columns.
MAX_AMOUNT = Decimal("99999999.99")


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to cents; a negative zero comes back as plain 0.00."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return ZERO if rounded == 0 else rounded


def parse_decimal(value: object, field: str, *, places: int = 2) -> Decimal:
    """A finite ``Decimal`` from a string, an int or a Decimal with at most ``places`` decimals.

    Floats (and bools, which are ints to Python) are refused: 422 naming ``field``.
    """
    if isinstance(value, (bool, float)):
        raise FieldError(field, "send the amount as a string or an integer, never a float")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise FieldError(field, "is not a number") from None
    else:
        raise FieldError(field, "is not a number")
    if not number.is_finite():
        raise FieldError(field, "is not a number")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an int exponent
    if exponent < -places and number != number.quantize(Decimal(1).scaleb(-places)):
        raise FieldError(field, f"has more than {places} decimals")
    if abs(number) > MAX_AMOUNT:
        raise FieldError(field, f"must be at most {MAX_AMOUNT}")
    return number


def parse_amount(value: object, field: str) -> Decimal:
    """An amount in euros with at most two decimals, as a cent-exact ``Decimal``."""
    return to_cents(parse_decimal(value, field, places=2))


def format_amount(amount: Decimal) -> str:
    """Two decimals, a point, no thousands separator: ``1234.50`` (Verifactu and the QR)."""
    return f"{to_cents(amount):.2f}"
