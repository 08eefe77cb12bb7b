"""scripts/test_containers.py (``make test-containers``) where no Docker engine runs.

What needs no engine is tested here: the one-line refusal without one, the variables the
containers' addresses become (and that the suites read those), the deselections for programs
this machine lacks, the wait for MariaDB (on the test server), and the run itself with the
containers replaced by fakes. Starting real containers can only be tried where an engine is
(docs/testing.md).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from deploy_testing import ROOT, load_module
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

SCRIPT = ROOT / "scripts" / "test_containers.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_module(SCRIPT, "clinic_test_containers")


def _without_docker_settings(tmp_path: Path) -> dict[str, str]:
    """The environment with DOCKER_HOST at a socket that does not exist and nothing else to try.

    HOME and DOCKER_CONFIG are emptied so a ~/.testcontainers.properties or a docker context
    of the machine running the tests cannot point at a real engine.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "TESTCONTAINERS"))}
    env.update(
        DOCKER_HOST=f"unix://{tmp_path / 'no-engine.sock'}",
        HOME=str(tmp_path),
        DOCKER_CONFIG=str(tmp_path / "docker"),
    )
    return env


def test_without_an_engine_it_says_so_in_one_line_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), sys.executable, "-c", f"open({str(marker)!r}, 'w')"],
        env=_without_docker_settings(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "no Docker engine found" in line
    assert str(tmp_path / "no-engine.sock") in line
    assert "`make test` uses the MariaDB and Redis at 127.0.0.1" in line
    assert not marker.exists()


def test_without_a_command_it_refuses(script: ModuleType) -> None:
    with pytest.raises(SystemExit) as refused:
        script.main([])
    assert refused.value.code == 2


def test_the_container_addresses_become_the_variables_the_suites_read(
    script: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "p@ss/w:rd%"  # URL-hostile, as a generated one may be
    env = script.suite_environment(
        script.Address("localhost", 32801), password, script.Address("192.168.5.2", 32802)
    )

    assert set(env) == {"TEST_DATABASE_URL", "TEST_REDIS_URL"}
    server = make_url(env["TEST_DATABASE_URL"])
    assert (server.drivername, server.username, server.password) == (
        "mysql+pymysql",
        "root",
        password,
    )
    assert (server.host, server.port) == ("localhost", 32801)
    assert env["TEST_REDIS_URL"] == "redis://192.168.5.2:32802/0"

    # The shared plugin gives the tests exactly that server.
    from clinic_shared.testing.plugin import mariadb_server_url

    monkeypatch.setenv("TEST_DATABASE_URL", env["TEST_DATABASE_URL"])
    assert make_url(mariadb_server_url()) == server


@pytest.mark.parametrize(
    "reader",
    [
        "libs/shared/src/clinic_shared/testing/plugin.py",
        "tests-e2e/conftest.py",
        "scripts/stack.py",
    ],
)
def test_every_reader_of_the_test_servers_reads_those_variables(
    script: ModuleType, reader: str
) -> None:
    env = script.suite_environment(script.Address("h", 1), "pw", script.Address("h", 2))
    source = (ROOT / reader).read_text()
    for name in env:
        assert f'"{name}"' in source, (reader, name)


def test_programs_this_machine_lacks_deselect_or_are_left_to_the_tests(script: ModuleType) -> None:
    assert script.missing_host_needs(found=lambda name: True) == []

    missing = script.missing_host_needs(found=lambda name: name in {"mariadb", "mariadbd"})
    by_programs = {tuple(lacking): need for need, lacking in missing}
    assert set(by_programs) == {("mariadb-dump",), ("mariadb-install-db",), ("redis-server",)}
    assert by_programs[("mariadb-dump",)].deselect == ("tests-e2e/test_restore_drill.py",)
    # The private-server tests skip themselves without their programs: nothing to deselect.
    assert by_programs[("mariadb-install-db",)].deselect == ()
    assert by_programs[("redis-server",)].deselect == ()


def test_programs_are_also_looked_for_where_debian_keeps_them(script: ModuleType) -> None:
    searched: list[str] = []

    def which(name: str, path: str) -> None:
        searched.extend(path.split(os.pathsep))

    assert not script.program_found("mariadbd", which=which)
    assert {"/usr/sbin", "/usr/bin"} <= set(searched)


def test_deselections_are_added_to_the_pytest_options_already_given(script: ModuleType) -> None:
    assert script.pytest_addopts("", []) == ""
    assert script.pytest_addopts("-x", ["tests-e2e/a.py", "b.py::t"]) == (
        "-x --deselect=tests-e2e/a.py --deselect=b.py::t"
    )


def test_the_images_are_the_ones_compose_runs(script: ModuleType, compose: dict[str, Any]) -> None:
    assert compose["services"]["mariadb"]["image"] == script.MARIADB_IMAGE
    assert compose["services"]["redis"]["image"] == script.REDIS_IMAGE


def test_the_wait_asks_the_server_not_a_database_it_may_lack(script: ModuleType) -> None:
    from clinic_shared.testing.plugin import mariadb_server_url

    missing = make_url(mariadb_server_url()).set(database="t_no_such_database")
    # Returns at once: the test server answers, though it has no such database.
    script.wait_until_mariadb_answers(missing.render_as_string(hide_password=False), timeout=5)


def test_the_wait_gives_up_on_a_server_that_never_answers(script: ModuleType) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"mysql+pymysql://root@127.0.0.1:{probe.getsockname()[1]}/test"
        with pytest.raises(OperationalError):
            script.wait_until_mariadb_answers(url, timeout=1)


@pytest.fixture
def fake_containers(script: ModuleType, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """An engine that answers and containers that are not: what they were given and whether
    they were removed is recorded; this machine lacks ``mariadb`` (the restore drill's)."""
    record: dict[str, Any] = {"removed": False}

    @contextmanager
    def running_servers(root_password: str) -> Iterator[tuple[Any, Any]]:
        record["password"] = root_password
        try:
            yield script.Address("db.test", 33061), script.Address("cache.test", 63791)
        finally:
            record["removed"] = True

    monkeypatch.setattr(script, "unreachable_engine", lambda: None)
    monkeypatch.setattr(script, "running_servers", running_servers)
    monkeypatch.setattr(script, "wait_until_mariadb_answers", lambda url: None)
    monkeypatch.setattr(script, "missing_host_needs", lambda: [(script.HOST_NEEDS[0], ["mariadb"])])
    monkeypatch.setenv("PYTEST_ADDOPTS", "-x")
    return record


def test_the_command_runs_against_the_containers_which_are_removed_after(
    script: ModuleType, fake_containers: dict[str, Any], tmp_path: Path
) -> None:
    seen = tmp_path / "env.json"
    dump = "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w')); sys.exit(3)"

    status = script.main([sys.executable, "-c", dump, str(seen)])

    assert status == 3  # the command's own status
    env = json.loads(seen.read_text())
    assert env["TEST_DATABASE_URL"] == script.database_url(
        script.Address("db.test", 33061), fake_containers["password"]
    )
    assert env["TEST_REDIS_URL"] == "redis://cache.test:63791/0"
    assert env["PYTEST_ADDOPTS"] == "-x --deselect=tests-e2e/test_restore_drill.py"
    assert fake_containers["removed"]


def test_the_containers_are_removed_when_the_command_cannot_even_start(
    script: ModuleType, fake_containers: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        script.main([str(tmp_path / "no-such-program")])
    assert fake_containers["removed"]
