"""Cancellation reason: why an appointment was cancelled (patient, clinic, late).

Late cancellations count on the patient beside no-shows; the patient index already serves
counting them by patient.

Revision ID: 0005_cancellation_reason
Revises: 0004_working_hours_version
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_cancellation_reason"
down_revision: str | None = "0004_working_hours_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("appointments", sa.Column("cancellation_reason", sa.String(10), nullable=True))


def downgrade() -> None:
    op.drop_column("appointments", "cancellation_reason")
