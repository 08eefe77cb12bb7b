"""The invoice as a PDF: WeasyPrint over a Jinja2 template, with the Verifactu QR inlined.

``render_invoice_pdf(PrintableInvoice(...))`` is pure apart from WeasyPrint itself: everything
the page shows is in the dataclass, so the route only gathers rows and calls it.

Speed and safety, decided once here rather than per request:

- the Jinja environment is built at import (it caches the compiled template); WeasyPrint's font
  configuration (a Pango font map over fontconfig) and the parsed stylesheet are built once
  per thread, on its first render, since Pango is not safe to share between threads and
  FastAPI runs sync routes in a thread pool. ``bench/billing_pdf.py`` times a warm render.
- the page is laid out with as few boxes as it can (see the template): WeasyPrint is pure
  Python and its time grows with every box and line.
- WeasyPrint fetches nothing on the document's behalf: the template links nothing, and the URL
  fetcher refuses every scheme but ``data:`` (the logo), so a crafted logo SVG or customer
  name cannot make the server fetch a URL or read a file.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

import jinja2
import segno
import weasyprint
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration

from clinic_billing.domain.invoices import Invoice, PaymentMethod, Status
from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import Series
from clinic_billing.domain.rectification import Method, ReasonCode
from clinic_billing.domain.totals import Exemption, InvoiceTotals
from clinic_billing.infrastructure.pdf_text import LANGUAGES, Language, Locale

# Only the image types the settings API accepts for the logo; anything else is left out.
_LOGO = re.compile(r"^data:image/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")
# AEAT: the QR is 30-40 mm wide (Orden HAC/1177/2024 art. 21); the middle leaves margin both ways.
QR_SIZE_MM = 35
# AEAT's legend for invoices of a VERI*FACTU system (art. 20-21); fixed Spanish text in any
# language, as the tax office reads it.
VERIFACTU_LEGEND = "Factura verificable en la sede electrónica de la AEAT"


@dataclass(frozen=True)
class Letterhead:
    """The issuer (clinic settings) as printed at the top and the foot of the page."""

    legal_name: str
    tax_id: str
    address: str
    email: str | None = None
    phone: str | None = None
    logo: str | None = None  # data:image/(png|jpeg|svg+xml);base64,… (else not printed)
    footer: str | None = None


@dataclass(frozen=True)
class Customer:
    """The customer as frozen on the invoice when it was issued."""

    name: str
    tax_id: str | None = None
    address: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PrintedPayment:
    """One payment received against the invoice."""

    paid_on: date
    method: PaymentMethod
    amount: Decimal


@dataclass(frozen=True)
class Rectified:
    """What a rectifying invoice states about the invoice it corrects (RD 1619/2012 art. 15)."""

    number: str
    issued_on: date
    method: Method
    reason_code: ReasonCode
    reason: str
    # By substitution: the corrected invoice's base and VAT (Verifactu ImporteRectificacion).
    base: Decimal | None = None
    tax: Decimal | None = None


@dataclass(frozen=True)
class PrintableInvoice:
    """Everything the invoice PDF shows; checked so a draft can never print a number or QR."""

    issuer: Letterhead
    customer: Customer
    language: Language
    status: Status
    series: Series
    number: str | None  # None while a draft
    issued_on: date | None  # None while a draft
    totals: InvoiceTotals  # the lines with their amounts, the VAT breakdown, base/tax/total
    paid: Decimal = ZERO
    payments: tuple[PrintedPayment, ...] = ()
    rectifies: Rectified | None = None  # required on series R, refused on F and S
    qr_url: str | None = None  # verifactu.qr_url(...) of an issued invoice
    verifactu: bool = True  # a VERI*FACTU system prints AEAT's legend next to the QR
    notes: str | None = None

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        draft = self.status == "draft"
        if draft and (self.number or self.issued_on or self.qr_url or self.payments):
            raise ValueError("a draft has no number, issue date, QR or payments")
        if not draft and (not self.number or self.issued_on is None):
            raise ValueError("an issued invoice prints its number and issue date")
        if (self.series == "R") != (self.rectifies is not None):
            raise ValueError("a rectifying invoice (and only one) names the invoice it corrects")

    @classmethod
    def for_invoice(
        cls,
        invoice: Invoice,
        *,
        issuer: Letterhead,
        customer: Customer,
        language: Language,
        **extra: Any,
    ) -> PrintableInvoice:
        """The printable form of a domain invoice: its status, series, number, date, totals and
        paid amount, then ``extra`` (payments, rectifies, qr_url, notes…; may override those)."""
        values: dict[str, Any] = {
            "status": invoice.status,
            "series": invoice.series,
            "number": str(invoice.number) if invoice.number else None,
            "issued_on": invoice.issued_on,
            "totals": invoice.totals,
            "paid": invoice.paid,
        }
        values.update(extra)
        return cls(issuer=issuer, customer=customer, language=language, **values)

    @property
    def is_draft(self) -> bool:
        """A draft prints BORRADOR/DRAFT, and no number or QR."""
        return self.status == "draft"

    @property
    def balance(self) -> Decimal:
        """Still to pay (negative: to refund, on a rectifying invoice); 0 on a draft."""
        return ZERO if self.is_draft else self.totals.total - self.paid

    @property
    def exemptions(self) -> list[Exemption]:
        """Each exemption of the breakdown once, in breakdown order (its legal text is printed)."""
        seen: dict[str, Exemption] = {}
        for row in self.totals.breakdown:
            if row.exemption is not None:
                seen.setdefault(row.exemption.key, row.exemption)
        return list(seen.values())


def render_invoice_pdf(doc: PrintableInvoice) -> bytes:
    """The invoice as an A4 PDF (bytes)."""
    locale = Locale(doc.language)
    html = _template().render(
        doc=doc,
        L=locale.labels,
        fmt=locale,
        logo=doc.issuer.logo if doc.issuer.logo and _LOGO.match(doc.issuer.logo) else None,
        qr=_qr_svg(doc.qr_url) if doc.qr_url and not doc.is_draft else None,
        qr_mm=QR_SIZE_MM,
        legend=VERIFACTU_LEGEND,
    )
    state = _resources()
    pdf: bytes | None = weasyprint.HTML(string=html, url_fetcher=state.fetcher).write_pdf(
        stylesheets=[state.stylesheet], font_config=state.fonts
    )
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


@functools.lru_cache(maxsize=512)  # the same invoice printed again skips segno's mask search
def _qr_svg(url: str) -> Markup:
    """AEAT's QR as inline SVG: error correction M (not boosted: AEAT asks for M), never Micro
    QR, no border of its own, so the 35 mm box is the symbol itself; the page margin and the
    spacing around the box are its quiet zone."""
    svg = segno.make(url, error="m", micro=False, boost_error=False).svg_inline(
        scale=1, border=0, omitsize=True, svgclass="qr-code", lineclass=None
    )
    return Markup(svg)  # noqa: S704  # segno's own markup: the URL is encoded as modules only


class DataOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # untyped base class
    """Fetches ``data:`` URLs and refuses everything else (http, https, file, ftp…)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not url.lower().startswith("data:"):
            raise ValueError(f"the invoice PDF fetches nothing but data: URLs, not {url[:40]!r}")
        return super().fetch(url, headers)


@dataclass
class _Resources:
    """One thread's WeasyPrint state, reused by every render on that thread."""

    fonts: FontConfiguration
    stylesheet: weasyprint.CSS
    fetcher: DataOnlyFetcher = field(default_factory=DataOnlyFetcher)


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("clinic_billing", "templates"),
    autoescape=True,  # customer names and notes are user input: "Pérez & Hijos" stays text
    undefined=jinja2.StrictUndefined,  # a misspelt label fails the tests, not the printout
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES = files("clinic_billing") / "templates"
_local = threading.local()


def _template() -> jinja2.Template:
    return _ENVIRONMENT.get_template("invoice.html.j2")


def _resources() -> _Resources:
    resources: _Resources | None = getattr(_local, "resources", None)
    if resources is None:
        fonts = FontConfiguration()
        css = (_TEMPLATES / "invoice.css").read_text(encoding="utf-8")
        resources = _Resources(fonts, weasyprint.CSS(string=css, font_config=fonts))
        _local.resources = resources
    return resources


def warm_up() -> None:
    """Build this thread's fonts and stylesheet and compile the template (optional, at startup)."""
    _template()
    _resources()
