"""Finding 19 (and 14): ``clinic-scheduling replay-dead`` and ``republish-outbox``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import redis
from sqlalchemy import select, update

from clinic_scheduling.cli import run
from clinic_scheduling.infrastructure.tables import outbox, patients
from clinic_shared.clock import utcnow
from clinic_shared.events import to_fields

pytestmark = pytest.mark.integration


def test_replay_dead_applies_what_was_parked(
    api: Any, settings_factory: Any, redis_client: redis.Redis
) -> None:
    settings = settings_factory(service_name=f"sched{uuid.uuid4().hex[:8]}")
    dead = f"dead.{settings.service_name}"
    parked = api.patient_event(fullName="Parked Patient")
    fields = {**to_fields(parked), "error": "OperationalError: (2003) server gone"}
    redis_client.xadd(dead, fields)  # type: ignore[arg-type]
    redis_client.xadd(dead, {"envelope": "{not json", "error": "malformed"})
    try:
        answer = run(["replay-dead"], settings)

        assert answer.startswith(f"{dead}: 1 applied, 0 already processed, 1 still failing")
        with api._session() as session:
            name = session.execute(
                select(patients.c.full_name).where(patients.c.id == parked.data["patientId"])
            ).scalar_one()
        assert name == "Parked Patient"
        assert redis_client.xlen(dead) == 1  # the malformed one stays for a human
        assert run(["replay-dead"], settings).startswith(f"{dead}: 0 applied")
    finally:
        redis_client.delete(dead)


def test_republish_outbox_marks_rows_published_since_pending(api: Any, settings: Any) -> None:
    with api._session() as session, session.begin():
        session.execute(update(outbox).values(published_at=utcnow()))
    answer = run(
        ["republish-outbox", "--since", "2000-01-01T00:00:00Z", "--stream", "nope"], settings
    )
    assert answer.startswith("0 event(s) of nope published since 2000-01-01T00:00:00+00:00")
    with api._session() as session:
        total = len(session.execute(select(outbox.c.id)).all())
    answer = run(["republish-outbox", "--since", "2000-01-01T00:00:00Z"], settings)
    assert answer.startswith(f"{total} event(s) published since")
