"""The local copy of scheduling's appointments keeps the appointment version it holds.

Revision ID: 0004_appointment_versions
Revises: 0003_idempotency_keys
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_appointment_versions"
down_revision: str | None = "0003_idempotency_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "patient_appointments",
        sa.Column("entity_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("patient_appointments", "entity_version")
