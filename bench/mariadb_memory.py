"""Give MariaDB the memory a clinic's server would have, for the length of a benchmark.

Debian's MariaDB starts with a 128 MiB InnoDB buffer pool; a million appointments with their
indexes take about half a gigabyte, so random weeks would be read from disk and the tail
would measure the disk, not the service. A production server is sized to hold its working
set (``deploy/mariadb/conf.d/clinic.cnf`` asks for 1 GiB), so the benchmark does the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, create_engine

MIB = 1024 * 1024
BENCH_BUFFER_POOL = 1024 * MIB


@contextmanager
def buffer_pool(url: str, tables: list[Table], size: int = BENCH_BUFFER_POOL) -> Iterator[None]:
    """Raise the server's buffer pool to ``size`` if smaller, read ``tables`` into it, restore."""
    engine = create_engine(url)
    with engine.connect() as conn:
        before = int(conn.exec_driver_sql("SELECT @@innodb_buffer_pool_size").scalar_one())
        if before < size:
            conn.exec_driver_sql(f"SET GLOBAL innodb_buffer_pool_size = {int(size)}")
            print(
                f"MariaDB buffer pool raised from {before // MIB} to {size // MIB} MiB for the run"
            )
        warm(conn, tables)
    try:
        yield
    finally:
        if before < size:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SET GLOBAL innodb_buffer_pool_size = {before}")
        engine.dispose()


def warm(conn: Connection, tables: list[Table]) -> None:
    """Read ``tables`` and each of their indexes once, as on a server that has been up a while.

    A scan's pages normally enter the LRU's old end (3/8 of the pool) and would push each other
    out there, leaving the pool full of what was read before (a dropped table's pages after a
    rebuild); with ``innodb_old_blocks_time`` 0 a page read again moves to the young end.
    """
    before = conn.exec_driver_sql("SELECT @@innodb_old_blocks_time").scalar_one()
    conn.exec_driver_sql("SET GLOBAL innodb_old_blocks_time = 0")
    try:
        _read(conn, tables)
    finally:
        conn.exec_driver_sql(f"SET GLOBAL innodb_old_blocks_time = {int(before)}")


def disk_reads(conn: Connection) -> int:
    """Pages the server has read from disk so far (all databases): a measurement that needed
    many has measured the disk."""
    row = conn.exec_driver_sql("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'").one()
    return int(row[1])


def _read(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        # The rows themselves: a plain COUNT(*) would read the smallest secondary index instead.
        rows = f"SELECT COUNT(*) FROM {table.name} FORCE INDEX (PRIMARY)"  # noqa: S608
        conn.exec_driver_sql(rows).scalar_one()
        for index in table.indexes:  # identifiers from our own metadata, not from input
            first = next(iter(index.columns)).name
            where = f"WHERE {first} IS NOT NULL"
            sql = f"SELECT COUNT(*) FROM {table.name} FORCE INDEX ({index.name}) {where}"  # noqa: S608
            conn.exec_driver_sql(sql).scalar_one()
