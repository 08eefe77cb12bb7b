"""Six years of a big physiotherapy clinic's invoices (about a million), as rows for billing.

Customers are patients with Spanish names as often as Spain has them (``patients_data``), a
few insurers and companies. Invoices are issued Monday to Saturday, 08:00–20:30 in the clinic's
zone, more each year as the clinic grows: ordinary ``F`` invoices to customers with a tax id
and an address, simplified ``S`` ones (some anonymous) up to 400 €, an insurer's monthly batch
on the first working day of the month, and one in a hundred a rectifying ``R`` invoice that
cancels a recent one by differences. Lines are the demo catalogue's sessions (dated before the
issue) and now and then a resistance band at 21 %, sometimes with a 10 % discount.

Every derived column is what the service itself writes: totals and line amounts from the
domain's ``totals`` (and ``rectify`` for ``R``), ``customer_search`` from ``fold``, numbers
correlative per series and year in issue order, the printed address from ``parties``, money
through the columns' own ``ScaledDecimal``; statuses and ``paid`` agree with the payments
(older invoices are nearly all paid, recent ones less so). The last ``chain`` issued invoices
carry Verifactu records chained by ``domain.verifactu.chained``, and the counters and the
chain head continue where the data ends, so the API issues the next number onto the chain.
Everything comes from one seeded ``random.Random``.

Rows come out in each table's column order as LOAD DATA lines (tab-separated, ``\\N`` = NULL).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from patients_data import SpanishNames, dni, nie
from sqlalchemy import Table

from clinic_billing.application.customers import search_name, search_words
from clinic_billing.domain.invoices import new_draft
from clinic_billing.domain.numbering import InvoiceNumber
from clinic_billing.domain.rectification import rectify
from clinic_billing.domain.totals import HEALTH_CARE, InvoiceLine, InvoiceTotals, totals
from clinic_billing.domain.verifactu import (
    AltaRecord,
    chained,
    generated_at_text,
    invoice_type,
)
from clinic_billing.infrastructure.columns import Money, Percent, Quantity
from clinic_billing.infrastructure.parties import _printed_address
from clinic_billing.infrastructure.tables import (
    customers,
    invoice_lines,
    invoices,
    payments,
    verifactu_records,
)
from clinic_billing.seed import DEMO_CATALOGUE, DEMO_SETTINGS
from clinic_shared.text import fold

ZONE = ZoneInfo("Europe/Madrid")
NULL = "\\N"
ISSUER_TAX_ID = str(DEMO_SETTINGS["tax_id"])
INSURERS = ["Mutua Madrileña", "Sanitas Seguros", "SegurCaixa Adeslas", "Asisa", "DKV Seguros",
            "Mapfre Salud", "Fiatc Seguros", "Caser Salud", "Allianz Seguros", "AXA Salud",
            "Generali Salud", "Mutua Universal"]  # fmt: skip
COMPANIES = ["Club Deportivo Leganés", "Escuela de Danza Albéniz", "Club de Remo Ondarreta",
             "Construcciones Pérez Núñez, S.L.", "Gimnasio Fuerza Vital, S.L."]  # fmt: skip
STREETS = ["Calle Mayor", "Calle de Alcalá", "Avenida de América", "Calle del Príncipe de Vergara",
           "Paseo de la Castellana", "Calle de Bravo Murillo", "Calle de Arturo Soria",
           "Avenida de la Albufera", "Calle de Toledo", "Calle Real", "Plaza de España",
           "Calle de la Iglesia", "Avenida de Andalucía", "Calle Nueva",
           "Calle del Sol"]  # fmt: skip
TOWNS = [("28009", "Madrid", "Madrid"), ("28013", "Madrid", "Madrid"),
         ("28033", "Madrid", "Madrid"),
         ("28911", "Leganés", "Madrid"), ("28901", "Getafe", "Madrid"),
         ("28220", "Majadahonda", "Madrid"), ("28100", "Alcobendas", "Madrid"),
         ("19001", "Guadalajara", "Guadalajara"), ("45001", "Toledo", "Toledo")]  # fmt: skip
# (catalogue code, weight) of a patient's session; the first visit is the assessment.
SESSION_CODES = (["FIS", "PUN", "SPE", "MAS", "VAL"], list(accumulate([62, 14, 10, 9, 5])))
SESSIONS_PER_INVOICE = ([1, 2, 3, 4, 5, 6, 8], list(accumulate([68, 10, 7, 6, 4, 3, 2])))
PAYMENT_METHODS = (["card", "cash", "bizum", "transfer"], list(accumulate([48, 20, 17, 15])))
INSURER_PRICE = Decimal("28.00")
MONEY, QUANTITY, PERCENT = Money(), Quantity(), Percent()


_VERSION_4 = ~(0xF000 << 64) & ~(0xC000 << 48)


def column_names(table: Table) -> list[str]:
    """A table's column names, in order (a LOAD DATA line's fields)."""
    return [column.name for column in table.columns]


def _uuid(rng: random.Random) -> str:
    """A random (version 4) UUID from ``rng``: what ``uuid.UUID(int=…, version=4)`` gives."""
    n = rng.getrandbits(128) & _VERSION_4 | 0x4000 << 64 | 0x8000 << 48
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _db(value: Decimal, kind: Any) -> str:
    """A Decimal as its column stores it (a scaled integer, the column type's own code)."""
    return str(kind.process_bind_param(value, None))


def _text(value: object) -> str:
    return NULL if value is None else str(value)


@dataclass(frozen=True)
class Customer:
    """A payer as the invoices copy it."""

    id: str
    kind: str
    name: str
    tax_id: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    email: str | None
    phone: str | None
    language: str
    patient_id: str | None

    def copied(self) -> dict[str, str]:
        """The columns an invoice copies of its customer, as LOAD DATA text."""
        row = SimpleNamespace(address=self.street, postal_code=self.postal_code, city=self.city,
                              province=self.province, country="ES")  # fmt: skip
        values = {
            "customer_id": self.id, "patient_id": self.patient_id, "customer_name": self.name,
            "customer_search": fold(self.name), "customer_tax_id": self.tax_id,
            # The one-line address an issued invoice freezes (``parties``' own composition).
            "customer_address": _printed_address(row),  # type: ignore[arg-type]
            "customer_email": self.email, "language": self.language,
        }  # fmt: skip
        return {name: _text(value) for name, value in values.items()}

    def row(self, now: str) -> tuple[object, ...]:
        """Its ``customers`` row, in column order."""
        values = {
            "id": self.id, "kind": self.kind, "name": self.name,
            "search_name": search_name(self.name), "tax_id": self.tax_id,
            "address": self.street, "postal_code": self.postal_code, "city": self.city,
            "province": self.province, "country": "ES", "email": self.email,
            "phone": self.phone, "language": self.language, "patient_id": self.patient_id,
            "insurer_id": None, "active": True, "version": 1, "created_at": now,
            "updated_at": now,
        }  # fmt: skip
        return tuple(values[name] for name in column_names(customers))


@dataclass(frozen=True)
class Priced:
    """A shape of invoice (its lines' prices) with the totals the domain gives it."""

    lines: tuple[InvoiceLine, ...]
    totals: InvoiceTotals


@dataclass
class Invoice:
    """One seeded invoice, in issue order (drafts at the end)."""

    id: str
    series: str
    customer: Customer | None
    lines: tuple[InvoiceLine, ...]
    priced: InvoiceTotals
    issued_at: datetime | None  # aware, the clinic's zone
    number: InvoiceNumber | None = None
    status: str = "issued"
    paid: Decimal = Decimal("0.00")
    version: int = 2
    payments: list[tuple[str, Decimal, str, date]] = field(default_factory=list)
    rectifies: Invoice | None = None
    reason_code: str | None = None


@dataclass
class Clinic:
    """Customers, invoices in issue order, and where the counters and the chain end."""

    customers: list[Customer]
    invoices: list[Invoice]
    today: date
    chain_length: int
    heads: dict[str, tuple[int, int, date]] = field(default_factory=dict)  # series: year, seq, day


class Catalogue:
    """The demo catalogue's lines, and the domain's totals of each distinct shape (cached)."""

    def __init__(self) -> None:
        self.items = {row[0]: row for row in DEMO_CATALOGUE}
        self._totals: dict[tuple[object, ...], InvoiceTotals] = {}
        self._lines: dict[tuple[object, ...], InvoiceLine] = {}
        self._prices: dict[int, tuple[object, ...]] = {}  # a cached line's price, by its id

    def line(self, code: str, day: date, language: str, discount: Decimal,
             price: Decimal | None = None) -> InvoiceLine:  # fmt: skip
        """The catalogue item's line for a session on ``day`` (one object per distinct line)."""
        key = (code, day, language, discount, price)
        found = self._lines.get(key)
        if found is None:
            _, name_es, name_en, catalogue_price, vat, exemption, appointment_type = self.items[
                code
            ]
            name = name_es if language == "es" else name_en
            description = f"{name} {day.strftime('%d/%m/%Y')}" if appointment_type else name
            found = self._lines[key] = InvoiceLine(
                description=description,
                quantity=Decimal(1),
                unit_price=price if price is not None else Decimal(catalogue_price),
                vat_rate=Decimal(vat),
                discount_percent=discount,
                exemption=HEALTH_CARE if exemption else None,
            )
            self._prices[id(found)] = (code, discount, price)
        return found

    def totals(self, lines: Sequence[InvoiceLine]) -> InvoiceTotals:
        """The domain's totals; lines differing only in their descriptions share them."""
        prices = self._prices
        key = tuple([prices[id(line)] for line in lines])
        found = self._totals.get(key)
        if found is None:
            found = self._totals[key] = totals(lines)
        # The amounts are per line position; the descriptions are this invoice's own.
        return found


def new_customers(rng: random.Random, names: SpanishNames, count: int) -> list[Customer]:
    """Patients (most with a DNI or NIE and an address), then insurers and companies."""
    found = []
    for _ in range(count):
        sex = "female" if rng.random() < 0.55 else "male"
        name = f"{names.first_name(sex)} {names.surname()} {names.surname()}"
        roll = rng.random()
        tax_id = dni(rng) if roll < 0.86 else nie(rng) if roll < 0.93 else None
        postal_code, city, province = rng.choice(TOWNS)
        with_address = tax_id is not None or rng.random() < 0.3
        email = None
        if rng.random() < 0.7:
            email = (
                f"{search_words(name)[0]}.{search_words(name)[-1]}{rng.randrange(100)}@example.es"
            )
        found.append(Customer(
            id=_uuid(rng), kind="person", name=name, tax_id=tax_id,
            street=f"{rng.choice(STREETS)} {rng.randrange(1, 180)}, {rng.randrange(1, 9)}º "
                   f"{rng.choice('ABCD')}" if with_address else None,
            postal_code=postal_code if with_address else None,
            city=city if with_address else None, province=province if with_address else None,
            email=email, phone=f"+34 6{rng.randrange(10, 99)} {rng.randrange(100, 999)} "
                               f"{rng.randrange(100, 999)}",
            language="en" if rng.random() < 0.05 else "es", patient_id=_uuid(rng),
        ))  # fmt: skip
    for kind, company_names in (("insurer", INSURERS), ("company", COMPANIES)):
        for name in company_names:
            postal_code, city, province = TOWNS[0]
            found.append(Customer(
                id=_uuid(rng), kind=kind, name=name, tax_id=_cif(rng),
                street=f"{rng.choice(STREETS)} {rng.randrange(1, 180)}", postal_code=postal_code,
                city=city, province=province, email="facturacion@example.es", phone=None,
                language="es", patient_id=None,
            ))  # fmt: skip
    return found


def _cif(rng: random.Random) -> str:
    """A valid CIF of a company (letter A/B, seven digits, the control digit)."""
    digits = f"{rng.randrange(10**7):07d}"
    odd = sum(sum(divmod(2 * int(d), 10)) for d in digits[::2])
    even = sum(int(d) for d in digits[1::2])
    return f"{rng.choice('AB')}{digits}{(10 - (odd + even) % 10) % 10}"


def working_days(first: date, last: date) -> list[date]:
    """Monday to Saturday from ``first`` to ``last``."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 6]


def daily_counts(days: list[date], total: int, rng: random.Random) -> list[int]:
    """``total`` invoices over ``days``: growing over the years, Saturdays at half."""
    weights = [(1 + 1.5 * i / len(days)) * (0.5 if day.weekday() == 5 else 1)
               * rng.uniform(0.8, 1.2) for i, day in enumerate(days)]  # fmt: skip
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(len(days)), total - sum(counts)):
        counts[i] += 1
    return counts


def moments(day: date, count: int, rng: random.Random) -> list[datetime]:
    """``count`` distinct issue moments of ``day`` between 08:00 and 20:30, in order."""
    start = datetime.combine(day, time(8), tzinfo=ZONE)
    span = int(12.5 * 3600 * 1_000_000)
    offsets = sorted(rng.sample(range(span), count))
    return [start + timedelta(microseconds=offset) for offset in offsets]


class Generator:
    """Draws the invoices of one clinic in issue order."""

    def __init__(self, rng: random.Random, people: list[Customer], today: date) -> None:
        self.rng = rng
        self.catalogue = Catalogue()
        self.today = today
        self.patients = [c for c in people if c.kind == "person"]
        self.insurers = [c for c in people if c.kind == "insurer"]
        self.companies = [c for c in people if c.kind == "company"]
        self.recent: list[Invoice] = []  # what a rectifying invoice may cancel
        self.sequences: dict[tuple[str, int], int] = {}  # the counters: (series, year) → last

    def patient(self) -> Customer:
        """Some patients come back far more than others."""
        return self.patients[int(len(self.patients) * self.rng.random() ** 1.6)]

    def sessions(self, customer: Customer | None, issued_on: date, limit: Decimal | None
                 ) -> tuple[InvoiceLine, ...]:  # fmt: skip
        rng = self.rng
        count = rng.choices(SESSIONS_PER_INVOICE[0], cum_weights=SESSIONS_PER_INVOICE[1])[0]
        language = customer.language if customer else "es"
        discount = Decimal(10) if rng.random() < 0.08 else Decimal(0)
        codes = rng.choices(SESSION_CODES[0], cum_weights=SESSION_CODES[1], k=count)
        day = issued_on
        lines = []
        for code in codes:
            lines.append(self.catalogue.line(code, day, language, discount))
            day -= timedelta(days=rng.choice([2, 3, 4, 7]))
        lines.reverse()  # oldest session first, as the service orders them
        if rng.random() < 0.06:
            lines.append(self.catalogue.line("BAN", issued_on, language, Decimal(0)))
        if limit is not None:  # a simplified invoice stays within its limit
            while len(lines) > 1 and self.catalogue.totals(lines).total > limit:
                lines.pop(0)
        return tuple(lines)

    def batch(self, insurer: Customer, issued_on: date) -> tuple[InvoiceLine, ...]:
        """An insurer's month: one line per session it pays, at its agreed price."""
        first = (issued_on.replace(day=1) - timedelta(days=1)).replace(day=1)
        days = sorted(first + timedelta(days=self.rng.randrange(28))
                      for _ in range(self.rng.randrange(12, 40)))  # fmt: skip
        return tuple(
            self.catalogue.line("FIS", day, "es", Decimal(0), INSURER_PRICE) for day in days
        )

    def invoice(self, at: datetime, first_of_month: bool) -> list[Invoice]:
        """The invoice(s) issued at ``at`` (an insurer's batch run issues all of them)."""
        rng = self.rng
        issued_on = at.date()
        if first_of_month:
            found = []
            for n, insurer in enumerate(self.insurers):
                lines = self.batch(insurer, issued_on)
                moment = at + timedelta(microseconds=n)
                found.append(self._new("F", insurer, lines, moment))
            return found
        if self.recent and rng.random() < 0.01:
            return [self._rectifying(at)]
        roll = rng.random()
        if roll < 0.015:
            customer = rng.choice(self.companies)
            return [self._new("F", customer, self.sessions(customer, issued_on, None), at)]
        customer = self.patient() if roll > 0.04 else None
        ordinary = customer is not None and customer.tax_id and customer.street
        series = "F" if ordinary and rng.random() < 0.7 else "S"
        limit = Decimal("400.00") if series == "S" else None
        return [self._new(series, customer, self.sessions(customer, issued_on, limit), at)]

    def _new(self, series: str, customer: Customer | None, lines: tuple[InvoiceLine, ...],
             at: datetime) -> Invoice:  # fmt: skip
        invoice = Invoice(
            _uuid(self.rng), series, customer, lines, self.catalogue.totals(lines), at
        )
        self.recent.append(invoice)
        if len(self.recent) > 400:
            del self.recent[:200]
        return invoice

    def _rectifying(self, at: datetime) -> Invoice:
        """A full cancellation by differences of a recent invoice (never of an R, nor twice)."""
        original = self.recent.pop(self.rng.randrange(len(self.recent)))
        while original.series == "R" or original.number is None:
            original = self.recent.pop(self.rng.randrange(len(self.recent)))
        reason_code = "R5" if original.series == "S" else "R1"
        assert original.issued_at is not None
        tax_id = original.customer.tax_id if original.customer else None
        domain_original = replace(
            new_draft(original.series, list(original.lines), tax_id),  # type: ignore[arg-type]
            status="issued", number=original.number, issued_on=original.issued_at.date(),
        )  # fmt: skip
        fix = rectify(domain_original, method="differences", reason_code=reason_code,  # type: ignore[arg-type]
                      reason="Error en el importe facturado")  # fmt: skip
        lines = fix.invoice.lines
        invoice = Invoice(_uuid(self.rng), "R", original.customer, tuple(lines),
                          totals(lines, rectifying=True), at, rectifies=original,
                          reason_code=reason_code)  # fmt: skip
        return invoice


def new_clinic(
    rng: random.Random, total: int, chain_length: int, customers_count: int, today: date
) -> Clinic:
    """About ``total`` invoices from January 2021 to yesterday, numbered and paid."""
    names = SpanishNames(rng)
    people = new_customers(rng, names, customers_count)
    generator = Generator(rng, people, today)
    days = working_days(date(2021, 1, 4), today - timedelta(days=1))
    drafts = 25
    counts = daily_counts(days, total - drafts - 12 * 6 * len(generator.insurers), rng)
    found: list[Invoice] = []
    month = None
    for day, count in zip(days, counts, strict=True):
        first_of_month = (day.year, day.month) != month
        month = (day.year, day.month)
        for n, at in enumerate(moments(day, count + (1 if first_of_month else 0), rng)):
            for invoice in generator.invoice(at, first_of_month and n == 0):
                _number(invoice, found, generator)
    clinic = Clinic(people, found, today, min(chain_length, len(found)))
    for invoice in found:
        assert invoice.number is not None
        assert invoice.issued_at is not None
        number = invoice.number
        clinic.heads[number.series] = (number.year, number.sequence, invoice.issued_at.date())
        _settle(invoice, today, rng)
    for _ in range(drafts):
        customer = generator.patient()
        lines = generator.sessions(customer, today, None)
        series = "F" if customer.tax_id else "S"
        priced = generator.catalogue.totals(lines)
        found.append(
            Invoice(_uuid(rng), series, customer, lines, priced, None, status="draft", version=1)
        )
    return clinic


def _number(invoice: Invoice, found: list[Invoice], generator: Generator) -> None:
    """The series' next number in issue order (the counter's rule: a new year starts at 1)."""
    assert invoice.issued_at is not None
    year = invoice.issued_at.year
    key = (invoice.series, year)
    sequence = generator.sequences[key] = generator.sequences.get(key, 0) + 1
    invoice.number = InvoiceNumber(invoice.series, year, sequence)  # type: ignore[arg-type]
    found.append(invoice)


def _settle(invoice: Invoice, today: date, rng: random.Random) -> None:
    """Payments as a clinic gets them: at the desk mostly, insurers by transfer, some late."""
    if invoice.series == "R":
        return  # a cancellation is never paid: its negative total nets the original
    assert invoice.issued_at is not None
    issued_on = invoice.issued_at.date()
    age = (today - issued_on).days
    total = invoice.priced.total
    insurer = invoice.customer is not None and invoice.customer.kind == "insurer"
    paid_share = min(0.965, 0.35 + 0.62 * age / 45)
    roll = rng.random()
    if roll >= paid_share + 0.012 or total <= 0:
        return
    delay = 0 if not insurer and rng.random() < 0.75 else rng.randrange(1, 40)
    paid_on = min(today, issued_on + timedelta(days=delay))
    method = (
        "transfer"
        if insurer
        else rng.choices(PAYMENT_METHODS[0], cum_weights=PAYMENT_METHODS[1])[0]
    )
    amount = total if roll < paid_share else (total / 2).quantize(Decimal("0.01"))
    invoice.payments.append((_uuid(rng), amount, method, paid_on))
    invoice.paid = amount
    invoice.status = "paid" if amount == total else "partially_paid"
    invoice.version = 3


# ---- rows ------------------------------------------------------------------------------------


def _check_columns(table: Table, values: dict[str, object]) -> None:
    """Every NOT NULL column without a server default is given, and no other (the schema is
    young: a column added since fails the seed rather than loading wrong rows)."""
    missing = [c.name for c in table.columns if c.name not in values and not c.nullable
               and c.server_default is None
               and not (c.primary_key and c.autoincrement is True)]  # fmt: skip
    unknown = set(values) - set(column_names(table))
    if missing or unknown:
        raise SystemExit(f"{table.name}: the seed does not know {missing or sorted(unknown)}")


_RECORD_COLUMNS = [name for name in column_names(verifactu_records) if name != "id"]


def _line(table: Table, values: dict[str, object]) -> str:
    return "\t".join(_text(values.get(name)) for name in column_names(table)) + "\n"


def _utc_text(moment: datetime) -> str:
    """An aware moment as the naive UTC a ``Timestamp`` column holds (``clinic_shared.db``)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def invoice_lines_of(clinic: Clinic, rng: random.Random) -> Iterator[str]:
    """The ``invoices`` rows as LOAD DATA lines (in issue order; the caller sorts them)."""
    columns = column_names(invoices)
    issuer = {"issuer_name": str(DEMO_SETTINGS["legal_name"]), "issuer_tax_id": ISSUER_TAX_ID,
              "issuer_address": str(DEMO_SETTINGS["address"])}  # fmt: skip
    blank = dict.fromkeys(columns, NULL)
    anonymous = {"customer_name": "", "customer_search": fold(""), "language": "es"}
    copies: dict[str, dict[str, str]] = {}
    money: dict[Decimal, str] = {}
    created_seconds = [30, 60, 120, 300, 900]
    for n, invoice in enumerate(clinic.invoices):
        customer = invoice.customer
        priced = invoice.priced
        issued = invoice.issued_at
        values = dict(blank)
        if customer is None:
            values.update(anonymous)
        else:
            copy = copies.get(customer.id)
            if copy is None:
                copy = copies[customer.id] = customer.copied()
            values.update(copy)
        if issued is not None:
            number = invoice.number
            assert number is not None
            created = issued - timedelta(seconds=rng.choice(created_seconds))
            values.update(issuer)
            values.update(
                year=str(number.year), sequence=str(number.sequence), number=str(number),
                issued_on=issued.date().isoformat(), issued_at=_utc_text(issued),
                updated_at=_utc_text(issued),
            )  # fmt: skip
        else:
            minutes = rng.randrange(5 * 24 * 60)
            created = datetime.combine(clinic.today, time(9), tzinfo=ZONE) - timedelta(
                minutes=minutes
            )
            values["updated_at"] = _utc_text(created)
        for name, amount in (("base", priced.base), ("tax", priced.tax), ("total", priced.total),
                             ("paid", invoice.paid)):  # fmt: skip
            text = money.get(amount)
            if text is None:
                text = money[amount] = _db(amount, MONEY)
            values[name] = text
        values.update(
            id=invoice.id, series=invoice.series, status=invoice.status,
            version=str(invoice.version), created_at=_utc_text(created),
        )  # fmt: skip
        original = invoice.rectifies
        if original is not None:
            values.update(
                rectifies_id=original.id, rectification_method="differences",
                reason_code=str(invoice.reason_code), reason="Error en el importe facturado",
                rectified_base=_db(original.priced.base, MONEY),
                rectified_tax=_db(original.priced.tax, MONEY),
            )  # fmt: skip
        if n == 0:
            _check_columns(invoices, {k: v for k, v in values.items() if v != NULL})
        yield "\t".join([values[name] for name in columns]) + "\n"


def name_word_rows(invoice_lines: Iterable[str]) -> list[str]:
    """The ``invoice_name_words`` rows of the issued ones of ``invoice_lines`` (as issuing
    writes them: each distinct word of the folded name, with the list's order), sorted."""
    columns = column_names(invoices)
    at = {
        name: columns.index(name) for name in ("issued_at", "created_at", "id", "customer_search")
    }
    rows = []
    for line in invoice_lines:
        values = line.rstrip("\n").split("\t")
        issued_at = values[at["issued_at"]]
        if issued_at == NULL:
            continue
        name = values[at["customer_search"]]
        for word in sorted(set(name.split())):
            rows.append(
                f"{word}\t{issued_at}\t{values[at['created_at']]}\t{values[at['id']]}\t{name}\n"
            )
    rows.sort()
    return rows


def line_rows(clinic: Clinic) -> Iterator[str]:
    """The ``invoice_lines`` rows (ids left to AUTO_INCREMENT), invoice by invoice."""
    cache: dict[InvoiceLine, str] = {}
    columns = [name for name in column_names(invoice_lines) if name != "id"]
    for invoice in clinic.invoices:
        for position, (line, priced) in enumerate(
            zip(invoice.lines, invoice.priced.lines, strict=True), start=1
        ):
            key = (line.quantity, line.unit_price, line.vat_rate, line.discount_percent,
                   line.exemption, priced.amount)  # fmt: skip
            tail = cache.get(key)  # type: ignore[call-overload]
            if tail is None:
                tail = "\t".join((
                    _db(line.quantity, QUANTITY), _db(line.unit_price, MONEY),
                    _db(line.discount_percent, PERCENT), _db(line.vat_rate, PERCENT),
                    line.exemption.key if line.exemption else NULL, _db(priced.amount, MONEY),
                ))  # fmt: skip
                cache[key] = tail  # type: ignore[index]
            yield f"{invoice.id}\t{position}\t{line.description}\t{tail}\t{NULL}\n"
    expected = ["invoice_id", "position", "description", "quantity", "unit_price",
                "discount_percent", "vat_rate", "exemption", "amount", "session_id"]  # fmt: skip
    if columns != expected:
        raise SystemExit(f"invoice_lines has changed: {columns}")


def payment_rows(clinic: Clinic) -> Iterator[str]:
    """The ``payments`` rows."""
    for invoice in clinic.invoices:
        for payment_id, amount, method, paid_on in invoice.payments:
            values = {
                "id": payment_id, "invoice_id": invoice.id, "amount": _db(amount, MONEY),
                "method": method, "paid_on": paid_on.isoformat(), "created_by": None,
                "created_at": f"{paid_on.isoformat()} 10:00:00.000000",
            }  # fmt: skip
            yield _line(payments, values)


def chain_rows(clinic: Clinic) -> tuple[list[str], str]:
    """The Verifactu records of the last ``chain_length`` issued invoices, and the last hash."""
    issued = [invoice for invoice in clinic.invoices if invoice.issued_at is not None]
    previous: AltaRecord | None = None
    found = []
    for position, invoice in enumerate(issued[len(issued) - clinic.chain_length :], start=1):
        assert invoice.number is not None
        assert invoice.issued_at is not None
        moment = invoice.issued_at.replace(microsecond=0)
        record = chained(
            AltaRecord(
                issuer_tax_id=ISSUER_TAX_ID,
                number=str(invoice.number),
                issued_on=moment.date(),
                invoice_type=invoice_type(invoice.series, invoice.reason_code),  # type: ignore[arg-type]
                tax_total=invoice.priced.tax,
                total=invoice.priced.total,
                generated_at=moment,
            ),
            previous,
        )
        values = {
            "issuer_tax_id": record.issuer_tax_id, "position": position,
            "invoice_id": invoice.id, "number": record.number,
            "issued_on": record.issued_on.isoformat(), "invoice_type": record.invoice_type,
            "tax_total": _db(record.tax_total, MONEY), "total": _db(record.total, MONEY),
            "generated_at": generated_at_text(record.generated_at),
            "previous_hash": record.previous_hash, "hash": record.hash,
        }  # fmt: skip
        found.append("\t".join(_text(values[name]) for name in _RECORD_COLUMNS) + "\n")
        previous = record
    return found, previous.hash if previous else ""
