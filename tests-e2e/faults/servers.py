"""The fault suite's private servers: MariaDB and Redis it may stop, freeze and empty."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pymysql
import redis

from clinic_shared.testing.ports import free_port as _free_port

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PREFIX = "faults_"


def _wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # not up yet
            time.sleep(0.1)
            continue
        time.sleep(0.1)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


class PrivateMariaDB:
    """mariadbd on a private port and socket, with a throw-away datadir."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.datadir = folder / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mysql+pymysql://root@127.0.0.1:{self.port}"

    def install(self) -> None:
        subprocess.run(
            [
                INSTALL_DB, "--no-defaults", f"--datadir={self.datadir}", "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db",
            ],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self) -> None:
        log = (self.folder / "mariadbd.log").open("ab")
        self.process = subprocess.Popen(
            [
                MARIADBD, "--no-defaults", f"--datadir={self.datadir}", "--user=root",
                f"--port={self.port}", "--bind-address=127.0.0.1",
                f"--socket={self.folder / 'mariadbd.sock'}",
                f"--pid-file={self.folder / 'mariadbd.pid'}",
                "--skip-grant-tables", "--skip-name-resolve", "--skip-log-bin",
                "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2",
                "--max-connections=400",
            ],
            stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        _wait_for(self.answers, 30, "private MariaDB")

    def answers(self) -> bool:
        conn = pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1)
        conn.close()
        return True

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as an operator or a crashed host would cause."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def query(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        conn = pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=2)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        finally:
            conn.close()


class PrivateRedis:
    """redis-server on a private port; a stop either keeps its data (snapshot) or loses it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True, socket_timeout=2)

    def start(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no",
                "--dir", str(self.folder), "--dbfilename", "dump.rdb",
            ],
            stdout=log, stderr=log,
        )  # fmt: skip
        log.close()
        _wait_for(lambda: self.client().ping(), 10, "private Redis")

    def stop(self, *, keep_data: bool) -> None:
        if self.process is None:
            return
        with contextlib.suppress(redis.ConnectionError):  # it hangs up as it shuts down
            self.client().shutdown(save=keep_data, nosave=not keep_data)
        self.process.wait(timeout=10)
        self.process = None
        if not keep_data:
            (self.folder / "dump.rdb").unlink(missing_ok=True)
