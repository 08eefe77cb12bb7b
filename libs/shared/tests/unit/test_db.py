"""The embedded SQLite engine: foreign keys on, concurrent read-then-write transactions queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, ForeignKey, Integer, String, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from clinic_shared.db import (
    create_engine_for,
    drop_database,
    ensure_database,
    is_sqlite_url,
    make_session_factory,
)


class Base(DeclarativeBase):
    pass


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Owner(Base):
    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Pet(Base):
    __tablename__ = "pets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path}/data/shared.sqlite"
    ensure_database(url)
    engine = create_engine_for(url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_is_sqlite_url() -> None:
    assert is_sqlite_url("sqlite:///var/data/x.sqlite")
    assert is_sqlite_url("sqlite://")
    assert not is_sqlite_url("mysql+pymysql://root@127.0.0.1:3306/x")


def test_foreign_keys_are_enforced(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1

    sessions = make_session_factory(sqlite_engine)
    with sessions() as session:
        session.add(Pet(id=1, owner_id=999))
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            session.commit()


def test_concurrent_read_then_write_transactions_are_serialised(sqlite_engine: Engine) -> None:
    sessions = make_session_factory(sqlite_engine)
    with sessions.begin() as session:
        session.add(Counter(id=1, value=0))
    writers = 20
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def increment() -> None:
        try:
            start.wait()
            with sessions.begin() as session:
                current = session.scalars(select(Counter.value).where(Counter.id == 1)).one()
                time.sleep(0.002)  # widen the read-to-write window a lost update would need
                session.get_one(Counter, 1).value = current + 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=increment) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with sessions() as session:
        assert session.get_one(Counter, 1).value == writers


def test_sessions_keep_values_readable_after_commit(sqlite_engine: Engine) -> None:
    sessions = make_session_factory(sqlite_engine)
    with sessions() as session:
        owner = Owner(id=1, name="Laura")
        session.add(owner)
        session.commit()

    assert owner.name == "Laura"


def test_ensure_database_creates_the_sqlite_folder_and_drop_removes_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nested" / "deeper" / "x.sqlite"
    url = f"sqlite:///{path}"

    ensure_database(url)
    assert path.parent.is_dir()
    engine = create_engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    assert path.exists()

    drop_database(url)
    assert not path.exists()
    drop_database(url)  # already gone: no error


def test_in_memory_sqlite_needs_no_folder() -> None:
    ensure_database("sqlite://")
    ensure_database("sqlite:///:memory:")
    drop_database("sqlite:///:memory:")
