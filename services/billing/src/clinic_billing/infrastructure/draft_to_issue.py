"""The draft about to be issued, with the letterhead and its customer, in one round trip.

Every issue reads these before its turn (``issuing.prepare_issue``), and issuing is bound by
the CPU of the machine, not by its locks (issue 12's rate: 16 clients on two cores). Read with
four statements (the invoice, its lines, the settings, the customer) they cost four round trips
and four result headers that pymysql parses in Python column by column: ~2.5 of the ~6 ms of
billing's CPU per issue. One SELECT with outer joins answers a row per line, the invoice, the
letterhead and the customer repeated on each; the usual row readers then read their own
columns of it (``_Columns``), so a record read here is the one ``invoices.get`` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Row, RowMapping, Table, bindparam, select
from sqlalchemy.orm import Session

from clinic_billing.infrastructure.invoices import InvoiceRecord, line_of, record_of
from clinic_billing.infrastructure.parties import (
    ISSUER_COLUMNS,
    SETTINGS_ID,
    Customer,
    Issuer,
    customer_of,
    issuer_of,
)
from clinic_billing.infrastructure.tables import (
    clinic_settings,
    customers,
    invoice_lines,
    invoices,
)


def _labelled(table: Table, prefix: str) -> list[Any]:
    return [column.label(prefix + column.name) for column in table.c]


_QUERY = (
    select(
        *_labelled(invoices, "i_"),
        *_labelled(invoice_lines, "l_"),
        # The letterhead beside every row: uncorrelated, so the server reads it once.
        *(
            select(column)
            .where(clinic_settings.c.id == SETTINGS_ID)
            .scalar_subquery()
            .label("s_" + column.name)
            for column in ISSUER_COLUMNS
        ),
        *_labelled(customers, "c_"),
    )
    .select_from(
        invoices.outerjoin(invoice_lines, invoice_lines.c.invoice_id == invoices.c.id).outerjoin(
            customers, customers.c.id == invoices.c.customer_id
        )
    )
    .where(invoices.c.id == bindparam("invoice_id"))
    .order_by(invoice_lines.c.position)
)  # a constant: its cache key, a walk of the whole statement, is then computed once


def _columns(row: RowMapping, prefix: str) -> Row[Any]:
    """One table's columns of a joined row, read by their own names as the row readers do."""
    return cast(Row[Any], _Columns(row, prefix))


class _Columns:
    """The columns of ``row`` whose labels start with ``prefix``, as attributes."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: RowMapping, prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return self._row[self._prefix + name]


@dataclass(frozen=True)
class DraftToIssue:
    """The invoice as stored (any status: the caller refuses what is not a draft)."""

    record: InvoiceRecord
    issuer: Issuer | None  # None before the clinic's settings exist
    customer: Customer | None  # None without a customer, or when it was deleted since


def read(session: Session, invoice_id: UUID) -> DraftToIssue | None:
    """The invoice ``invoice_id`` with its lines, the letterhead and its customer; or None."""
    rows: list[Row[Any]] = list(session.execute(_QUERY, {"invoice_id": str(invoice_id)}))
    if not rows:
        return None
    first = rows[0]._mapping
    lines = [line_of(_columns(row._mapping, "l_")) for row in rows if row.l_id is not None]
    return DraftToIssue(
        record=record_of(_columns(first, "i_"), lines),
        issuer=issuer_of(_columns(first, "s_")) if first["s_tax_id"] is not None else None,
        customer=customer_of(_columns(first, "c_")) if first["c_id"] is not None else None,
    )
