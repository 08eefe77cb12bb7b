"""Each series' counter keeps the moment of its latest issue, so the next is never stamped
earlier (a clock set back would otherwise list a later number before an earlier one).

Revision ID: 0003_counter_last_issued_at
Revises: 0002_invoice_name_words
Create Date: 2026-12-08

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0003_counter_last_issued_at"
down_revision: str | None = "0002_invoice_name_words"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    with op.batch_alter_table("counters") as counters:
        counters.add_column(sa.Column("last_issued_at", TIMESTAMP, nullable=True))
    # From the invoices already issued: one dive per series on (series, issued_at).
    op.execute(
        "UPDATE counters SET last_issued_at = "
        "(SELECT MAX(invoices.issued_at) FROM invoices WHERE invoices.series = counters.series)"
    )


def downgrade() -> None:
    with op.batch_alter_table("counters") as counters:
        counters.drop_column("last_issued_at")
