"""Give MariaDB the memory a clinic's server would have, for the length of a benchmark.

Debian's MariaDB starts with a 128 MiB InnoDB buffer pool; a million appointments with their
indexes take about half a gigabyte, so random weeks would be read from disk and the tail
would measure the disk, not the service. A production server is sized to hold its working
set (``deploy/mariadb/conf.d/clinic.cnf`` asks for 1 GiB), so the benchmark does the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Table, create_engine, func, select

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
        for table in tables:  # as on a server that has been up a while: the data in memory
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for index in table.indexes:  # identifiers from our own metadata, not from input
                first = next(iter(index.columns)).name
                where = f"WHERE {first} IS NOT NULL"
                sql = f"SELECT COUNT(*) FROM {table.name} FORCE INDEX ({index.name}) {where}"  # noqa: S608
                conn.exec_driver_sql(sql).scalar_one()
    try:
        yield
    finally:
        if before < size:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SET GLOBAL innodb_buffer_pool_size = {before}")
        engine.dispose()
