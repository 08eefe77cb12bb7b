"""Exact decimals on both backends: money and quantities stored as scaled integers.

SQLite has no exact DECIMAL (SQLAlchemy stores ``Numeric`` there as a float and warns), and
the embedded default must keep cents as exactly as MariaDB does, so a ``Decimal`` is stored as
an integer count of its smallest unit (cents for money, thousandths for quantities). ``SUM``
over such a column is an exact integer on both backends and comes back as a ``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` with ``places`` decimals kept as ``value × 10**places`` in a BIGINT."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._unit = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimals")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) * self._unit).quantize(self._unit)


def Money() -> ScaledDecimal:  # noqa: N802 - reads as a column type, like String(10)
    """Euros with cents."""
    return ScaledDecimal(2)


def Quantity() -> ScaledDecimal:  # noqa: N802
    """Quantities with up to three decimals (0.5 sessions, 1.250 kg)."""
    return ScaledDecimal(3)


def Percent() -> ScaledDecimal:  # noqa: N802
    """VAT rates and discounts in percent, two decimals."""
    return ScaledDecimal(2)
