"""Writes that reach MariaDB together: several statements in one round trip.

Issuing an invoice holds its series' counter and the issuer's chain head locked from its
first read to its commit, and every issue of the clinic queues on them, so the time between
is the issuing rate. Sent one by one, each write there costs a round trip, and on the way
back the thread waits for the interpreter lock behind the other requests: about a
millisecond each on a busy two-core machine, five writes per issue. Sent as one
multi-statement query (the engine built with ``multi_statements=True``) they cost one.

Statements are compiled by SQLAlchemy as usual (column types convert the values) and their
parameters escaped by the driver (pymysql always escapes on the client: nothing here is
interpolated that would not be otherwise). Each statement can state how many rows it must
touch; a batch that breaks that rule raises before the caller commits, so the transaction
rolls back whole. On SQLite, or an engine without multi-statements, each statement runs
when it is added: nothing waits in a round trip there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from pymysql.constants import CLIENT
from pymysql.err import Error as PyMySQLError
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


class RowCountError(RuntimeError):
    """A statement of a batch touched another number of rows than it had to."""


@dataclass(frozen=True)
class _Pending:
    sql: str
    rows: int | None
    what: str


class WriteBatch:
    """Statements of ``session``'s transaction, sent together when the block ends.

    ``with WriteBatch(session) as writes: writes.execute(update(...), rows=1)``. Reads do not
    belong here (nothing comes back but row counts). ``info`` is the session's, so helpers
    that note things for after the commit (the outbox's relay wake-up) work on a batch too.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.info: dict[Any, Any] = session.info
        connection = session.connection()
        self._dialect: Dialect = connection.dialect
        raw = connection.connection.dbapi_connection
        flags = getattr(raw, "client_flag", 0) if self._dialect.name == "mysql" else 0
        # The pymysql connection, when it may send several statements at once.
        self._driver: Any = raw if flags & CLIENT.MULTI_STATEMENTS else None
        self._pending: list[_Pending] = []

    def execute(
        self,
        statement: UpdateBase,
        parameters: Mapping[str, Any] | None = None,
        *,
        rows: int | None = None,
        what: str = "",
    ) -> None:
        """Add a write; ``rows``: how many rows it must touch (None: any number).

        ``parameters``: the values of a statement kept as a constant (``bindparam``s, and the
        columns to set as keys), compiled once per process instead of on every call: a
        compile costs a few hundred microseconds, which under issuing's locks is the rate.
        """
        what = what or getattr(getattr(statement, "table", None), "name", "a statement")
        if self._driver is None:
            result = self.session.execute(statement, parameters)
            _check(result.rowcount, _Pending("", rows, what))  # type: ignore[attr-defined]
            return
        self._pending.append(_Pending(self._sql(statement, parameters), rows, what))

    def flush(self) -> None:
        """Send what is pending in one round trip and check each statement's row count."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        sql = ";\n".join(item.sql for item in pending)
        try:
            with self._driver.cursor() as cursor:
                cursor.execute(sql)  # no arguments: the values are already escaped in
                for index, item in enumerate(pending):
                    if index:
                        cursor.nextset()
                    _check(cursor.rowcount, item)
        except PyMySQLError as error:
            # As SQLAlchemy would have raised it, so the usual mapping (409, 503) applies.
            raise DBAPIError.instance(sql, None, error, PyMySQLError) from error

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.flush()

    def _sql(self, statement: UpdateBase, parameters: Mapping[str, Any] | None) -> str:
        assert self._driver is not None
        if parameters is None:
            # Expanding IN lists are rendered out here: the driver only fills plain parameters.
            compiled = statement.compile(
                dialect=self._dialect, compile_kwargs={"render_postcompile": True}
            )
            assert isinstance(compiled, SQLCompiler)
            template = _Template(compiled, _processors(compiled, self._dialect))
            values = compiled.construct_params()
        else:
            template = _template(statement, self._dialect, tuple(sorted(parameters)))
            values = template.compiled.construct_params(dict(parameters))
        for key, processor in template.processors.items():
            if key in values:
                values[key] = processor(values[key])
        sql: str = self._driver.cursor().mogrify(template.compiled.string, values)
        return sql


@dataclass(frozen=True)
class _Template:
    compiled: SQLCompiler
    # Each parameter's conversion to what the driver takes (the column type's processor).
    processors: Mapping[str, Callable[[Any], Any]]


@functools.lru_cache(maxsize=512)
def _template(statement: UpdateBase, dialect: Dialect, keys: tuple[str, ...]) -> _Template:
    """``statement`` compiled for parameters named ``keys`` (statements hash by identity)."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    return _Template(compiled, _processors(compiled, dialect))


def _processors(compiled: SQLCompiler, dialect: Dialect) -> dict[str, Callable[[Any], Any]]:
    found: dict[str, Callable[[Any], Any]] = {}
    for name, bind in compiled.binds.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            found[compiled.escaped_bind_names.get(name, name)] = processor
    return found


def _check(count: int, item: _Pending) -> None:
    if item.rows is not None and count != item.rows:
        raise RowCountError(f"{item.what}: {count} rows written, {item.rows} expected")
