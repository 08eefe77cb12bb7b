"""A throw-away MariaDB primary and a replica replicating from it, on private ports.

For the read-replica tests: two ``mariadbd`` processes with their own datadirs under a
temporary folder (never the machine's server on 3306), the primary writing a binary log, the
replica following it by GTID. Both run without grant tables (root, no password), like the
fault suite's private server.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pymysql

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """One private ``mariadbd``."""

    folder: Path
    server_id: int
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return f"mysql+pymysql://root@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        datadir = self.folder / "data"
        if not datadir.exists():
            subprocess.run(  # noqa: S603 - the machine's own MariaDB tools
                [INSTALL_DB, "--no-defaults", f"--datadir={datadir}", "--user=root",
                 "--auth-root-authentication-method=normal", "--skip-test-db"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        log = (self.folder / "mariadbd.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - the machine's own mariadbd
            [
                MARIADBD, "--no-defaults", f"--datadir={datadir}", "--user=root",
                f"--port={self.port}", "--bind-address=127.0.0.1",
                f"--socket={self.folder / 'mariadbd.sock'}",
                f"--pid-file={self.folder / 'mariadbd.pid'}",
                "--skip-grant-tables", "--skip-name-resolve",
                f"--server-id={self.server_id}", f"--log-bin={self.folder / 'binlog'}",
                "--binlog-format=ROW", "--log-slave-updates",
                "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
            ],
            stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while True:
            try:
                self.query("SELECT 1")
                return
            except pymysql.MySQLError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.process = None

    def query(self, sql: str) -> list[dict[str, object]]:
        conn = pymysql.connect(
            host="127.0.0.1", port=self.port, user="root", connect_timeout=2,
            cursorclass=pymysql.cursors.DictCursor, autocommit=True,
        )  # fmt: skip
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())
        finally:
            conn.close()


@dataclass
class ReplicatedPair:
    """The primary and its replica."""

    primary: Server
    replica: Server

    def follow(self, delay_seconds: int = 0) -> None:
        """(Re)start replication from the primary, applying events ``delay_seconds`` late."""
        self.replica.query("STOP REPLICA")
        self.replica.query(
            f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={self.primary.port}, "
            f"MASTER_USER='root', MASTER_USE_GTID=slave_pos, MASTER_DELAY={delay_seconds}"
        )
        self.replica.query("START REPLICA")

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """Replication stopped for the block: the replica serves what it had."""
        self.replica.query("STOP REPLICA")
        try:
            yield
        finally:
            self.replica.query("START REPLICA")

    @contextmanager
    def delayed(self, seconds: int) -> Iterator[None]:
        """Every change reaches the replica ``seconds`` late in the block; caught up after."""
        self.follow(delay_seconds=seconds)
        try:
            yield
        finally:
            self.follow(delay_seconds=0)
        self.caught_up(timeout=60)

    @contextmanager
    def replica_down(self) -> Iterator[None]:
        """The replica's server stopped for the block, then started and following again."""
        self.replica.stop()
        try:
            yield
        finally:
            self.replica.start()
            self.follow()

    def caught_up(self, timeout: float = 30) -> None:
        """Wait until the replica has applied everything the primary has written."""
        position = self.primary.query("SELECT @@gtid_binlog_pos AS pos")[0]["pos"]
        found = self.replica.query(f"SELECT MASTER_GTID_WAIT('{position}', {timeout}) AS r")
        if found[0]["r"] != 0:
            raise TimeoutError(f"the replica did not reach {position} in {timeout} s")


@contextmanager
def replicated_mariadb() -> Iterator[ReplicatedPair]:
    """A running primary and replica, stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-replication-"))
    pair = ReplicatedPair(Server(folder / "primary", 1), Server(folder / "replica", 2))
    try:
        for server in (pair.primary, pair.replica):
            server.folder.mkdir()
            server.start()
        pair.follow()
        yield pair
    finally:
        for server in (pair.replica, pair.primary):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether ``condition`` holds within ``timeout`` seconds (a replica's reads move with its
    health checks, every ``replica_check_seconds``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
