"""Working-hours version: the weekly template's ETag, so its PUT needs If-Match like every PUT.

Revision ID: 0004_working_hours_version
Revises: 0003_read_model_versions
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_working_hours_version"
down_revision: str | None = "0003_read_model_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "practitioners",
        sa.Column("working_hours_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("practitioners", "working_hours_version")
