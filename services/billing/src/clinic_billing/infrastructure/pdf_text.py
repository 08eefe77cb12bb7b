"""What the invoice PDF says and how it writes numbers, in Spanish or English.

Amounts are formatted from the ``Decimal`` itself (never through float) and without the
process locale (``locale.setlocale`` is global and not thread-safe): Spanish writes
``1.234,56 €``, English ``€1,234.56``. Spanish dates are ``dd/mm/yyyy``; English ones spell the
month (``2 Mar 2026``), because ``02/03/2026`` reads as February 3 to an American reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from clinic_billing.domain.money import to_cents

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = ("es", "en")

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip

_SWAP_SEPARATORS = str.maketrans(",.", ".,")

LABELS: dict[Language, dict[str, str]] = {
    "es": {
        "title_F": "FACTURA",
        "title_S": "FACTURA SIMPLIFICADA",
        "title_R": "FACTURA RECTIFICATIVA",
        "draft": "BORRADOR",
        "draft_note": "Borrador sin número ni validez fiscal",
        "number": "Número",
        "issued_on": "Fecha de expedición",
        "tax_id": "NIF",
        "customer": "Cliente",
        "description": "Concepto",
        "quantity": "Cant.",
        "unit_price": "Precio unit.",
        "discount": "Dto.",
        "vat": "IVA",
        "amount": "Importe",
        "exempt": "Exento",
        "breakdown": "Desglose de IVA",
        "base": "Base imponible",
        "rate": "Tipo",
        "tax": "Cuota",
        "tax_total": "Total IVA",
        "total": "TOTAL",
        "payment_status": "Estado del pago",
        "paid": "Pagado",
        "outstanding": "Pendiente de pago",
        "refund": "A devolver",
        "payments": "Pagos recibidos",
        "paid_on": "Fecha",
        "method": "Forma de pago",
        "rectifies": "Rectifica la factura {number} de {date}",
        "rectification_method": "Rectificación",
        "reason": "Motivo",
        "rectified_amounts": "Base y cuota de la factura rectificada: {base} y {tax}",
        "notes": "Observaciones",
        "page": "Página",
        "of": "de",
        "status_draft": "Borrador",
        "status_issued": "Pendiente de pago",
        "status_partially_paid": "Pagada parcialmente",
        "status_paid": "Pagada",
        "method_cash": "Efectivo",
        "method_card": "Tarjeta",
        "method_transfer": "Transferencia",
        "method_bizum": "Bizum",
        "method_insurer": "Aseguradora",
        "by_substitution": "por sustitución",
        "by_differences": "por diferencias",
        "R1": "error fundado en derecho y art. 80 Uno, Dos y Seis LIVA",
        "R2": "art. 80 Tres LIVA (concurso de acreedores)",
        "R3": "art. 80 Cuatro LIVA (créditos incobrables)",
        "R4": "resto de causas",
        "R5": "rectificación de factura simplificada",
    },
    "en": {
        "title_F": "INVOICE",
        "title_S": "SIMPLIFIED INVOICE",
        "title_R": "CORRECTIVE INVOICE",
        "draft": "DRAFT",
        "draft_note": "Draft: no number, not a valid invoice",
        "number": "Number",
        "issued_on": "Issue date",
        "tax_id": "Tax ID",
        "customer": "Bill to",
        "description": "Description",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "discount": "Disc.",
        "vat": "VAT",
        "amount": "Amount",
        "exempt": "Exempt",
        "breakdown": "VAT breakdown",
        "base": "Taxable base",
        "rate": "Rate",
        "tax": "VAT",
        "tax_total": "Total VAT",
        "total": "TOTAL",
        "payment_status": "Payment status",
        "paid": "Paid",
        "outstanding": "Outstanding",
        "refund": "To be refunded",
        "payments": "Payments received",
        "paid_on": "Date",
        "method": "Method",
        "rectifies": "Corrects invoice {number} of {date}",
        "rectification_method": "Correction",
        "reason": "Reason",
        "rectified_amounts": "Base and VAT of the corrected invoice: {base} and {tax}",
        "notes": "Notes",
        "page": "Page",
        "of": "of",
        "status_draft": "Draft",
        "status_issued": "Unpaid",
        "status_partially_paid": "Partly paid",
        "status_paid": "Paid",
        "method_cash": "Cash",
        "method_card": "Card",
        "method_transfer": "Bank transfer",
        "method_bizum": "Bizum",
        "method_insurer": "Insurer",
        "by_substitution": "by substitution",
        "by_differences": "by differences",
        "R1": "error based on law and art. 80 One, Two and Six of the VAT Law",
        "R2": "art. 80 Three of the VAT Law (insolvency proceedings)",
        "R3": "art. 80 Four of the VAT Law (bad debts)",
        "R4": "other causes",
        "R5": "correction of a simplified invoice",
    },
}


@dataclass(frozen=True)
class Locale:
    """Labels and number/date formats of one language, as the template calls them."""

    language: Language

    @property
    def labels(self) -> dict[str, str]:
        """Every label of this language (the template reads ``L.total``)."""
        return LABELS[self.language]

    def amount(self, value: Decimal) -> str:
        """``1.234,56 €`` / ``€1,234.56``; a negative amount keeps its sign in front."""
        cents = to_cents(value)
        sign = "-" if cents < 0 else ""
        english = f"{abs(cents):,.2f}"  # Decimal formats exactly, no float involved
        if self.language == "en":
            return f"{sign}€{english}"
        return f"{sign}{_spanish_digits(english)} €"

    def date(self, value: date) -> str:
        """``02/03/2026`` / ``2 Mar 2026``."""
        if self.language == "en":
            return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
        return value.strftime("%d/%m/%Y")

    def number(self, value: Decimal) -> str:
        """A quantity without trailing zeros: ``1``, ``1,5`` / ``1.5``."""
        text = f"{value.normalize():f}"
        return text.replace(".", ",") if self.language == "es" else text

    def percent(self, value: Decimal) -> str:
        """``21 %`` (Spanish spaces the sign, RAE) / ``21%``."""
        digits = self.number(value)
        return f"{digits} %" if self.language == "es" else f"{digits}%"


def _spanish_digits(english: str) -> str:
    """``1,234.56`` → ``1.234,56`` (swap the separators in one pass)."""
    return english.translate(_SWAP_SEPARATORS)
