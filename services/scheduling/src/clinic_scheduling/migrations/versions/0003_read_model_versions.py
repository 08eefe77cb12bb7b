"""Read-model versions: the practitioner and patient rows keep the producer's version they hold.

Revision ID: 0003_read_model_versions
Revises: 0002_idempotency_keys
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_read_model_versions"
down_revision: str | None = "0002_idempotency_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("practitioners", "patients"):
        op.add_column(
            table,
            sa.Column("entity_version", sa.Integer(), nullable=False, server_default="0"),
        )


def downgrade() -> None:
    for table in ("practitioners", "patients"):
        op.drop_column(table, "entity_version")
