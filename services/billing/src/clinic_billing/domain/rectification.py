"""Rectifying invoices (RD 1619/2012 art. 15): the only way to correct or cancel an issued one.

A rectifying invoice is issued in its own series (R), names the invoice it corrects (number and
issue date, art. 15.5 with art. 6.1.a) and why, and is one of two kinds (Verifactu
``TipoRectificativa``):

- by substitution (``S``): it carries the corrected lines in full and replaces the original;
  it also states the original's base and VAT (Verifactu ``ImporteRectificacion``);
- by differences (``I``): it carries only what changes. Here that is the original lines with
  negated quantities followed by the corrected lines, so every amount is traceable and the net
  is corrected − original (negative when the correction lowers the bill). A full cancellation
  is differences with no corrected lines: the original, negated.

The Verifactu invoice type says why (``TipoFactura``): R1 error in law or art. 80.Uno, Dos and
Seis LIVA; R2 art. 80.Tres (insolvency proceedings); R3 art. 80.Cuatro (bad debts); R4 any
other cause; R5 the rectification of a simplified invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from clinic_billing.domain.invoices import Invoice, new_draft
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.totals import InvoiceLine, negated
from clinic_shared.errors import ConflictError, FieldError

Method = Literal["substitution", "differences"]
ReasonCode = Literal["R1", "R2", "R3", "R4", "R5"]

METHODS: dict[Method, str] = {"substitution": "S", "differences": "I"}  # TipoRectificativa
REASON_CODES: dict[ReasonCode, str] = {
    "R1": "error fundado en derecho y art. 80 Uno, Dos y Seis LIVA",
    "R2": "art. 80 Tres LIVA (concurso de acreedores)",
    "R3": "art. 80 Cuatro LIVA (créditos incobrables)",
    "R4": "resto de causas",
    "R5": "rectificación de factura simplificada",
}
MAX_REASON = 500


@dataclass(frozen=True)
class RectifiedInvoice:
    """What a rectifying invoice must state about the one it corrects."""

    number: InvoiceNumber
    issued_on: date
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Rectification:
    """A rectifying draft (series R) and what it says about the original."""

    invoice: Invoice
    rectifies: RectifiedInvoice
    method: Method
    reason_code: ReasonCode
    reason: str

    @property
    def verifactu_kind(self) -> str:
        """Verifactu ``TipoRectificativa``: S (substitution) or I (differences)."""
        return METHODS[self.method]

    @property
    def net_change(self) -> Decimal:
        """How much the customer's debt changes: corrected total − original total."""
        total = self.invoice.totals.total
        if self.method == "substitution":
            return total - (self.rectifies.base + self.rectifies.tax)
        return total


def rectify(
    original: Invoice,
    *,
    method: Method,
    reason_code: ReasonCode,
    reason: str,
    corrected_lines: Sequence[InvoiceLine] = (),
) -> Rectification:
    """A rectifying draft for ``original``; no corrected lines = cancel it in full.

    409 when the original was never issued (a draft is edited instead); 422 naming the field
    for an unknown method or reason, a missing reason, or a correction that changes nothing.
    """
    if original.status == "draft" or original.number is None or original.issued_on is None:
        raise ConflictError("a draft is edited, not rectified")
    if method not in METHODS:
        raise FieldError("method", "must be substitution or differences")
    if reason_code not in REASON_CODES:
        raise FieldError("reasonCode", f"must be one of {', '.join(REASON_CODES)}")
    if (reason_code == "R5") != (original.series == "S"):
        raise FieldError("reasonCode", "R5 is for simplified invoices, and only for them")
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "say why the invoice is rectified")
    if len(reason) > MAX_REASON:
        raise FieldError("reason", f"at most {MAX_REASON} characters")
    if method == "substitution" and not corrected_lines:
        raise FieldError("lines", "a substitution carries the corrected lines")
    if method == "substitution":
        lines = list(corrected_lines)
    else:
        lines = negated(original.lines) + list(corrected_lines)
    original_totals = original.totals
    draft = new_draft("R", lines, original.recipient_tax_id)
    rectification = Rectification(
        invoice=draft,
        rectifies=RectifiedInvoice(
            original.number, original.issued_on, original_totals.base, original_totals.tax
        ),
        method=method,
        reason_code=reason_code,
        reason=reason,
    )
    if corrected_lines and rectification.net_change == 0 and _same_lines(original, lines, method):
        raise FieldError("lines", "the correction changes nothing")
    return rectification


def _same_lines(original: Invoice, lines: Sequence[InvoiceLine], method: Method) -> bool:
    corrected = lines if method == "substitution" else lines[len(original.lines) :]
    return tuple(corrected) == original.lines
