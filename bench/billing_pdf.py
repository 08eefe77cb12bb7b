"""The invoice PDF: p50/p95/p99 of a warm one-page render (WeasyPrint, with the Verifactu QR).

Needs no stack, only the billing package::

    uv run python bench/billing_pdf.py [--renders 50]

(``--gateway``/``--identity``, which ``bench/run.py`` passes to every benchmark, are accepted
and unused.) Renders a typical invoice once to warm up (fonts, stylesheet, compiled template),
then times ``render_invoice_pdf`` sequentially: three exempt physiotherapy sessions and a
product at 21 %, one payment, the QR, Spanish; then, for information, the same with a clinic
logo (a 1200 x 400 PNG with transparency, as an admin might upload it) and a 40-line two-page
one. Each render gets its own invoice number, so nothing is reused from the previous one but
what the service itself keeps warm (the QR of a number is new on every render). The CPU row
is ``time.process_time`` of the one-page renders: less sensitive than the wall clock to what
else the machine is running.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_latency_table
from PIL import Image, ImageDraw

from clinic_billing.domain.invoices import issued, new_draft
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine
from clinic_billing.domain.verifactu import qr_url
from clinic_billing.infrastructure.pdf import (
    Customer,
    Letterhead,
    PrintableInvoice,
    PrintedPayment,
    render_invoice_pdf,
)

TARGETS_MS = {"one page": 50.0}
ISSUED_ON = date(2026, 3, 2)
ISSUER = Letterhead(
    legal_name="Fisioterapia Demo, S.L.",
    tax_id="B12345674",
    address="Calle de Alcalá 120, 28009 Madrid",
    email="facturas@fisio-demo.example.es",
    phone="+34 910 000 000",
    footer="Inscrita en el Registro Mercantil de Madrid. Gracias por su confianza.",
)
CUSTOMER = Customer(
    name="José García Núñez",
    tax_id="12345678Z",
    address="Calle Mayor 1, 3º B, 28013 Madrid",
    email="jose.garcia@example.es",
)


def session(day: int) -> InvoiceLine:
    description = f"Sesión de fisioterapia {day:02d}/02/2026"
    return InvoiceLine(description, Decimal(1), Decimal("40.00"), Decimal(0), exemption=HEALTH_CARE)


def invoice(sequence: int, sessions: int, product: bool = True) -> PrintableInvoice:
    """An issued invoice numbered ``sequence`` with ``sessions`` lines (and a product)."""
    lines = [session(1 + n % 28) for n in range(sessions)]
    if product:
        lines.append(InvoiceLine("Banda elástica", Decimal(1), Decimal("12.00"), Decimal(21)))
    draft = new_draft("F", lines, CUSTOMER.tax_id)
    number = InvoiceNumber("F", ISSUED_ON.year, sequence)
    issued_invoice = issued(draft, number, ISSUED_ON)
    total = issued_invoice.totals.total
    return PrintableInvoice.for_invoice(
        issued_invoice,
        issuer=ISSUER,
        customer=CUSTOMER,
        language="es",
        qr_url=qr_url(ISSUER.tax_id, str(number), ISSUED_ON, total),
        payments=(PrintedPayment(ISSUED_ON, "card", Decimal("40.00")),),
        paid=Decimal("40.00"),
    )


def logo() -> str:
    """A letterhead logo as uploaded: 1200 x 400 PNG, transparent around a mark and a name."""
    image = Image.new("RGBA", (1200, 400), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=(15, 95, 115, 255))
    draw.ellipse((130, 130, 270, 270), fill=(255, 255, 255, 255))
    draw.rectangle((440, 150, 1160, 250), fill=(31, 41, 51, 255))
    data = io.BytesIO()
    image.save(data, "PNG")
    return "data:image/png;base64," + base64.b64encode(data.getvalue()).decode()


def measure(docs: list[PrintableInvoice]) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of each render, and the size of the last PDF."""
    wall: list[float] = []
    cpu: list[float] = []
    size = 0
    for doc in docs:
        started, started_cpu = time.perf_counter(), time.process_time()
        size = len(render_invoice_pdf(doc))
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu, size


def main() -> int:
    """Warm up, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", help="(unused)")
    parser.add_argument("--identity", help="(unused)")
    parser.add_argument("--renders", type=int, default=50, help="measured one-page renders")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--logo-renders", type=int, default=10, help="measured, with a logo")
    parser.add_argument("--long-renders", type=int, default=5, help="measured 40-line renders")
    args = parser.parse_args()

    started = time.perf_counter()
    render_invoice_pdf(invoice(1, 3))
    print(f"first (cold) render: {(time.perf_counter() - started) * 1000:.0f} ms")
    measure([invoice(2 + n, 3) for n in range(args.warmup)])

    one_page, one_page_cpu, size = measure([invoice(100 + n, 3) for n in range(args.renders)])
    letterhead = replace(ISSUER, logo=logo())
    with_logo = [
        replace(invoice(400 + n, 3), issuer=letterhead) for n in range(1 + args.logo_renders)
    ]
    render_invoice_pdf(with_logo[0])  # the service prepares a logo once, on its first print
    logo_page, _, _ = measure(with_logo[1:])
    long, _, long_size = measure([invoice(500 + n, 40) for n in range(args.long_renders)])
    # WeasyPrint is CPU-bound Python: a busy machine inflates the wall times, so say how busy.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"render_invoice_pdf, sequential, one thread ({size // 1024} KB one page, "
        f"{long_size // 1024} KB 40 lines); load average {load} on {os.cpu_count()} CPUs"
    )
    print_latency_table(
        {
            "one page": one_page,
            "  (CPU time)": one_page_cpu,
            "  with a logo": logo_page,
            "40 lines": long,
        },
        TARGETS_MS,
        label_width=14,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
