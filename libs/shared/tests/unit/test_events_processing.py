"""Applied once: the handler's writes and the processed-event mark commit, or roll back, together.

On SQLite (the consumer's MariaDB runs are in tests/integration/test_events_consumer.py); the
unique key on the event id is what refuses a second mark on either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import EventEnvelope, new_envelope, processed_events_table
from clinic_shared.events.processing import apply_and_mark, apply_once


class Model:
    def __init__(self, engine: Engine) -> None:
        metadata = MetaData()
        self.processed = processed_events_table(metadata)
        self.applied = Table(
            "applied",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False),
        )
        metadata.create_all(engine)
        self.engine = engine
        self.sessions: sessionmaker[Session] = make_session_factory(engine)

    def record(self, session: Session, envelope: EventEnvelope) -> None:
        session.execute(insert(self.applied).values(event_id=envelope.id))

    def fail(self, session: Session, envelope: EventEnvelope) -> None:
        self.record(session, envelope)
        raise RuntimeError("handler failed")

    def applied_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(self.applied.c.event_id).order_by(self.applied.c.id)))

    def marks(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.processed.c.event_id, self.processed.c.consumer))
            return [(row.event_id, row.consumer) for row in rows]


@pytest.fixture
def model(tmp_path: Path) -> Iterator[Model]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'consumer.sqlite'}")
    yield Model(engine)
    engine.dispose()


def event() -> EventEnvelope:
    return new_envelope("user.registered", {"userId": "u1"}, "test")


def test_an_event_is_applied_and_marked_once_and_its_duplicate_skipped(model: Model) -> None:
    envelope = event()

    first = apply_once(model.sessions, model.processed, "billing", envelope, model.record)
    again = apply_once(model.sessions, model.processed, "billing", envelope, model.record)

    assert (first, again) == (True, False)
    assert model.applied_ids() == [envelope.id]
    assert model.marks() == [(envelope.id, "billing")]


def test_a_failed_handler_leaves_neither_its_writes_nor_the_mark(model: Model) -> None:
    envelope = event()

    with pytest.raises(RuntimeError, match="handler failed"):
        apply_once(model.sessions, model.processed, "billing", envelope, model.fail)

    assert (model.applied_ids(), model.marks()) == ([], [])
    # Not marked, so the retry applies it.
    assert apply_once(model.sessions, model.processed, "billing", envelope, model.record)
    assert model.applied_ids() == [envelope.id]


def test_a_replay_applies_a_processed_event_again_and_marks_it_once(model: Model) -> None:
    processed, fresh = event(), event()
    apply_once(model.sessions, model.processed, "billing", processed, model.record)

    apply_and_mark(model.sessions, model.processed, "billing", processed, model.record)
    apply_and_mark(model.sessions, model.processed, "billing", fresh, model.record)

    assert model.applied_ids() == [processed.id, processed.id, fresh.id]
    assert sorted(model.marks()) == sorted([(processed.id, "billing"), (fresh.id, "billing")])
    # Marked by the replay: the live consumer skips it when it arrives.
    assert not apply_once(model.sessions, model.processed, "billing", fresh, model.record)


def test_a_replay_without_a_processed_table_only_applies(model: Model) -> None:
    envelope = event()

    apply_and_mark(model.sessions, None, "billing", envelope, model.record)

    assert (model.applied_ids(), model.marks()) == ([envelope.id], [])
