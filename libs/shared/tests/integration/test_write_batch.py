"""WriteBatch against the real MariaDB (one round trip) and SQLite (statement by statement)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Engine,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from clinic_shared.db import Timestamp, create_engine_for, from_db, make_session_factory, to_db
from clinic_shared.write_batch import RowCountError, WriteBatch

pytestmark = pytest.mark.integration


class Cents(TypeDecorator[Decimal]):
    """A type that converts on the way in, as billing's money columns do."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(Decimal(value) * 100)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price", Cents, nullable=False),
    Column("on_day", Date, nullable=True),
    Column("at", Timestamp, nullable=True),
)

# Quotes, a backslash, a percent sign and a statement separator: what escaping must survive.
AWKWARD = "O'Brien \\ 50% off; DROP TABLE things; -- ¿Ñandú? 𝄞"


@pytest.fixture(params=["mariadb-together", "mariadb-apart", "sqlite"])
def engine(
    request: pytest.FixtureRequest,
    database_url_factory: Callable[[str], str],
    tmp_path: Any,
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/batch.sqlite"
    else:
        url = database_url_factory("batch")
    built = create_engine_for(url, multi_statements=request.param == "mariadb-together")
    metadata.create_all(built)
    yield built
    built.dispose()


def _round_trips(engine: Engine) -> list[str]:
    """The statements the engine sends through SQLAlchemy (a batch's single query is not one)."""
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return sent


def _row(engine: Engine, thing_id: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(things).where(things.c.id == thing_id)).one()


def test_a_batch_writes_each_statement_with_its_types(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    moment = datetime(2026, 12, 7, 10, 30, 15, 123456, tzinfo=UTC)
    with sessions() as session, session.begin(), WriteBatch(session) as writes:
        writes.execute(insert(things).values(id="a", name=AWKWARD, price=Decimal("12.34")))
        writes.execute(insert(things).values(id="b", name="b", price=0, on_day=date(2026, 2, 28)))
        writes.execute(update(things).where(things.c.id == "a").values(at=to_db(moment)), rows=1)
    first = _row(engine, "a")
    assert first.name == AWKWARD
    assert first.price == Decimal("12.34")
    assert from_db(first.at) == moment
    assert _row(engine, "b").on_day == date(2026, 2, 28)


# Statements kept as constants and given their values per call (compiled once per process).
ADD_THING = insert(things)
RENAME_THING = update(things).where(things.c.id == bindparam("thing_id"))


def test_a_constant_statement_takes_each_calls_values_with_their_types(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    moment = datetime(2026, 12, 7, 10, 30, 15, 123456, tzinfo=UTC)
    for _round in range(2):  # the second round reuses what the first compiled
        with sessions() as session, session.begin(), WriteBatch(session) as writes:
            writes.execute(ADD_THING, {"id": f"a{_round}", "name": AWKWARD, "price": "12.34"})
            writes.execute(ADD_THING, {"id": f"b{_round}", "name": "b", "price": 0})
            changes = {"thing_id": f"b{_round}", "name": "B", "at": to_db(moment)}
            writes.execute(RENAME_THING, changes, rows=1)
    assert [(_row(engine, f"a{n}").name, _row(engine, f"a{n}").price) for n in (0, 1)] == [
        (AWKWARD, Decimal("12.34"))
    ] * 2
    renamed = _row(engine, "b1")
    assert (renamed.name, from_db(renamed.at), renamed.on_day) == ("B", moment, None)
    with (
        pytest.raises(RowCountError),
        sessions() as session,
        session.begin(),
        WriteBatch(session) as writes,
    ):
        writes.execute(RENAME_THING, {"thing_id": "nobody", "name": "x"}, rows=1)


def test_on_mariadb_with_multi_statements_the_writes_go_in_one_round_trip(
    database_url_factory: Callable[[str], str],
) -> None:
    engine = create_engine_for(database_url_factory("batch"), multi_statements=True)
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        session.execute(select(1))  # the connection is open before counting
        sent = _round_trips(engine)
        with WriteBatch(session) as writes:
            for index in range(5):
                writes.execute(insert(things).values(id=str(index), name="x", price=1))
            assert sent == []  # nothing has gone yet
        assert sent == []  # and the five went outside SQLAlchemy's per-statement path
    with engine.connect() as connection:
        assert len(connection.execute(select(things.c.id)).all()) == 5
    engine.dispose()


def _batch(engine: Engine, *writes: tuple[Any, int | None], then: Exception | None = None) -> None:
    """One transaction writing ``writes`` (statement, rows) in a batch; ``then`` raised inside."""
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin(), WriteBatch(session) as batch:
        for statement, rows in writes:
            batch.execute(statement, rows=rows)
        if then is not None:
            raise then


def _ids(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(things.c.id).order_by(things.c.id)))


def test_a_statement_touching_other_than_its_rows_fails_the_whole_transaction(
    engine: Engine,
) -> None:
    kept = (insert(things).values(id="kept?", name="x", price=1), None)
    nobody = (update(things).where(things.c.id == "nobody").values(name="y"), 1)
    with pytest.raises(RowCountError, match="0 rows written, 1 expected"):
        _batch(engine, kept, nobody)
    assert _ids(engine) == []


def test_a_failing_statement_raises_as_sqlalchemy_would_and_nothing_is_kept(
    engine: Engine,
) -> None:
    _batch(engine, (insert(things).values(id="dup", name="first", price=1), None))
    new = (insert(things).values(id="new", name="x", price=1), None)
    again = (insert(things).values(id="dup", name="again", price=1), None)
    with pytest.raises(IntegrityError):
        _batch(engine, new, again)
    assert _ids(engine) == ["dup"]
    # The connection the failure happened on is still usable.
    _batch(engine, (insert(things).values(id="e-after", name="x", price=1), None))
    assert _ids(engine) == ["dup", "e-after"]


def test_nothing_is_sent_when_the_block_raises(engine: Engine) -> None:
    never = (insert(things).values(id="never", name="x", price=1), None)
    with pytest.raises(ValueError, match="changed my mind"):
        _batch(engine, never, then=ValueError("changed my mind"))
    assert _ids(engine) == []
