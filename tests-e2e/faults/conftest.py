"""The fault suite's own servers: a private MariaDB and Redis, and a stack on them.

Every scenario here stops, freezes or empties a server, so none of it may touch the shared
MariaDB (127.0.0.1:3306) and Redis (6379) other suites use: this conftest starts its own on
private ports (``mariadb-install-db`` into a temporary datadir, ``mariadbd`` without grant
tables; ``redis-server`` without persistence except the snapshot a "keep the data" stop writes),
then ``scripts/stack.py``'s ``Stack`` on them, supervised as in ``make run``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clinic_shared.testing.ports import free_port_base
from faults.servers import (
    INSTALL_DB,
    MARIADBD,
    PREFIX,
    REDIS_SERVER,
    PrivateMariaDB,
    PrivateRedis,
)
from stack import ROOT, Stack, running


@pytest.fixture(scope="session")
def fault_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="clinic-faults-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb(fault_dir: Path) -> Iterator[PrivateMariaDB]:
    if not (os.access(MARIADBD, os.X_OK) and os.access(INSTALL_DB, os.X_OK)):
        pytest.skip("mariadbd / mariadb-install-db not installed")
    server = PrivateMariaDB(fault_dir / "mariadb")
    server.folder.mkdir()
    server.install()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(fault_dir: Path) -> Iterator[PrivateRedis]:
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip("redis-server not installed")
    server = PrivateRedis(fault_dir / "redis")
    server.folder.mkdir()
    server.start()
    yield server
    server.stop(keep_data=False)


@pytest.fixture(scope="session")
def fault_stack(
    fault_dir: Path, mariadb: PrivateMariaDB, redis_server: PrivateRedis
) -> Iterator[Stack]:
    """The whole system, supervised, on the private servers (seeded with the demo clinic)."""
    system = Stack(
        app_env="test",
        port_base=int(os.environ.get("FAULTS_PORT_BASE", "0")) or free_port_base(),
        database_server=mariadb.url,
        database_prefix=PREFIX,
        redis_url=redis_server.url,
        var_dir=fault_dir / "var",
        log_dir=ROOT / "var" / "faults" / f"logs-{os.getpid()}",
        fast_password_hashing=True,
    )
    with running(system):
        yield system


@pytest.fixture(scope="session")
def gateway(fault_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fault_stack.gateway_url, timeout=30) as client:
        yield client
