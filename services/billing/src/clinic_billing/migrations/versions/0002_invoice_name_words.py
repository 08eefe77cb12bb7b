"""The search by name's word index (invoice_name_words) replaces the full-text index.

Revision ID: 0002_invoice_name_words
Revises: 0001_initial
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0002_invoice_name_words"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
BATCH = 5_000


def upgrade() -> None:
    words = op.create_table(
        "invoice_name_words",
        sa.Column("word", sa.String(length=200), nullable=False),
        sa.Column("issued_at", TIMESTAMP, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("customer_search", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("word", "issued_at", "created_at", "invoice_id"),
    )
    assert words is not None
    _index_issued_invoices(words)
    op.drop_index("ix_invoices_customer_search", table_name="invoices")


def _index_issued_invoices(words: sa.Table) -> None:
    """Every issued invoice's name words, as issuing writes them from now on."""
    connection = op.get_bind()
    invoices = sa.table(
        "invoices",
        sa.column("issued_at", TIMESTAMP),
        sa.column("created_at", TIMESTAMP),
        sa.column("id", sa.String()),
        sa.column("customer_search", sa.String()),
    )
    issued = connection.execute(
        sa.select(
            invoices.c.issued_at, invoices.c.created_at, invoices.c.id, invoices.c.customer_search
        ).where(invoices.c.issued_at.is_not(None))
    )
    rows = [
        {
            "word": word,
            "issued_at": issued_at,
            "created_at": created_at,
            "invoice_id": invoice_id,
            "customer_search": name,
        }
        for issued_at, created_at, invoice_id, name in issued
        for word in sorted(set(name.split()))
    ]
    for start in range(0, len(rows), BATCH):
        connection.execute(sa.insert(words), rows[start : start + BATCH])


def downgrade() -> None:
    op.create_index(
        "ix_invoices_customer_search",
        "invoices",
        ["customer_search"],
        unique=False,
        mysql_prefix="FULLTEXT",
        mariadb_prefix="FULLTEXT",
    )
    op.drop_table("invoice_name_words")
