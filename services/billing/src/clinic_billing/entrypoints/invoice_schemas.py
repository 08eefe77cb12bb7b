"""Request and response bodies of invoices and payments (camelCase on the wire).

Money, quantities and percentages travel as strings (``"45.00"``); a request may also send an
integer. Pydantic only checks the JSON type here (a float is refused outright); the domain
parses the value, so a wrong one is a 422 naming the field (``lines.0.unitPrice``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BeforeValidator, Field, WithJsonSchema

from clinic_billing.application.invoice_queries import InvoiceView
from clinic_billing.domain.invoices import PaymentMethod, Status
from clinic_billing.domain.money import format_amount
from clinic_billing.domain.numbering import Series
from clinic_billing.domain.rectification import Method, ReasonCode
from clinic_billing.domain.totals import InvoiceLine, make_line
from clinic_shared.schemas import CalendarDate, CamelInput, CamelModel, MultiLine, SingleLine


def _never_a_float(value: object) -> object:
    # JSON numbers with a fraction arrive as floats, already rounded in binary: refuse them.
    if isinstance(value, (bool, float)):
        raise ValueError("send a string or an integer, never a float")
    return str(value) if isinstance(value, int) else value


Number = Annotated[
    str,
    BeforeValidator(_never_a_float),
    Field(max_length=30),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "integer"}],
            "description": 'A decimal as a string ("45.50") or an integer; never a float.',
        }
    ),
]
Notes = Annotated[MultiLine | None, Field(max_length=2000)]
Description = Annotated[SingleLine, Field(min_length=1, max_length=500)]
MAX_LINES = 200


class LineBody(CamelInput):
    """A hand-written line; ``exemption`` (``health_care``) only with a 0 VAT rate."""

    description: Description
    quantity: Number
    unit_price: Number
    discount_percent: Number = "0"
    vat_rate: Number
    exemption: Annotated[str | None, Field(max_length=20)] = None


def domain_lines(lines: list[LineBody]) -> tuple[InvoiceLine, ...]:
    """The body's lines, each value parsed and checked (422 ``lines.<i>.<field>``)."""
    return tuple(
        make_line(
            line.description,
            line.quantity,
            line.unit_price,
            line.vat_rate,
            line.discount_percent,
            line.exemption,
            field=f"lines.{index}",
        )
        for index, line in enumerate(lines)
    )


class InvoiceBody(CamelInput):
    """A draft: the sessions' lines come first, then ``lines`` (POST and PUT alike)."""

    series: Literal["F", "S"]
    customer_id: UUID | None = None
    patient_id: UUID | None = None
    lines: list[LineBody] = Field(default_factory=list, max_length=MAX_LINES)
    session_ids: list[UUID] = Field(default_factory=list, max_length=MAX_LINES)
    notes: Notes = None


class BatchBody(CamelInput):
    """An insurer's monthly invoice."""

    insurer_id: UUID
    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-03"])]


class RectifyBody(CamelInput):
    """How and why; without lines a ``differences`` rectification cancels the invoice."""

    method: Method
    reason_code: ReasonCode
    reason: Annotated[SingleLine, Field(min_length=1, max_length=500)]
    lines: list[LineBody] = Field(default_factory=list, max_length=MAX_LINES)


class PaymentBody(CamelInput):
    """Money received; ``paidOn`` defaults to today (the clinic's)."""

    amount: Number
    method: PaymentMethod
    paid_on: CalendarDate | None = None


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


class CustomerCopy(CamelModel):
    """The recipient as printed on the invoice (frozen at issue)."""

    name: str
    tax_id: str | None
    address: str | None
    email: str | None


class LinePublic(CamelModel):
    """A line with its amount."""

    description: str
    quantity: str
    unit_price: str
    discount_percent: str
    vat_rate: str
    exemption: str | None
    amount: str
    session_id: UUID | None


class BreakdownPublic(CamelModel):
    """One VAT rate (or exemption) of the invoice."""

    vat_rate: str
    exemption: str | None
    exemption_text: str | None
    base: str
    tax: str


class RectifiesPublic(CamelModel):
    """The invoice a rectifying one corrects."""

    id: UUID
    number: str | None
    issued_on: CalendarDate | None


class RectifiedByPublic(CamelModel):
    """A rectifying invoice of this one."""

    id: UUID
    number: str | None


class RectificationPublic(CamelModel):
    """How and why a rectifying invoice corrects its original."""

    method: Method
    reason_code: ReasonCode
    reason: str


class PaymentPublic(CamelModel):
    """A payment received."""

    id: UUID
    amount: str
    method: PaymentMethod
    paid_on: CalendarDate


class VerifactuPublic(CamelModel):
    """The Verifactu record's hash and the QR's URL."""

    hash: str
    qr_url: str


class InvoiceSummary(CamelModel):
    """An invoice as lists show it (no lines, payments or breakdown)."""

    id: UUID
    series: Series
    number: str | None
    status: Status
    customer_id: UUID | None
    patient_id: UUID | None
    customer: CustomerCopy
    language: str
    issued_on: CalendarDate | None
    notes: str | None
    base: str
    tax: str
    total: str
    paid: str
    balance: str
    rectifies: RectifiesPublic | None
    rectification: RectificationPublic | None
    rectified_by: list[RectifiedByPublic]
    verifactu: VerifactuPublic | None
    version: int

    @classmethod
    def fields_of(cls, view: InvoiceView) -> dict[str, object]:
        """The summary's fields of ``view``."""
        record = view.record
        info = record.rectification
        return {
            "id": record.id,
            "series": record.series,
            "number": str(record.number) if record.number else None,
            "status": record.status,
            "customer_id": record.customer_id,
            "patient_id": record.patient_id,
            "customer": CustomerCopy.model_validate(record.customer),
            "language": record.language,
            "issued_on": record.issued_on,
            "notes": record.notes,
            "base": format_amount(record.base),
            "tax": format_amount(record.tax),
            "total": format_amount(record.total),
            "paid": format_amount(record.paid),
            "balance": format_amount(record.balance),
            "rectifies": RectifiesPublic.model_validate(view.rectifies) if view.rectifies else None,
            "rectification": RectificationPublic.model_validate(info) if info else None,
            "rectified_by": [RectifiedByPublic.model_validate(r) for r in view.rectified_by],
            "verifactu": VerifactuPublic.model_validate(view.verifactu) if view.verifactu else None,
            "version": record.version,
        }

    @classmethod
    def of(cls, view: InvoiceView) -> InvoiceSummary:
        """The list member of ``view``."""
        return cls.model_validate(cls.fields_of(view))


class InvoicePublic(InvoiceSummary):
    """An invoice in full."""

    lines: list[LinePublic]
    breakdown: list[BreakdownPublic]
    payments: list[PaymentPublic]

    @classmethod
    def of(cls, view: InvoiceView) -> InvoicePublic:
        """The full invoice of ``view`` (its totals computed)."""
        assert view.totals is not None
        english = view.record.language == "en"
        lines = [
            LinePublic(
                description=item.line.description,
                quantity=f"{item.line.quantity.quantize(Decimal('0.001')):f}",
                unit_price=format_amount(item.line.unit_price),
                discount_percent=_percent(item.line.discount_percent),
                vat_rate=_percent(item.line.vat_rate),
                exemption=item.line.exemption.key if item.line.exemption else None,
                amount=format_amount(item.amount),
                session_id=item.session_id,
            )
            for item in view.record.lines
        ]
        breakdown = [
            BreakdownPublic(
                vat_rate=_percent(rate.vat_rate),
                exemption=rate.exemption.key if rate.exemption else None,
                exemption_text=(rate.exemption.text_en if english else rate.exemption.text_es)
                if rate.exemption
                else None,
                base=format_amount(rate.base),
                tax=format_amount(rate.tax),
            )
            for rate in view.totals.breakdown
        ]
        payments = [
            PaymentPublic(
                id=p.id, amount=format_amount(p.amount), method=p.method, paid_on=p.paid_on
            )
            for p in view.payments
        ]
        fields = {**cls.fields_of(view), "lines": lines, "breakdown": breakdown}
        return cls.model_validate({**fields, "payments": payments})
