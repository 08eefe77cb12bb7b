"""Phone numbers in E.164: the ones already stored are rewritten once, here.

Every write since this revision stores E.164 (the schemas normalise what is typed), so only the
rows written before need it. A number the library cannot read is left as it was typed (and shown
so); the number itself does not change, so no event is published and the version is kept.

Revision ID: 0005_phones_e164
Revises: 0004_appointment_versions
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clinic_patients.normalize import phone_digits
from clinic_patients.phones import normalised_or_kept

revision: str = "0005_phones_e164"
down_revision: str | None = "0004_appointment_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

patients = sa.table(
    "patients",
    sa.column("id", sa.String),
    sa.column("phone", sa.String),
    sa.column("phone_digits", sa.String),
    sa.column("emergency_contact_phone", sa.String),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(patients.c.id, patients.c.phone, patients.c.emergency_contact_phone).where(
            sa.or_(patients.c.phone.is_not(None), patients.c.emergency_contact_phone.is_not(None))
        )
    ).all()
    for row in rows:
        phone = normalised_or_kept(row.phone)
        contact = normalised_or_kept(row.emergency_contact_phone)
        if (phone, contact) == (row.phone, row.emergency_contact_phone):
            continue
        bind.execute(
            patients.update()
            .where(patients.c.id == row.id)
            .values(
                phone=phone,
                phone_digits=None if phone is None else phone_digits(phone),
                emergency_contact_phone=contact,
            )
        )


def downgrade() -> None:
    # E.164 is a valid way to write every number: nothing to undo.
    pass
