"""Engines, sessions, database creation and migrations for MariaDB and the embedded SQLite."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymysql.constants import CLIENT
from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    Table,
    Text,
    create_engine,
    delete,
    event,
    make_url,
    text,
)
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

# Column types every service's tables use, spelled once for both databases.
# MariaDB's plain DATETIME drops fractions of a second; keep microseconds.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
# TEXT's 64 KiB cap on MariaDB is not worth the risk for documents such as event envelopes.
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
# SQLite only auto-increments an INTEGER PRIMARY KEY, not a BIGINT one.
AutoId = BigInteger().with_variant(sqlite.INTEGER(), "sqlite")

# FastAPI's threadpool runs 40 sync endpoints at once: the pool matches it so no request
# waits for a connection that a sibling thread is merely holding between queries.
DEFAULT_POOL_SIZE = 20
DEFAULT_MAX_OVERFLOW = 20


@dataclass(frozen=True)
class DbTimeouts:
    """How long a request may wait on the database before it gives up (seconds; 0 = no limit).

    A frozen or unreachable server must fail a request *before* the gateway gives up on it
    (``GatewaySettings.upstream_timeout``, 10 s): the service then answers 503 with
    ``Retry-After`` and rolls the transaction back, instead of the gateway answering 504 while
    the write commits later behind the client's back. The worst case of one checkout is
    ``pool + read`` (the pre-ping of a frozen server) ``+ connect`` (the reconnect), so the
    defaults keep that sum under the gateway's timeout. ``statement`` is MariaDB's
    ``max_statement_time``: the server itself stops a statement that runs too long (shorter
    than ``read`` so the server's error, not a dropped connection, is what the client sees).
    """

    connect: float = 2.0
    read: float = 4.0
    write: float = 4.0
    statement: float = 3.0
    pool: float = 2.0

    def worst_case_seconds(self) -> float:
        """The longest one checkout and statement can block before an error is raised."""
        return self.pool + self.read + self.connect


def _pymysql_timeouts(timeouts: DbTimeouts) -> dict[str, float]:
    args = {
        "connect_timeout": timeouts.connect,
        "read_timeout": timeouts.read,
        "write_timeout": timeouts.write,
    }
    return {name: value for name, value in args.items() if value > 0}


def _client_flags(multi_statements: bool) -> dict[str, int]:
    if not multi_statements:
        return {}
    # Given here, client_flag replaces the dialect's own, so FOUND_ROWS (a rowcount counts the
    # rows matched, as SQLAlchemy expects) is given again.
    return {"client_flag": CLIENT.FOUND_ROWS | CLIENT.MULTI_STATEMENTS}


def is_sqlite_url(url: str | URL) -> bool:
    """True for the embedded default's SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine_for(
    url: str | URL,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_overflow: int = DEFAULT_MAX_OVERFLOW,
    echo: bool = False,
    timeouts: DbTimeouts | None = None,
    multi_statements: bool = False,
) -> Engine:
    """An engine tuned for MariaDB (pymysql) or SQLite (serialised writers, foreign keys on).

    Services pass ``timeouts`` (from their settings) so no request waits on the database longer
    than the gateway waits on them; without it (migrations, CLIs, benchmarks) only a connect
    timeout applies and statements may run as long as they need. ``multi_statements`` lets a
    ``WriteBatch`` send several statements in one round trip (see ``clinic_shared.write_batch``).
    """
    if is_sqlite_url(url):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        _make_sqlite_behave(engine)
        return engine
    limits = timeouts or UNLIMITED_STATEMENTS
    engine = create_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=3600,
        pool_timeout=limits.pool if limits.pool > 0 else 30.0,
        connect_args={**_pymysql_timeouts(limits), **_client_flags(multi_statements)},
    )
    if limits.statement > 0:
        _limit_statement_time(engine, limits.statement)
    return engine


# Migrations, CLIs and benchmarks: a dead server still fails fast, a long statement may finish.
UNLIMITED_STATEMENTS = DbTimeouts(connect=5.0, read=0, write=0, statement=0, pool=30.0)


def _limit_statement_time(engine: Engine, seconds: float) -> None:
    # MariaDB aborts a statement running longer than max_statement_time (error 1969) and keeps
    # the connection usable; MySQL has no such variable, so only MariaDB servers get it.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if "mariadb" not in str(dbapi_connection.get_server_info()).lower():
            return
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION max_statement_time = {float(seconds):.3f}")
        finally:
            cursor.close()


def _make_sqlite_behave(engine: Engine) -> None:
    # pysqlite's own transaction handling starts transactions lazily as DEFERRED, so two
    # read-then-write transactions deadlock into "database is locked". Taking the write
    # lock up front (BEGIN IMMEDIATE) makes concurrent writers queue instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values readable after commit (responses are built then)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def ensure_database(url: str | URL) -> None:
    """Create the database named in ``url`` if missing (MariaDB) or its folder (SQLite)."""
    parsed = make_url(url)
    if is_sqlite_url(parsed):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return
    name = parsed.database
    if not name:
        raise ValueError("database URL names no database")
    server = create_engine(parsed.set(database=""), pool_pre_ping=True)
    try:
        with server.begin() as conn:
            conn.execute(
                text(
                    f"CREATE DATABASE IF NOT EXISTS `{_quoted_name(name)}` "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
            )
    finally:
        server.dispose()


def drop_database(url: str | URL) -> None:
    """Drop the database named in ``url`` (test teardown)."""
    parsed = make_url(url)
    if is_sqlite_url(parsed):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).unlink(missing_ok=True)
        return
    server = create_engine(parsed.set(database=""))
    try:
        with server.begin() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{_quoted_name(parsed.database or '')}`"))
    finally:
        server.dispose()


def _quoted_name(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe database name: {name!r}")
    return name


def run_migrations(
    url: str | URL, script_location: str | Path, version_table: str, revision: str = "head"
) -> None:
    """Upgrade the database at ``url`` to ``revision`` of the Alembic scripts in
    ``script_location`` (their head unless a test needs an older schema to migrate from)."""
    from alembic import command
    from alembic.config import Config

    ensure_database(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    rendered = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    cfg.set_main_option("version_table", version_table)
    command.upgrade(cfg, revision)


# What every service's storage modules share: a read transaction, times in and out of DATETIME.
def reading(session: Session) -> AbstractContextManager[object]:
    """A transaction for reads, unless the caller already holds one."""
    return nullcontext() if session.in_transaction() else session.begin()


def to_db(moment: datetime) -> datetime:
    """Aware datetime -> naive UTC for a DATETIME column."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    """Naive UTC from a DATETIME column -> aware UTC."""
    return moment.replace(tzinfo=UTC)


def empty(session: Session, *tables: Table) -> None:
    """Delete every row of ``tables`` (the test reset, a read-model rebuild)."""
    for table in tables:
        session.execute(delete(table))
