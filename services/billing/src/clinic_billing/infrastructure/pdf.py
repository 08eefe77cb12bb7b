"""The invoice as a PDF: WeasyPrint over a Jinja2 template, with the Verifactu QR inlined.

``render_invoice_pdf(PrintableInvoice(...))`` is pure apart from WeasyPrint itself: everything
the page shows is in the dataclass, so the route only gathers rows and calls it.

Speed and safety, decided once here rather than per request (``bench/billing_pdf.py`` times a
warm render; what each choice saved is in docs/billing.md, "The invoice PDF"):

- the Jinja environment is built at import (it caches the compiled template); WeasyPrint's font
  configuration (a Pango font map over fontconfig) and the parsed stylesheets are built once
  per thread, on its first render, since Pango is not safe to share between threads and
  FastAPI runs sync routes in a thread pool.
- the page is laid out with as few boxes as it can (see the template): WeasyPrint is pure
  Python and its time grows with every box and line. The markup has no blank text between
  tags (each would be a box to build and throw away), and the discount column is printed
  only when a line has a discount.
- WeasyPrint's own user-agent stylesheet (every HTML element, forms, ``::marker`` and the
  footnote pseudo-elements, which it styles for every element of the page) is replaced by
  ``templates/ua.css``, the few rules this template needs.
- the QR is a PNG of one pixel per module, drawn without smoothing, not an SVG that WeasyPrint
  would parse and draw path by path; segno's symbol, with the mask chosen faster
  (``pdf_qr.py``).
- the logo is shrunk to its printed size and laid on white once per process
  (``_printable_logo``); the logo and the QR reach WeasyPrint by name, from memory, rather
  than as ``data:`` URLs in the markup, which its HTML parser reads character by character.
- WeasyPrint fetches nothing on the document's behalf: the template links nothing but the
  page's own two images, and the URL fetcher refuses every scheme but ``data:`` and those, so
  a crafted logo SVG or customer name cannot make the server fetch a URL or read a file.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

import jinja2
import weasyprint
from PIL import Image, ImageOps  # WeasyPrint's own image library
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from clinic_billing.domain.invoices import Invoice, PaymentMethod, Status
from clinic_billing.domain.money import ZERO
from clinic_billing.domain.numbering import Series
from clinic_billing.domain.rectification import Method, ReasonCode
from clinic_billing.domain.totals import Exemption, InvoiceTotals
from clinic_billing.infrastructure.pdf_qr import make_qr
from clinic_billing.infrastructure.pdf_text import LANGUAGES, Language, Locale

# Only the image types the settings API accepts for the logo; anything else is left out.
_LOGO = re.compile(r"^data:image/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")
# The logo's box (invoice.css: max 55 x 16 mm) at 300 dpi: a larger bitmap prints no better.
_LOGO_PIXELS = (650, 189)
_MAX_SOURCE_PIXELS = 40_000_000  # a 256 KB PNG can inflate to gigabytes: not a letterhead
_LOG = logging.getLogger(__name__)
# WeasyPrint logs each of a render's seven steps at INFO ("Step 1 - Fetching and parsing HTML"):
# seven lines per PDF in the service's log that tell an operator nothing. Its warnings (a
# style it cannot apply, an image it could not load) still reach the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# The page's own images (the QR, the logo) are fetched by name from memory, not inlined as
# data: URLs: the HTML parser reads a data: URL character by character (ms per 100 KB).
IMAGE_SCHEME = "clinic-image:"
# AEAT: the QR is 30-40 mm wide (Orden HAC/1177/2024 art. 21); the middle leaves margin both ways.
QR_SIZE_MM = 35
# Blank text between two tags: nothing on the page, a box for WeasyPrint to build and drop.
_BETWEEN_TAGS = re.compile(r">\s+<")
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
    images: dict[str, _Image] = {}
    if doc.qr_url and not doc.is_draft:
        images["qr"] = _Image(_qr_png(doc.qr_url), "image/png")
    logo = _printable_logo(doc.issuer.logo) if doc.issuer.logo else None
    if logo is not None:
        images["logo"] = logo
    locale = Locale(doc.language)
    html = _template().render(
        doc=doc,
        L=locale.labels,
        fmt=locale,
        logo=IMAGE_SCHEME + "logo" if logo else None,
        qr=IMAGE_SCHEME + "qr" if "qr" in images else None,
        qr_mm=QR_SIZE_MM,
        legend=VERIFACTU_LEGEND,
        discounts=any(item.line.discount_percent for item in doc.totals.lines),
    )
    # Autoescaping writes every ">" and "<" of the data as "&gt;" and "&lt;": only markup of
    # the template itself is joined.
    html = _BETWEEN_TAGS.sub("><", html)
    state = _resources()
    page = _InvoiceHTML(string=html, url_fetcher=DataOnlyFetcher(images))
    pdf: bytes | None = page.write_pdf(stylesheets=[state.stylesheet], font_config=state.fonts)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


@dataclass(frozen=True)
class _Image:
    """An image of the page, served to WeasyPrint as ``clinic-image:<name>``."""

    data: bytes
    media_type: str


@functools.lru_cache(maxsize=512)  # the same invoice printed again skips the QR's encoding
def _qr_png(url: str) -> bytes:
    """AEAT's QR as a PNG of one pixel per module: error correction M (not boosted: AEAT asks
    for M), never Micro QR, no border of its own, so the 35 mm box is the symbol itself; the
    page margin and the spacing around the box are its quiet zone. The page scales it up
    without smoothing (``image-rendering: pixelated``), so modules stay sharp squares."""
    png = io.BytesIO()
    make_qr(url).save(png, kind="png", scale=1, border=0)
    return png.getvalue()


@functools.lru_cache(maxsize=4)  # the clinic's logo: the same string on every invoice
def _printable_logo(logo: str) -> _Image | None:
    """The logo as the page prints it, prepared once per process rather than on each render.

    WeasyPrint decodes a PNG logo on every render, splits its transparency into a second
    image and compresses both again, at whatever size it was uploaded. A bitmap is shrunk here
    to its printed box at 300 dpi and laid on white (the page it is printed on), so what is
    left per render is one small opaque PNG. An SVG logo is printed as it is (vector);
    anything else not at all.
    """
    match = _LOGO.match(logo)
    if match is None:
        return None
    try:
        data = base64.b64decode(logo.split(",", 1)[1])
        if match.group(1) == "svg+xml":
            return _Image(data, "image/svg+xml")
        source = Image.open(io.BytesIO(data))
        if source.width * source.height > _MAX_SOURCE_PIXELS:
            raise ValueError(f"{source.width} x {source.height} pixels")
        if source.format == "JPEG":
            source.draft("RGB", _LOGO_PIXELS)  # decode a large JPEG at a fraction of its size
        # Turned as its EXIF orientation says, as WeasyPrint would (image-orientation).
        image = ImageOps.exif_transpose(source).convert("RGBA")
        image.thumbnail(_LOGO_PIXELS, Image.Resampling.LANCZOS)
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        png = io.BytesIO()
        flat.save(png, "PNG")
    except (OSError, ValueError, Image.DecompressionBombError) as error:  # binascii, PIL errors
        _LOG.warning("the clinic's logo is not printed: %s", error)
        return None
    return _Image(png.getvalue(), "image/png")


class _InvoiceHTML(weasyprint.HTML):  # type: ignore[misc]  # untyped base class
    """The invoice's HTML with ``templates/ua.css`` as its user-agent stylesheet.

    WeasyPrint's own (``html5_ua.css``) styles ``::marker`` and five footnote and note
    pseudo-elements for every element of the page: ~700 computed styles per invoice that
    nothing uses (a fifteenth of the whole render). Overriding this (undocumented) hook is
    safe both ways: should a WeasyPrint upgrade drop it, its stylesheet applies again, and the
    invoice's own stylesheet sets everything the page relies on.
    """

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        return [_user_agent_stylesheet()]


@functools.cache
def _user_agent_stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(string=(_TEMPLATES / "ua.css").read_text(encoding="utf-8"))


class DataOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # untyped base class
    """Fetches ``data:`` URLs and the page's own images (``clinic-image:<name>``, from
    memory), and refuses everything else (http, https, file, ftp…)."""

    def __init__(self, images: Mapping[str, _Image] | None = None) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self._images = dict(images or {})

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if url.startswith(IMAGE_SCHEME):
            image = self._images.get(url.removeprefix(IMAGE_SCHEME))
            if image is None:
                raise ValueError(f"the invoice has no image {url!r}")
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})
        if not url.lower().startswith("data:"):
            raise ValueError(f"the invoice PDF fetches nothing but data: URLs, not {url[:40]!r}")
        return super().fetch(url, headers)


@dataclass
class _Resources:
    """One thread's WeasyPrint state, reused by every render on that thread."""

    fonts: FontConfiguration
    stylesheet: weasyprint.CSS


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
    """Build this thread's fonts and stylesheets and compile the template (optional, at
    startup)."""
    _template()
    _user_agent_stylesheet()
    _resources()
