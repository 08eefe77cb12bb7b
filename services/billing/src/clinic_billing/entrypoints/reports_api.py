"""Routes of billing's reports (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from clinic_billing.application import chain, invoice_queries
from clinic_billing.application.chain import ChainReport
from clinic_billing.application.invoice_queries import NumberCheck, SalesBookRow
from clinic_billing.domain.money import ZERO, format_amount
from clinic_billing.domain.numbering import InvoiceNumber, Series
from clinic_billing.entrypoints.deps import BillingUser, DbSession, ServicesDep
from clinic_shared.errors import FieldError
from clinic_shared.schemas import CalendarDate, CamelModel

router = APIRouter(tags=["reports"])


class GapPublic(CamelModel):
    """Missing numbers ``first``..``last`` of one series."""

    series: Series
    first: str
    last: str
    missing: int


class NumberGapsPublic(CamelModel):
    """A year's missing and repeated numbers."""

    year: int
    gaps: list[GapPublic]
    duplicates: list[str]

    @classmethod
    def of(cls, check: NumberCheck) -> NumberGapsPublic:
        """The answer for ``check``."""
        gaps = [
            GapPublic(
                series=gap.series,
                first=str(InvoiceNumber(gap.series, gap.year, gap.first)),
                last=str(InvoiceNumber(gap.series, gap.year, gap.last)),
                missing=gap.missing,
            )
            for gap in check.gaps
        ]
        return cls(year=check.year, gaps=gaps, duplicates=[str(n) for n in check.duplicates])


class ChainBreakPublic(CamelModel):
    """The first record that does not hold."""

    position: int
    number: str | None
    reason: Literal["hash", "link"]
    message: str


class ChainVerifyPublic(CamelModel):
    """The outcome of recomputing every issuer's chain."""

    ok: bool
    records: int
    issuers: int
    first_break: ChainBreakPublic | None

    @classmethod
    def of(cls, report: ChainReport) -> ChainVerifyPublic:
        """The answer for ``report``."""
        found = report.first_break
        return cls(
            ok=report.ok,
            records=report.records,
            issuers=report.issuers,
            first_break=ChainBreakPublic.model_validate(found) if found else None,
        )


class StatsPublic(CamelModel):
    """The gateway dashboard's billing figures."""

    total_invoices: int
    issued_this_month: int
    outstanding_amount: str


# Spanish spreadsheets open a UTF-8 file with a BOM, ";" between fields and decimal commas.
SALES_BOOK_HEADER = (
    "Número",
    "Fecha",
    "Cliente",
    "NIF",
    "Base imponible",
    "Tipo IVA",
    "Cuota IVA",
    "Exención",
    "Total",
)


def _comma(amount: Decimal) -> str:
    return format_amount(amount).replace(".", ",")


def sales_book_csv(rows: Sequence[SalesBookRow]) -> str:
    """The sales book as Spanish spreadsheets read it, with a totals row at the end."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SALES_BOOK_HEADER)
    for row in rows:
        writer.writerow(
            (
                row.number,
                row.issued_on.strftime("%d/%m/%Y"),
                row.customer,
                row.tax_id or "",
                _comma(row.rate.base),
                _comma(row.rate.vat_rate),
                _comma(row.rate.tax),
                row.rate.exemption.code if row.rate.exemption else "",
                _comma(row.total),
            )
        )
    base = sum((row.rate.base for row in rows), ZERO)
    tax = sum((row.rate.tax for row in rows), ZERO)
    writer.writerow(("Total", "", "", "", _comma(base), "", _comma(tax), "", _comma(base + tax)))
    return out.getvalue()


class PatientBalancePublic(CamelModel):
    """A patient's invoices: how many were issued and what they still owe (any payer)."""

    patient_id: UUID
    issued_invoices: int
    outstanding: str


@router.get("/api/invoices/balance", response_model=PatientBalancePublic)
def patient_balance(
    patient_id: Annotated[UUID, Query(alias="patientId")],
    _user: BillingUser,
    db: DbSession,
) -> PatientBalancePublic:
    """What a patient's issued invoices still owe, whoever pays them."""
    found = invoice_queries.patient_balance(db, patient_id)
    return PatientBalancePublic(
        patient_id=found.patient_id,
        issued_invoices=found.issued_invoices,
        outstanding=format_amount(found.outstanding),
    )


@router.get("/api/invoices/number-gaps", response_model=NumberGapsPublic)
def number_gaps(
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    year: Annotated[int | None, Query(ge=2000, le=9999)] = None,
) -> NumberGapsPublic:
    """Missing and repeated invoice numbers of a year (default: this year), every series."""
    year = year or services.clock().astimezone(services.zone).year
    return NumberGapsPublic.of(invoice_queries.number_check(db, year))


@router.get("/api/invoices/chain/verify", response_model=ChainVerifyPublic)
def verify_chain(_user: BillingUser, db: DbSession) -> ChainVerifyPublic:
    """Recompute the Verifactu hash chain; names the first record that does not hold."""
    return ChainVerifyPublic.of(chain.verify(db))


@router.get(
    "/api/invoices/sales-book.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The sales book."}},
)
def sales_book(
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    first: Annotated[CalendarDate | None, Query(alias="from")] = None,
    last: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> Response:
    """The sales book (one row per invoice and VAT rate) as CSV; default: this year so far."""
    today = services.clock().astimezone(services.zone).date()
    first = first or date(today.year, 1, 1)
    last = last or today
    if last < first:
        raise FieldError("to", "must not be before from")
    text = sales_book_csv(invoice_queries.sales_book(db, first, last))
    name = f"sales-book-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        content=text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/stats", response_model=StatsPublic)
def billing_stats(_user: BillingUser, db: DbSession, services: ServicesDep) -> StatsPublic:
    """Issued invoices (all and this month) and what customers owe in all."""
    figures = invoice_queries.stats(db, services.clock(), services.zone)
    return StatsPublic(
        total_invoices=figures.total_invoices,
        issued_this_month=figures.issued_this_month,
        outstanding_amount=format_amount(figures.outstanding_amount),
    )
