"""Invoice lines and totals: line amounts, the VAT breakdown per rate, the invoice total.

Rounding (the one rule the printed invoice, the sales book and Verifactu must all agree on):

1. Each line's amount (quantity × unit price − discount) is rounded half-up to cents on its own,
   so the amounts printed on the lines add up exactly to the tax bases printed below them.
2. Line amounts are summed per VAT rate (and per exemption) into that rate's tax base; the
   sum of cent amounts needs no rounding.
3. The VAT of a rate is computed once on its summed base and rounded half-up to cents, as the
   invoice shows one "cuota" per rate (and Verifactu's breakdown carries one base and one
   cuota per rate). Rounding VAT line by line instead could drift a cent or more per rate away
   from base × rate, which an inspector would read as a wrong cuota.
4. Total = Σ bases + Σ VAT, again exact.

Physiotherapy by a licensed professional is VAT-exempt (art. 20.Uno.3º Ley 37/1992): such a
line has rate 0 and names its exemption, whose text the invoice prints. Other goods (a product
sold at the desk) carry 21, 10 or 4 %. A rectifying invoice by differences has negative
quantities; the same rules give negative bases, VAT and total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from clinic_billing.domain.money import ZERO, parse_decimal, to_cents
from clinic_shared.errors import FieldError

HUNDRED = Decimal(100)
# The Spanish VAT rates a clinic may charge: general, reduced, super-reduced, and 0 for exempt.
VAT_RATES: frozenset[Decimal] = frozenset({Decimal(21), Decimal(10), Decimal(4), Decimal(0)})
MAX_DESCRIPTION = 500


@dataclass(frozen=True)
class Exemption:
    """Why a line carries no VAT: the Verifactu ``CausaExencion`` code and the printed text."""

    key: str
    code: str  # Verifactu CausaExencion: E1 = art. 20 LIVA
    legal_basis: str
    text_es: str
    text_en: str


HEALTH_CARE = Exemption(
    key="health_care",
    code="E1",
    legal_basis="art. 20.Uno.3º Ley 37/1992",
    text_es=(
        "Operación exenta de IVA en virtud del artículo 20.Uno.3º de la Ley 37/1992, del "
        "Impuesto sobre el Valor Añadido (asistencia sanitaria prestada por profesionales "
        "sanitarios)."
    ),
    text_en=(
        "VAT exempt under article 20.One.3 of Spanish VAT Law 37/1992 (health care provided "
        "by qualified health professionals)."
    ),
)

EXEMPTIONS: dict[str, Exemption] = {e.key: e for e in (HEALTH_CARE,)}


@dataclass(frozen=True)
class InvoiceLine:
    """One line as entered: ``vat_rate`` in percent, ``exemption`` only when the rate is 0."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    discount_percent: Decimal = ZERO
    exemption: Exemption | None = None


@dataclass(frozen=True)
class LineAmount:
    """A line with its rounded amount (the tax base it contributes)."""

    line: InvoiceLine
    amount: Decimal


@dataclass(frozen=True)
class VatBreakdown:
    """One rate (or exemption) of the invoice: its summed base and its VAT."""

    vat_rate: Decimal
    exemption: Exemption | None
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class InvoiceTotals:
    """Everything the invoice prints below its lines."""

    lines: tuple[LineAmount, ...]
    breakdown: tuple[VatBreakdown, ...]
    base: Decimal
    tax: Decimal
    total: Decimal


def make_line(
    description: str,
    quantity: object,
    unit_price: object,
    vat_rate: object,
    discount_percent: object = "0",
    exemption: str | None = None,
    *,
    field: str = "lines.0",
) -> InvoiceLine:
    """A line from client input (strings or ints, never floats), every field checked."""
    line = InvoiceLine(
        description=description.strip(),
        quantity=parse_decimal(quantity, f"{field}.quantity", places=3),
        unit_price=parse_decimal(unit_price, f"{field}.unitPrice", places=2),
        vat_rate=parse_decimal(vat_rate, f"{field}.vatRate", places=2),
        discount_percent=parse_decimal(discount_percent, f"{field}.discountPercent", places=2),
        exemption=_exemption(exemption, f"{field}.exemption"),
    )
    check_line(line, field=field)
    return line


def _exemption(key: str | None, field: str) -> Exemption | None:
    if key is None:
        return None
    if key not in EXEMPTIONS:
        raise FieldError(field, f"unknown exemption; one of {', '.join(sorted(EXEMPTIONS))}")
    return EXEMPTIONS[key]


def check_line(line: InvoiceLine, *, field: str = "lines.0", rectifying: bool = False) -> None:
    """The rules of one line; ``rectifying`` lets the quantity be negative (by differences)."""
    if not line.description.strip():
        raise FieldError(f"{field}.description", "must not be empty")
    if len(line.description) > MAX_DESCRIPTION:
        raise FieldError(f"{field}.description", f"at most {MAX_DESCRIPTION} characters")
    if line.quantity == 0:
        raise FieldError(f"{field}.quantity", "must not be zero")
    if line.quantity < 0 and not rectifying:
        raise FieldError(f"{field}.quantity", "must be positive (only rectifying invoices deduct)")
    if line.unit_price < 0:
        raise FieldError(f"{field}.unitPrice", "must not be negative")
    if not ZERO <= line.discount_percent <= HUNDRED:
        raise FieldError(f"{field}.discountPercent", "must be from 0 to 100")
    if line.vat_rate not in VAT_RATES:
        rates = ", ".join(str(r) for r in sorted(VAT_RATES, reverse=True))
        raise FieldError(f"{field}.vatRate", f"must be one of {rates}")
    if line.vat_rate == 0 and line.exemption is None:
        raise FieldError(f"{field}.exemption", "a line without VAT must name its exemption")
    if line.vat_rate != 0 and line.exemption is not None:
        raise FieldError(f"{field}.exemption", "only a line without VAT is exempt")


def line_amount(line: InvoiceLine) -> Decimal:
    """quantity × unit price less the discount, rounded half-up to cents (rule 1)."""
    gross = line.quantity * line.unit_price
    return to_cents(gross - gross * line.discount_percent / HUNDRED)


def totals(lines: Sequence[InvoiceLine], *, rectifying: bool = False) -> InvoiceTotals:
    """The invoice's line amounts, VAT breakdown (highest rate first) and totals."""
    if not lines:
        raise FieldError("lines", "an invoice needs at least one line")
    for index, line in enumerate(lines):
        check_line(line, field=f"lines.{index}", rectifying=rectifying)
    amounts = tuple(LineAmount(line, line_amount(line)) for line in lines)
    bases: dict[tuple[Decimal, str | None], Decimal] = {}
    exemptions: dict[str, Exemption] = {}
    for item in amounts:
        exemption = item.line.exemption
        key = (item.line.vat_rate, exemption.key if exemption else None)
        if exemption:
            exemptions[exemption.key] = exemption
        bases[key] = bases.get(key, ZERO) + item.amount  # rule 2: cents add up exactly
    breakdown = tuple(
        VatBreakdown(
            vat_rate=rate,
            exemption=exemptions[key] if key else None,
            base=to_cents(base),
            tax=to_cents(base * rate / HUNDRED),  # rule 3: once per rate
        )
        for (rate, key), base in sorted(bases.items(), key=lambda kv: (-kv[0][0], kv[0][1] or ""))
    )
    base = to_cents(sum((b.base for b in breakdown), ZERO))
    tax = to_cents(sum((b.tax for b in breakdown), ZERO))
    return InvoiceTotals(lines=amounts, breakdown=breakdown, base=base, tax=tax, total=base + tax)


def negated(lines: Iterable[InvoiceLine]) -> list[InvoiceLine]:
    """The same lines with their quantities negated: what a full correction deducts."""
    return [replace(line, quantity=-line.quantity) for line in lines]
