"""On the embedded SQLite default too, the read audit is append-only: UPDATE and DELETE abort.

The initial revision gave MariaDB two triggers refusing both; SQLite had none, so a row of the
audit could be changed or removed there by anyone with the file. These are the same two
triggers in SQLite's dialect (``RAISE(ABORT, ...)`` undoes the statement and fails it). On
MariaDB this revision does nothing.

Revision ID: 0002_sqlite_audit_append_only
Revises: 0001_initial
Create Date: 2026-12-07

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_sqlite_audit_append_only"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same names and message as MariaDB's, so the tests and the logs read alike on both.
_REFUSED = ("UPDATE", "DELETE")


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _is_sqlite():
        return
    for event in _REFUSED:
        op.execute(
            f"CREATE TRIGGER read_audit_no_{event.lower()} BEFORE {event} ON read_audit "
            "BEGIN SELECT RAISE(ABORT, 'read_audit is append-only'); END"
        )


def downgrade() -> None:
    if not _is_sqlite():
        return
    for event in _REFUSED:
        op.execute(f"DROP TRIGGER IF EXISTS read_audit_no_{event.lower()}")
