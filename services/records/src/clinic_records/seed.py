"""Demo data and the test reset.

Patients, practitioners and completed sessions arrive only as events, and clinical entries
are written by practitioners, so nothing is seeded. The reset empties everything but the
read audit, which is append-only (a trigger refuses DELETE on it, on MariaDB and SQLite).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_records.infrastructure.tables import (
    amendments,
    entries,
    episodes,
    idempotency_keys,
    measures,
    outbox,
    sessions,
)
from clinic_shared.db import empty


def seed_demo(session: Session) -> int:
    """Nothing to seed (everything comes from events or people); returns rows added."""
    return 0


def reset(session: Session) -> None:
    """Empty the clinical content and the outbox (the read models and the audit stay)."""
    with session.begin():
        empty(session, amendments, entries, measures, episodes, sessions, outbox, idempotency_keys)
