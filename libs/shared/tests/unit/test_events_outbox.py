"""Published once after commit: the outbox's tables, and the relay woken by commits only.

The relay itself is tested against MariaDB and Redis in tests/integration; here on SQLite,
with a waker standing in for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, Table, select
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.schema import CreateIndex, CreateTable, ExecutableDDLElement

from clinic_shared.contracts.patients import PatientReactivated
from clinic_shared.db import create_engine_for
from clinic_shared.events import (
    EventEnvelope,
    OutboxWriter,
    add_event,
    outbox_table,
    processed_events_table,
)
from clinic_shared.events.wakeup import register_waker


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'outbox.sqlite'}")
    yield engine
    engine.dispose()


@pytest.fixture
def outbox(engine: Engine) -> Table:
    metadata = MetaData()
    table = outbox_table(metadata)
    metadata.create_all(engine)
    return table


@pytest.fixture
def wakes(outbox: Table) -> Iterator[list[int]]:
    """How many times the table's relays were woken (a list holding one count)."""
    count = [0]

    def wake() -> None:
        count[0] += 1

    unregister = register_waker(outbox, wake)
    yield count
    unregister()


def add(session: Session, outbox: Table) -> EventEnvelope:
    return add_event(
        session, outbox, stream="events.t", type="user.registered", data={}, producer="t"
    )


def _ddl(table: Table) -> list[str]:
    dialect = mysql.dialect(is_mariadb=True)
    statements: list[ExecutableDDLElement] = [CreateTable(table)]
    statements += [CreateIndex(index) for index in table.indexes]
    return [" ".join(str(s.compile(dialect=dialect)).split()) for s in statements]


def test_the_tables_are_those_every_services_migration_creates() -> None:
    # services/*/migrations/versions/0001_initial.py create these: a change here needs a
    # migration in each service. The unique event id is what refuses a second publish row
    # and a second mark; the pending index is what the relay scans.
    metadata = MetaData()

    assert _ddl(outbox_table(metadata)) == [
        "CREATE TABLE outbox ( id BIGINT NOT NULL AUTO_INCREMENT, event_id VARCHAR(36) NOT NULL, "
        "stream VARCHAR(100) NOT NULL, event_type VARCHAR(100) NOT NULL, payload MEDIUMTEXT NOT "
        "NULL, created_at DATETIME(6) NOT NULL, published_at DATETIME(6), attempts INTEGER NOT "
        "NULL DEFAULT '0', last_error TEXT, PRIMARY KEY (id), UNIQUE (event_id) )",
        "CREATE INDEX ix_outbox_pending ON outbox (published_at, id)",
    ]
    assert _ddl(processed_events_table(metadata)) == [
        "CREATE TABLE processed_events ( event_id VARCHAR(36) NOT NULL, consumer VARCHAR(100) "
        "NOT NULL, handled_at DATETIME(6) NOT NULL, PRIMARY KEY (event_id) )"
    ]


def test_an_event_is_stored_pending_as_a_version_1_envelope(engine: Engine, outbox: Table) -> None:
    with Session(engine) as session, session.begin():
        envelope = add(session, outbox)
    with engine.connect() as conn:
        row = conn.execute(select(outbox)).one()

    assert (row.event_id, row.published_at, row.attempts, row.last_error) == (
        envelope.id,
        None,
        0,
        None,
    )
    assert EventEnvelope.model_validate_json(row.payload).version == 1


def test_a_commit_that_added_events_wakes_the_relay_once(
    engine: Engine, outbox: Table, wakes: list[int]
) -> None:
    with Session(engine) as session:
        with session.begin():
            add(session, outbox)
            add(session, outbox)
            assert wakes == [0]  # not before the commit
        assert wakes == [1]
        with session.begin():
            pass  # nothing added: nobody woken
    assert wakes == [1]


def test_a_rolled_back_event_wakes_nobody_then_or_at_a_later_commit(
    engine: Engine, outbox: Table, wakes: list[int]
) -> None:
    def fail_after_adding_an_event(session: Session) -> None:
        with session.begin():
            add(session, outbox)
            raise RuntimeError("use case failed")

    with Session(engine) as session:
        with pytest.raises(RuntimeError):
            fail_after_adding_an_event(session)
        with session.begin():
            pass

    assert wakes == [0]


@pytest.mark.parametrize("end", [SessionTransaction.rollback, SessionTransaction.commit])
def test_a_savepoint_ending_keeps_the_wake_up_for_the_outer_commit(
    engine: Engine, outbox: Table, wakes: list[int], end: Callable[[SessionTransaction], None]
) -> None:
    with Session(engine) as session:
        with session.begin():
            add(session, outbox)
            end(session.begin_nested())  # the savepoint's end is not the transaction's
        assert wakes == [1]


def test_the_writer_is_frozen(outbox: Table) -> None:
    writer = OutboxWriter(outbox, "events.t", "patients")
    assert writer.stream == "events.t"

    with pytest.raises(dataclasses.FrozenInstanceError):
        writer.stream = "events.other"  # type: ignore[misc]


def test_the_writer_emits_on_its_stream(engine: Engine, outbox: Table, wakes: list[int]) -> None:
    writer = OutboxWriter(outbox, "events.patients.t", "patients")

    with Session(engine) as session, session.begin():
        writer.add(session, PatientReactivated.model_validate(PatientReactivated.EXAMPLE))
    with engine.connect() as conn:
        assert conn.execute(select(outbox.c.stream)).scalars().all() == ["events.patients.t"]
    assert wakes == [1]
