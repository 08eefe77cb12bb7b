"""`make test-containers`: the Python suites on throw-away MariaDB and Redis containers.

Where a Docker engine answers (a developer's laptop), MariaDB 11 and Redis 7 are started with
testcontainers, the suites are pointed at them through the variables they already read
(``TEST_DATABASE_URL``, ``TEST_REDIS_URL``: clinic_shared.testing.plugin, tests-e2e/conftest.py,
scripts/stack.py), the command given is run (the Makefile passes ``make test-py``, so the list
of suites stays in the Makefile) and both containers are removed whatever happens. Without an
engine it says so in one line and exits 2: ``make test`` uses the servers at 127.0.0.1.

    uv run --frozen python scripts/test_containers.py make test-py
    uv run --frozen python scripts/test_containers.py pytest services/billing -q
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import FrameType
from urllib.parse import quote

# The images compose.yaml runs in production (tests-deploy/test_test_containers.py keeps them
# in step), so these suites meet the servers the clinic will.
MARIADB_IMAGE = "mariadb:11.8"
REDIS_IMAGE = "redis:7.4-alpine"
MARIADB_PORT = 3306
REDIS_PORT = 6379
NO_ENGINE_EXIT = 2
# Debian keeps mariadbd in /usr/sbin, often off a user's PATH; the tests fall back to these too.
FALLBACK_BIN_DIRS = ("/usr/sbin", "/usr/bin")


@dataclass(frozen=True)
class Address:
    """Where a container's published port answers on this machine."""

    host: str
    port: int


@dataclass(frozen=True)
class HostNeed:
    """Tests that run programs of this machine's, whichever servers the suites are given."""

    programs: tuple[str, ...]
    tests: str
    # Node ids deselected when a program is missing; empty when the tests skip themselves.
    deselect: tuple[str, ...] = ()


HOST_NEEDS = (
    # backup.py runs the host's clients against the container: without them every step fails.
    HostNeed(
        ("mariadb", "mariadb-dump"),
        "the restore drill (it backs up and restores through them): deselected",
        ("tests-e2e/test_restore_drill.py",),
    ),
    # These never use the shared servers (private ones on their own ports and datadirs).
    HostNeed(
        ("mariadbd", "mariadb-install-db"),
        "the read-replica tests and the fault suite (private servers): they skip themselves",
    ),
    HostNeed(
        ("redis-server",),
        "the fault suite and tests-e2e/test_replicas.py (a private Redis): they skip themselves",
    ),
)


def unreachable_engine() -> str | None:
    """The address tried when no Docker engine answers there; None when one does.

    The engine is the one testcontainers will use (DOCKER_HOST, the docker context,
    ~/.testcontainers.properties).
    """
    import requests
    from docker.errors import DockerException
    from testcontainers.core.docker_client import DockerClient, get_docker_host

    where = get_docker_host() or "the default Docker socket"
    try:
        # docker.from_env (inside) already asks the engine its API version; ping to be sure.
        client = DockerClient(timeout=10)
        try:
            client.client.ping()
        finally:
            client.client.close()
    except (DockerException, requests.RequestException, OSError):
        return where
    return None


def database_url(mariadb: Address, root_password: str) -> str:
    # The suites take the server from it and ignore the database part (clinic_shared's plugin).
    password = quote(root_password, safe="")
    return f"mysql+pymysql://root:{password}@{mariadb.host}:{mariadb.port}/test"


def suite_environment(mariadb: Address, root_password: str, redis: Address) -> dict[str, str]:
    """The variables that point every suite at the containers instead of 127.0.0.1."""
    return {
        "TEST_DATABASE_URL": database_url(mariadb, root_password),
        "TEST_REDIS_URL": f"redis://{redis.host}:{redis.port}/0",
    }


def program_found(name: str, which: Callable[..., str | None] = shutil.which) -> bool:
    search = os.pathsep.join([os.environ.get("PATH", ""), *FALLBACK_BIN_DIRS])
    return which(name, path=search) is not None


def missing_host_needs(
    found: Callable[[str], bool] = program_found,
) -> list[tuple[HostNeed, list[str]]]:
    """Each need with the programs this machine lacks for it."""
    return [
        (need, missing)
        for need in HOST_NEEDS
        if (missing := [name for name in need.programs if not found(name)])
    ]


def pytest_addopts(existing: str, deselected: list[str]) -> str:
    """PYTEST_ADDOPTS with the deselections added: every pytest the command starts reads it."""
    return " ".join([existing, *(f"--deselect={node}" for node in deselected)]).strip()


@contextmanager
def running_servers(root_password: str) -> Iterator[tuple[Address, Address]]:
    """MariaDB and Redis containers, ready; both removed when the block ends, however it ends."""
    from testcontainers.community.mysql import MySqlContainer
    from testcontainers.community.redis import RedisContainer

    with ExitStack() as containers:
        # A generated root password: the engine publishes the port on every interface.
        # MySqlContainer waits for the second "ready for connections" (the entrypoint's
        # temporary server logs the first).
        mariadb = containers.enter_context(
            MySqlContainer(
                MARIADB_IMAGE, username="root", password=root_password, dialect="pymysql"
            )
        )
        # RedisContainer waits until the server answers PING.
        redis = containers.enter_context(RedisContainer(REDIS_IMAGE))
        yield (
            Address(mariadb.get_container_host_ip(), mariadb.get_exposed_port(MARIADB_PORT)),
            Address(redis.get_container_host_ip(), redis.get_exposed_port(REDIS_PORT)),
        )


def wait_until_mariadb_answers(url: str, timeout: float = 30.0) -> None:
    """Until the server at ``url`` takes a connection (a database it lacks does not matter).

    The container's log line can come before a forwarded port carries connections (Docker
    Desktop's port forwarding).
    """
    from sqlalchemy import create_engine, exc, make_url

    engine = create_engine(make_url(url).set(database=""))  # the server, whatever it holds
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect():
                    return
            except exc.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        engine.dispose()


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # SystemExit unwinds through running_servers, so a terminated run removes its containers.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="what to run (make test-py)")
    command = parser.parse_args(argv).command
    if not command:
        parser.error("give the command to run, e.g. make test-py")

    if where := unreachable_engine():
        print(
            f"test-containers: no Docker engine found at {where}; "
            "`make test` uses the MariaDB and Redis at 127.0.0.1 instead.",
            file=sys.stderr,
        )
        return NO_ENGINE_EXIT

    deselected: list[str] = []
    for need, missing in missing_host_needs():
        print(f"test-containers: no {', '.join(missing)} on this machine: {need.tests}")
        deselected.extend(need.deselect)

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    password = secrets.token_urlsafe(18)
    print(f"test-containers: starting {MARIADB_IMAGE} and {REDIS_IMAGE}", flush=True)
    with running_servers(password) as (mariadb, redis):
        env = suite_environment(mariadb, password, redis)
        wait_until_mariadb_answers(env["TEST_DATABASE_URL"])
        env["PYTEST_ADDOPTS"] = pytest_addopts(os.environ.get("PYTEST_ADDOPTS", ""), deselected)
        print(
            f"test-containers: MariaDB at {mariadb.host}:{mariadb.port}, "
            f"Redis at {redis.host}:{redis.port}",
            flush=True,
        )
        return subprocess.run(command, env={**os.environ, **env}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
