"""Engines, sessions, database creation and migrations for MariaDB and the embedded SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Engine, Text, create_engine, event, make_url, text
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


def is_sqlite_url(url: str | URL) -> bool:
    """True for the embedded default's SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine_for(
    url: str | URL,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_overflow: int = DEFAULT_MAX_OVERFLOW,
    echo: bool = False,
) -> Engine:
    """An engine tuned for MariaDB (pymysql) or SQLite (serialised writers, foreign keys on)."""
    if is_sqlite_url(url):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        _make_sqlite_behave(engine)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=3600,
    )


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


def run_migrations(url: str | URL, script_location: str | Path, version_table: str) -> None:
    """Upgrade the database at ``url`` to the head of the Alembic scripts in ``script_location``."""
    from alembic import command
    from alembic.config import Config

    ensure_database(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    rendered = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    cfg.set_main_option("version_table", version_table)
    command.upgrade(cfg, "head")
