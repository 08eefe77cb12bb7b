"""The invoice PDF, read back: its text with pypdf, its QR decoded from the rendered page."""

from __future__ import annotations

import base64
import io
import logging
import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdfium2
import pytest
import weasyprint
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from clinic_billing.domain.invoices import Invoice, issued, new_draft
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.rectification import rectify
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_billing.domain.verifactu import qr_url
from clinic_billing.infrastructure.pdf import (
    Customer,
    DataOnlyFetcher,
    Letterhead,
    PrintableInvoice,
    PrintedPayment,
    Rectified,
    render_invoice_pdf,
)
from clinic_billing.infrastructure.pdf_text import Locale

D = Decimal
DPI = 300
ISSUED_ON = date(2026, 3, 2)
NUMBER = re.compile(r"\b[FSR]\d{10}\b")
ISSUER = Letterhead(
    legal_name="Fisioterapia Demo, S.L.",
    tax_id="B12345674",
    address="Calle de Alcalá 120, 28009 Madrid",
    email="facturas@fisio-demo.example.es",
    phone="+34 910 000 000",
    footer="Inscrita en el Registro Mercantil de Madrid.",
)
CUSTOMER = Customer(
    name="José Pérez & Hijos, S.L.",
    tax_id="12345678Z",
    address="Calle Mayor 1, 3º B\n28013 Madrid",
    email="jose@example.es",
)


def session(description: str = "Sesión de fisioterapia", price: str = "40.00") -> InvoiceLine:
    return InvoiceLine(description, D(1), D(price), D(0), D(0), HEALTH_CARE)


def product(price: str = "1000.00", quantity: str = "1") -> InvoiceLine:
    return InvoiceLine("Banda elástica de resistencia", D(quantity), D(price), D(21))


def issued_invoice(*lines: InvoiceLine, series: str = "F", sequence: int = 1) -> Invoice:
    draft = new_draft(series, list(lines) or [session(), product()], "12345678Z")  # type: ignore[arg-type]
    return issued(draft, InvoiceNumber(series, 2026, sequence), ISSUED_ON)  # type: ignore[arg-type]


def printable(invoice: Invoice, language: str = "es", **extra: object) -> PrintableInvoice:
    url = (
        qr_url(ISSUER.tax_id, str(invoice.number), ISSUED_ON, invoice.totals.total)
        if invoice.number
        else None
    )
    values: dict[str, object] = {"qr_url": url, **extra}
    return PrintableInvoice.for_invoice(
        invoice,
        issuer=ISSUER,
        customer=CUSTOMER,
        language=language,  # type: ignore[arg-type]
        **values,
    )


def text_of(pdf: bytes) -> list[str]:
    """Each page's text, with runs of blanks folded (pypdf spaces table cells loosely)."""
    return [
        re.sub(r"[ \t\xa0]+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def page_image(pdf: bytes, index: int = 0) -> Image.Image:
    image: Image.Image = pypdfium2.PdfDocument(pdf)[index].render(scale=DPI / 72).to_pil()
    return image


def side_mm(barcode: zxingcpp.Barcode) -> float:
    """The decoded symbol's width in millimetres on paper (corners found at 300 dpi)."""
    left, right = barcode.position.top_left, barcode.position.top_right
    return math.dist((left.x, left.y), (right.x, right.y)) / DPI * 25.4


@pytest.fixture(scope="module")
def invoice() -> Invoice:
    return issued_invoice()


@pytest.fixture(scope="module")
def issued_pdf(invoice: Invoice) -> bytes:
    paid = D("500.00")
    doc = printable(
        replace(invoice, paid=paid, status="partially_paid"),
        payments=(PrintedPayment(date(2026, 3, 3), "card", paid),),
    )
    return render_invoice_pdf(doc)


def test_issued_invoice_prints_number_parties_lines_and_totals(issued_pdf: bytes) -> None:
    [text] = text_of(issued_pdf)
    assert "FACTURA" in text
    assert "F2026000001" in text
    assert "02/03/2026" in text
    assert "Fisioterapia Demo, S.L." in text
    assert "NIF B12345674" in text
    assert "José Pérez & Hijos, S.L." in text
    assert "NIF 12345678Z" in text
    assert "Sesión de fisioterapia" in text
    assert "Banda elástica de resistencia" in text
    # 40 + 1000 base, 21 % of 1000 = 210 VAT, 1250 total, 500 paid, 750 outstanding.
    assert "1.040,00 €" in text
    assert "210,00 €" in text
    assert "1.250,00 €" in text
    assert "Pagado 500,00 €" in text
    assert "Pendiente de pago 750,00 €" in text
    assert "03/03/2026 Tarjeta 500,00 €" in text
    assert "Pagada parcialmente" in text
    assert "BORRADOR" not in text


def test_an_exempt_line_prints_the_exemption_text(issued_pdf: bytes) -> None:
    [text] = text_of(issued_pdf)
    flat = " ".join(text.split())  # the legal text wraps over several lines
    assert " ".join(HEALTH_CARE.text_es.split()) in flat
    assert "Exento" in text
    assert "0 % (exento)" in text


def test_the_qr_is_aeats_url_exactly_and_35_mm_wide(issued_pdf: bytes, invoice: Invoice) -> None:
    barcodes = zxingcpp.read_barcodes(page_image(issued_pdf))
    assert len(barcodes) == 1
    [barcode] = barcodes
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode  # not Micro QR
    assert barcode.ec_level == "M"
    assert barcode.text == qr_url("B12345674", "F2026000001", ISSUED_ON, invoice.totals.total)
    assert barcode.text.endswith("importe=1250.00")
    assert 30 <= side_mm(barcode) <= 40
    assert side_mm(barcode) == pytest.approx(35, abs=0.5)


def test_the_qr_carries_aeats_legend(issued_pdf: bytes) -> None:
    [text] = text_of(issued_pdf)
    assert "VERI*FACTU" in text
    assert "Factura verificable en la sede electrónica de la AEAT" in " ".join(text.split())


def test_outside_verifactu_the_qr_prints_without_the_legend(invoice: Invoice) -> None:
    [text] = text_of(render_invoice_pdf(printable(invoice, verifactu=False)))
    assert "VERI*FACTU" not in text
    assert "verificable" not in text


def test_english_invoice_uses_english_labels_and_formats() -> None:
    invoice = issued_invoice(session(price="1234.56"))
    pdf = render_invoice_pdf(printable(invoice, language="en"))
    [text] = text_of(pdf)
    assert "INVOICE" in text
    assert "FACTURA" not in text
    assert "F2026000001" in text
    assert "2 Mar 2026" in text
    assert "BILL TO" in text  # h2 is upper-cased by the stylesheet
    assert "Tax ID 12345678Z" in text
    assert "€1,234.56" in text
    assert "Outstanding €1,234.56" in text
    assert " ".join(HEALTH_CARE.text_en.split()) in " ".join(text.split())
    # AEAT's legend is Spanish whatever the invoice's language.
    assert "Factura verificable en la sede electrónica de la AEAT" in " ".join(text.split())
    [barcode] = zxingcpp.read_barcodes(page_image(pdf))
    assert barcode.text == qr_url("B12345674", "F2026000001", ISSUED_ON, D("1234.56"))


def test_a_draft_is_marked_and_has_no_number_or_qr() -> None:
    draft = new_draft("F", [session(), product()], "12345678Z")
    pdf = render_invoice_pdf(printable(draft))
    [text] = text_of(pdf)
    assert "BORRADOR" in text
    assert not NUMBER.search(text)
    assert "VERI*FACTU" not in text
    assert "Pagado" not in text  # nothing is owed before it is issued
    assert "1.250,00 €" in text
    assert zxingcpp.read_barcodes(page_image(pdf)) == []


def test_an_english_draft_says_draft() -> None:
    draft = new_draft("F", [session()], "12345678Z")
    [text] = text_of(render_invoice_pdf(printable(draft, language="en")))
    assert "DRAFT" in text
    assert not NUMBER.search(text)


def test_a_rectifying_invoice_names_the_one_it_corrects() -> None:
    original = issued_invoice(session())
    rectification = rectify(
        original, method="differences", reason_code="R4", reason="Sesión cobrada dos veces"
    )
    corrective = issued(rectification.invoice, InvoiceNumber("R", 2026, 1), date(2026, 3, 9))
    doc = PrintableInvoice.for_invoice(
        corrective,
        issuer=ISSUER,
        customer=CUSTOMER,
        language="es",
        rectifies=Rectified(
            number=str(original.number),
            issued_on=ISSUED_ON,
            method=rectification.method,
            reason_code=rectification.reason_code,
            reason=rectification.reason,
        ),
        qr_url=qr_url("B12345674", "R2026000001", date(2026, 3, 9), corrective.totals.total),
    )
    pdf = render_invoice_pdf(doc)
    [text] = text_of(pdf)
    assert "FACTURA RECTIFICATIVA" in text
    assert "R2026000001" in text
    assert "Rectifica la factura F2026000001 de 02/03/2026" in text
    assert "Rectificación por diferencias" in text
    assert "R4, resto de causas): Sesión cobrada dos veces" in text
    assert "-40,00 €" in text
    assert "A devolver 40,00 €" in text
    assert "Pendiente" not in text
    [barcode] = zxingcpp.read_barcodes(page_image(pdf))
    assert barcode.text.endswith("numserie=R2026000001&fecha=09-03-2026&importe=-40.00")


def test_a_simplified_invoice_says_so() -> None:
    invoice = issued_invoice(session(), series="S")
    [text] = text_of(render_invoice_pdf(printable(invoice)))
    assert "FACTURA SIMPLIFICADA" in text
    assert "S2026000001" in text


def test_names_with_accents_ampersands_and_markup_stay_text() -> None:
    customer = Customer(
        name="Núñez & Ibáñez <b>Fisio</b> «Ñandú», S.L.",
        tax_id="B12345674",
        address="Plaza de España & Cía <i>4</i>, Cádiz",
    )
    doc = replace(printable(issued_invoice()), customer=customer, notes="Cobro <script>x</script>")
    [text] = text_of(render_invoice_pdf(doc))
    assert "Núñez & Ibáñez <b>Fisio</b> «Ñandú», S.L." in text
    assert "Plaza de España & Cía <i>4</i>, Cádiz" in text
    assert "Cobro <script>x</script>" in text


def test_a_simplified_invoice_may_name_no_customer() -> None:
    doc = replace(printable(issued_invoice(session(), series="S")), customer=Customer(name=""))
    [text] = text_of(render_invoice_pdf(doc))
    assert "CLIENTE" not in text
    assert "S2026000001" in text


def test_a_long_invoice_spans_pages_without_losing_lines() -> None:
    lines = [session(f"Sesión de fisioterapia nº {n:02d}") for n in range(1, 41)]
    invoice = issued_invoice(*lines)
    pdf = render_invoice_pdf(printable(invoice))
    pages = text_of(pdf)
    assert len(pages) >= 2
    everything = "\n".join(pages)
    for n in range(1, 41):
        assert everything.count(f"Sesión de fisioterapia nº {n:02d} ") == 1, n
    assert "TOTAL 1.600,00 €" in pages[-1]
    assert "Concepto" in pages[1]  # the lines' header repeats on the next page
    assert "F2026000001" in pages[1]  # and a loose page 2 still says which invoice it is
    assert f"1 / {len(pages)}" in pages[0]
    # AEAT: the QR once, on the first page.
    assert len(zxingcpp.read_barcodes(page_image(pdf, 0))) == 1
    assert zxingcpp.read_barcodes(page_image(pdf, 1)) == []


def test_every_text_run_starts_inside_the_15_mm_margins(issued_pdf: bytes) -> None:
    starts: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            starts.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) / 72 * 25.4)

    PdfReader(io.BytesIO(issued_pdf)).pages[0].extract_text(visitor_text=visit)
    assert starts
    assert min(starts) >= 14.9
    assert max(starts) < 195  # an overflowing column would start past the right margin


def test_threads_render_at_once() -> None:
    # FastAPI runs sync routes in a thread pool: each thread has its own WeasyPrint fonts.
    invoices = [issued_invoice(session(), sequence=n) for n in range(1, 7)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(pool.map(lambda i: render_invoice_pdf(printable(i)), invoices))
    for n, pdf in enumerate(pdfs, start=1):
        assert f"F2026{n:06d}" in text_of(pdf)[0]


def test_weasyprint_still_has_the_user_agent_hook_the_invoice_overrides() -> None:
    # Without it the invoice still prints (with WeasyPrint's own user-agent stylesheet), only
    # slower: a WeasyPrint upgrade that renames it should be noticed here, not in a benchmark.
    assert callable(vars(weasyprint.HTML).get("_ua_stylesheets"))


def test_a_render_logs_nothing_at_info(caplog: pytest.LogCaptureFixture, invoice: Invoice) -> None:
    """WeasyPrint's step-by-step progress stays out of the service's log."""
    with caplog.at_level(logging.INFO):
        render_invoice_pdf(printable(invoice))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_pdf_is_a4() -> None:
    pdf = render_invoice_pdf(printable(issued_invoice()))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def images_of(doc: PrintableInvoice) -> int:
    return len(PdfReader(io.BytesIO(render_invoice_pdf(doc))).pages[0].images)


def test_a_logo_must_be_an_inline_image() -> None:
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    base = printable(issued_invoice())
    assert images_of(base) == 1  # the QR
    with_logo = replace(base, issuer=replace(ISSUER, logo=pixel))
    assert images_of(with_logo) == 2
    remote = replace(base, issuer=replace(ISSUER, logo="https://example.com/logo.png"))
    assert images_of(remote) == 1


def logo_url(width: int, height: int, kind: str = "PNG") -> str:
    mode = "RGBA" if kind == "PNG" else "RGB"
    image = Image.new(mode, (width, height), (15, 95, 115, 0) if mode == "RGBA" else "white")
    image.paste((15, 95, 115) if mode == "RGB" else (15, 95, 115, 255), (0, 0, width // 2, height))
    data = io.BytesIO()
    image.save(data, kind)
    return f"data:image/{kind.lower()};base64,{base64.b64encode(data.getvalue()).decode()}"


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_large_logo_is_printed_at_its_size_on_the_page(kind: str) -> None:
    # Uploaded at 1500 x 500 with transparency: printed 55 x 16 mm at most, so shrunk to
    # 300 dpi of that (567 x 189) and laid on white, one opaque image.
    issuer = replace(ISSUER, logo=logo_url(1500, 500, kind))
    doc = replace(printable(issued_invoice()), issuer=issuer)
    pdf = render_invoice_pdf(doc)
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    [logo] = [image for image in images if image.image.width != image.image.height]
    assert logo.image.size == (567, 189)
    assert logo.indirect_reference is not None
    assert "/SMask" not in logo.indirect_reference.get_object()
    # What was transparent is white, the rest keeps its colour.
    rgb = logo.image.convert("RGB")
    assert rgb.getpixel((500, 100)) == (255, 255, 255)
    assert max(abs(a - b) for a, b in zip(rgb.getpixel((50, 100)), (15, 95, 115), strict=True)) <= 2


def test_a_logo_that_is_not_an_image_is_left_out() -> None:
    not_an_image = base64.b64encode(b"not a png").decode()
    broken = replace(ISSUER, logo=f"data:image/png;base64,{not_an_image}")
    doc = replace(printable(issued_invoice()), issuer=broken)
    assert images_of(doc) == 1  # the QR only
    [text] = text_of(render_invoice_pdf(doc))
    assert "Fisioterapia Demo, S.L." in text


def test_the_qr_is_drawn_without_smoothing(issued_pdf: bytes) -> None:
    # One pixel per module, scaled up 35 mm: a viewer or printer that interpolated would blur
    # every module's edges.
    [qr] = PdfReader(io.BytesIO(issued_pdf)).pages[0].images
    assert qr.image.width == qr.image.height
    assert qr.indirect_reference is not None
    assert qr.indirect_reference.get_object()["/Interpolate"].value is False


def test_the_discount_column_is_printed_only_when_a_line_has_a_discount() -> None:
    [text] = text_of(render_invoice_pdf(printable(issued_invoice())))
    assert "Dto." not in text
    discounted = InvoiceLine("Bono de 5 sesiones", D(1), D("200.00"), D(0), D("10.00"), HEALTH_CARE)
    [text] = text_of(render_invoice_pdf(printable(issued_invoice(discounted, session()))))
    assert "Dto." in text
    assert "10 %" in text
    assert "180,00 €" in text


def test_a_logo_svg_cannot_reach_files_or_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, bool]] = []
    fetch = DataOnlyFetcher.fetch

    def spy(self: DataOnlyFetcher, url: str, headers: dict[str, str] | None = None) -> object:
        try:
            response = fetch(self, url, headers)
        except ValueError:
            asked.append((url, False))
            raise
        asked.append((url, True))
        return response

    monkeypatch.setattr(DataOnlyFetcher, "fetch", spy)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="file:///etc/hostname" width="5" height="5"/>'
        '<image href="http://127.0.0.1:9/x.png" width="5" height="5"/></svg>'
    )
    logo = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    doc = replace(printable(issued_invoice()), issuer=replace(ISSUER, logo=logo))
    assert render_invoice_pdf(doc).startswith(b"%PDF")
    # The page's own images come from memory; what the SVG asks for is refused.
    assert sorted(asked) == [
        ("clinic-image:logo", True),
        ("clinic-image:qr", True),
        ("file:///etc/hostname", False),
        ("http://127.0.0.1:9/x.png", False),
    ]


@pytest.mark.parametrize(
    "url", ["https://example.com/logo.png", "http://127.0.0.1/", "file:///etc/passwd", "ftp://x/"]
)
def test_the_renderer_fetches_nothing_but_data_urls(url: str) -> None:
    with pytest.raises(ValueError, match="data: URLs"):
        DataOnlyFetcher().fetch(url)
    assert DataOnlyFetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"
    # The page's own images are served from memory, by name, and only those it was given.
    with pytest.raises(ValueError, match="no image"):
        DataOnlyFetcher().fetch("clinic-image:logo")


def test_a_draft_cannot_print_a_number_or_qr(invoice: Invoice) -> None:
    draft = new_draft("F", [session()], "12345678Z")
    with pytest.raises(ValueError, match="draft"):
        replace(printable(draft), number="F2026000001")
    with pytest.raises(ValueError, match="draft"):
        replace(printable(draft), qr_url="https://www2.agenciatributaria.gob.es/x")
    with pytest.raises(ValueError, match="issued"):
        replace(printable(invoice), number=None)
    with pytest.raises(ValueError, match="rectifying"):
        replace(printable(invoice), series="R")
    with pytest.raises(ValueError, match="language"):
        replace(printable(invoice), language="fr")


@pytest.mark.parametrize(
    ("language", "amount", "text"),
    [
        ("es", "1234.56", "1.234,56 €"),
        ("es", "1234567.5", "1.234.567,50 €"),
        ("es", "0", "0,00 €"),
        ("es", "-40", "-40,00 €"),
        ("en", "1234.56", "€1,234.56"),
        ("en", "-0.004", "€0.00"),
        ("en", "-1234.5", "-€1,234.50"),
    ],
)
def test_amounts_in_each_language(language: str, amount: str, text: str) -> None:
    assert Locale(language).amount(D(amount)) == text  # type: ignore[arg-type]


def test_dates_quantities_and_percentages_in_each_language() -> None:
    es, en = Locale("es"), Locale("en")
    assert (es.date(ISSUED_ON), en.date(ISSUED_ON)) == ("02/03/2026", "2 Mar 2026")
    assert (es.number(D("1.500")), en.number(D("1.500"))) == ("1,5", "1.5")
    assert (es.number(D("10.000")), es.number(D("-2.000"))) == ("10", "-2")
    assert (es.percent(D("21.00")), en.percent(D("12.50"))) == ("21 %", "12.5%")
