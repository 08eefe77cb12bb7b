"""Start the whole clinic locally: migrate, seed, run every service and the gateway.

In run mode it then books the demo calendar through the gateway (``demo_calendar.py``).

``make run`` calls this. With no ``DATABASE_URL``/``REDIS_URL`` it uses the embedded default
(SQLite files under ``var/data`` and an in-process Redis-compatible server on port 16379);
with them (``make run-mariadb``) one MariaDB server with a ``clinic_<service>`` database each.
The browser/e2e tests start the same stack in test mode through ``Stack``.

Once started, the stack is supervised: a process that exits is started again after a back-off
(1 s, 2 s, 4 s … capped at 30 s, back to 1 s once it has stayed up a minute), and each restart is
logged ("patients exited with 1; restarting in 2 s"). Meanwhile the gateway answers 503 for that
context and its dashboard lists it under ``degraded``; nothing else stops.

``--replicas N`` starts N processes of every service (the n-th, from 0, on its usual port plus
``REPLICA_PORT_STEP`` × n, named ``patients``, ``patients-2`` …) on the same databases and Redis,
and lists them all in the gateway's ``GATEWAY_UPSTREAMS``: the gateway balances across them and
leaves out one that is down or not ready (``clinic_gateway.upstream_pool``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import make_url

from demo_calendar import book_and_report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMBEDDED_REDIS_PORT = 16379
DEMO_PASSWORD = "demo1234"
# Supervision: back-off doubling from the first to the cap; a process up this long is "healthy"
# again and its next crash waits the first delay.
RESTART_FIRST_DELAY = 1.0
RESTART_MAX_DELAY = 30.0
RESTART_STABLE_AFTER = 60.0
# Replica n (from 0) of a service listens on its port + this × n (8002, 8012, 8022 …).
REPLICA_PORT_STEP = 10
DEMO_LOGINS = [
    ("admin@demo.clinic", "ROLE_ADMIN"),
    ("fisio@demo.clinic", "ROLE_PRACTITIONER (Laura Martínez)"),
    ("fisio2@demo.clinic", "ROLE_PRACTITIONER (Jordi Puig)"),
    ("recepcion@demo.clinic", "ROLE_RECEPTIONIST"),
]


@dataclass(frozen=True)
class ServiceSpec:
    """A bounded-context service: its package, port offset and database."""

    name: str
    port_offset: int

    @property
    def package(self) -> str:
        return f"clinic_{self.name}"

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"

    def installed(self) -> bool:
        return (ROOT / "services" / self.name).is_dir() and (BIN / f"clinic-{self.name}").exists()


# Every context the design names; only those whose folder exists are started.
SERVICES = [
    ServiceSpec("identity", 1),
    ServiceSpec("patients", 2),
    ServiceSpec("scheduling", 3),
    ServiceSpec("billing", 4),
    ServiceSpec("records", 5),
]


@dataclass
class _Supervised:
    """How to start one process again, and its restart history."""

    name: str
    command: list[str]
    env: dict[str, str]
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None


def restart_delay(failures: int) -> float:
    """The back-off before the ``failures``-th consecutive restart (1 s, 2 s, 4 s … 30 s)."""
    return float(min(RESTART_MAX_DELAY, RESTART_FIRST_DELAY * 2 ** max(0, failures - 1)))


@dataclass
class Stack:
    """One running system: its services' processes and how to reach them."""

    app_env: str = "dev"
    port_base: int = 8000
    database_server: str | None = None
    database_prefix: str = "clinic_"
    redis_url: str | None = None
    var_dir: Path = ROOT / "var"
    log_dir: Path | None = None
    # Tests hash at the policy floor (argon2id m=19 MiB, t=2) so each login costs ~30 ms.
    fast_password_hashing: bool = False
    # Processes per service (the gateway balances across them).
    replicas: int = 1
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    # Every restart the supervisor made: (name, exit code, delay in seconds).
    restarts: list[tuple[str, int, float]] = field(default_factory=list)
    _redis_server: object | None = None
    _supervised: dict[str, _Supervised] = field(default_factory=dict)
    _supervisor: threading.Thread | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.port_base}"

    def services(self) -> list[ServiceSpec]:
        return [s for s in SERVICES if s.installed()]

    def service_url(self, spec: ServiceSpec, replica: int = 0) -> str:
        return f"http://127.0.0.1:{self.replica_port(spec, replica)}"

    def replica_port(self, spec: ServiceSpec, replica: int) -> int:
        return self.port_base + spec.port_offset + REPLICA_PORT_STEP * replica

    @staticmethod
    def replica_name(spec: ServiceSpec, replica: int) -> str:
        """``patients`` for the first process, ``patients-2`` for the second …"""
        return spec.name if replica == 0 else f"{spec.name}-{replica + 1}"

    def replica_urls(self) -> dict[str, str]:
        """Process name -> base URL of every service process."""
        return {
            self.replica_name(spec, n): self.service_url(spec, n)
            for spec in self.services()
            for n in range(self.replicas)
        }

    def database_url(self, spec: ServiceSpec) -> str:
        if self.database_server is None:
            return f"sqlite:///{self.var_dir / 'data' / f'{spec.name}.sqlite'}"
        url = make_url(self.database_server).set(database=f"{self.database_prefix}{spec.name}")
        return url.render_as_string(hide_password=False)

    def effective_redis_url(self) -> str:
        return self.redis_url or f"redis://127.0.0.1:{EMBEDDED_REDIS_PORT}/0"

    def common_env(self, prefix: str) -> dict[str, str]:
        identity = next(s for s in SERVICES if s.name == "identity")
        # Every identity process: a service asks the next one when one is down.
        jwks_urls = ",".join(
            f"{self.service_url(identity, n)}/.well-known/jwks.json" for n in range(self.replicas)
        )
        return {
            f"{prefix}APP_ENV": self.app_env,
            f"{prefix}REDIS_URL": self.effective_redis_url(),
            f"{prefix}VAR_DIR": str(self.var_dir),
            f"{prefix}JWKS_URL": jwks_urls,
            f"{prefix}LOG_JSON": "false" if self.app_env == "dev" else "true",
        }

    def service_env(self, spec: ServiceSpec) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.common_env(spec.env_prefix))
        env[f"{spec.env_prefix}DATABASE_URL"] = self.database_url(spec)
        if self.fast_password_hashing:
            env[f"{spec.env_prefix}ARGON2_MEMORY_KIB"] = str(19 * 1024)
            env[f"{spec.env_prefix}ARGON2_TIME_COST"] = "2"
        return env

    def gateway_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.common_env("GATEWAY_"))
        env["GATEWAY_UPSTREAM_BASE_PORT"] = str(self.port_base)
        if self.replicas > 1:
            env["GATEWAY_UPSTREAMS"] = json.dumps(
                {
                    spec.name: ",".join(self.service_url(spec, n) for n in range(self.replicas))
                    for spec in self.services()
                }
            )
        env["GATEWAY_FRONTEND_DIST"] = str(ROOT / "frontend" / "dist")
        return env

    def start_embedded_redis(self) -> None:
        """Serve Redis from this process (fakeredis) when no real Redis was configured."""
        if self.redis_url is not None:
            return
        import fakeredis

        server = fakeredis.TcpFakeServer(("127.0.0.1", EMBEDDED_REDIS_PORT), server_version=(7, 0))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True, name="embedded-redis").start()
        self._redis_server = server

    def prepare(self, seed: bool = True) -> None:
        """Create and migrate every service's database, then seed the demo clinic."""
        (self.var_dir / "data").mkdir(parents=True, exist_ok=True)
        # Each service has its own database: their migrations (then seeds) run side by side.
        self._cli_all("migrate")
        if seed:
            self._cli_all("seed-demo")

    def _cli(self, spec: ServiceSpec, *args: str) -> None:
        command = [str(BIN / f"clinic-{spec.name}"), *args]
        subprocess.run(command, env=self.service_env(spec), check=True, cwd=ROOT)

    def _cli_all(self, *args: str) -> None:
        running_cli = [
            (spec, subprocess.Popen(
                [str(BIN / f"clinic-{spec.name}"), *args], env=self.service_env(spec), cwd=ROOT
            ))
            for spec in self.services()
        ]  # fmt: skip
        failed = [spec.name for spec, process in running_cli if process.wait() != 0]
        if failed:
            raise RuntimeError(f"{' '.join(args)} failed for: {', '.join(failed)}")

    def start(self) -> None:
        """Start every service, then the gateway once they answer, and wait for it too.

        The gateway comes last because whoever waits for the stack (Playwright, a person at
        the browser) watches the gateway's /healthz: it must not answer while a service behind
        it is still starting (a test's first reset would meet a refused connection).
        """
        for spec in self.services():
            for n in range(self.replicas):
                self._spawn(
                    self.replica_name(spec, n),
                    f"{spec.package}.main:create_app",
                    self.replica_port(spec, n),
                    self.service_env(spec),
                )
        # Each process imports its whole service at once: more of them share the CPU for longer.
        self.wait_healthy(timeout=60.0 * self.replicas)
        self._spawn("gateway", "clinic_gateway.main:create_app", self.port_base, self.gateway_env())
        self.wait_healthy()

    def _spawn(self, name: str, factory: str, port: int, env: dict[str, str]) -> None:
        # --no-proxy-headers: uvicorn would otherwise let any local client choose its address
        # with X-Forwarded-For; the gateway and identity decide whom to believe themselves.
        command = [
            sys.executable, "-m", "uvicorn", factory, "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--no-proxy-headers",
        ]  # fmt: skip
        self._supervised[name] = _Supervised(name, command, env)
        self._launch(self._supervised[name])

    def _launch(self, entry: _Supervised) -> None:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = (self.log_dir / f"{entry.name}.log").open("ab")
        process = subprocess.Popen(
            entry.command, env=entry.env, cwd=ROOT, stdout=output, stderr=output
        )
        if output is not None:
            output.close()  # the child has its own copy
        entry.started_at = time.monotonic()
        with self._lock:
            self.processes[:] = [(n, p) for n, p in self.processes if n != entry.name]
            self.processes.append((entry.name, process))

    def process(self, name: str) -> subprocess.Popen[bytes]:
        """The current process of ``name`` (it changes when the supervisor restarts it)."""
        with self._lock:
            return next(p for n, p in self.processes if n == name)

    def supervise(self) -> None:
        """Restart, with back-off, any process that exits until ``stop()`` (a daemon thread)."""
        if self._supervisor is not None:
            return
        self._stopping.clear()
        self._supervisor = threading.Thread(
            target=self._supervise_loop, daemon=True, name="stack-supervisor"
        )
        self._supervisor.start()

    def _supervise_loop(self) -> None:
        while not self._stopping.wait(0.2):
            now = time.monotonic()
            for entry in list(self._supervised.values()):
                if self._stopping.is_set():
                    return
                if entry.restart_at is not None:
                    if now >= entry.restart_at:
                        entry.restart_at = None
                        self._say(f"restarting {entry.name}")
                        self._launch(entry)
                    continue
                code = self.process(entry.name).poll()
                if code is None:
                    if now - entry.started_at >= RESTART_STABLE_AFTER:
                        entry.failures = 0
                    continue
                entry.failures += 1
                delay = restart_delay(entry.failures)
                entry.restart_at = now + delay
                self.restarts.append((entry.name, code, delay))
                self._say(f"{entry.name} exited with {code}; restarting in {delay:g} s")

    @staticmethod
    def _say(message: str) -> None:
        print(f"  [supervisor] {message}", file=sys.stderr, flush=True)

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Block until every process answers /healthz; fail naming the ones that did not."""
        targets = self.replica_urls()
        if any(name == "gateway" for name, _ in self.processes):
            targets["gateway"] = self.gateway_url
        deadline = time.monotonic() + timeout
        pending = dict(targets)
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            dead = [n for n, p in self.processes if p.poll() is not None]
            if dead:
                raise RuntimeError(f"exited during start-up: {', '.join(dead)}")
            if pending:
                time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not healthy after {timeout:.0f}s: {', '.join(pending)}")

    def stop(self) -> None:
        """Stop supervising, then every process (SIGTERM, then SIGKILL after a grace period)."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
            self._supervisor = None
        for _name, process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        self._supervised.clear()
        if self._redis_server is not None:
            self._redis_server.shutdown()  # type: ignore[attr-defined]
            self._redis_server = None


@contextmanager
def running(stack: Stack, seed: bool = True) -> Iterator[Stack]:
    """Prepare, start, and always stop ``stack``."""
    stack.start_embedded_redis()
    try:
        stack.prepare(seed=seed)
        stack.start()
        stack.supervise()
        yield stack
    finally:
        stack.stop()


def _print_banner(stack: Stack) -> None:
    mode = "MariaDB + Redis" if stack.database_server else "embedded SQLite + Redis-compatible"
    names = ", ".join(s.name for s in stack.services())
    if stack.replicas > 1:
        names += f" ({stack.replicas} processes each, balanced by the gateway)"
    print(f"\n  Clinic is running ({mode}): {stack.gateway_url}")
    print(f"  Services: gateway, {names}   API docs: {stack.gateway_url}/api/docs")
    print(f"  Demo logins (password {DEMO_PASSWORD}):")
    for email, role in DEMO_LOGINS:
        print(f"    {email:<24} {role}")
    print("  Ctrl-C stops everything.\n", flush=True)


def _test_stack(port_base: int, redis_url: str) -> Stack:
    """A test-mode stack on throw-away MariaDB databases and ``redis_url`` (a leased database)."""
    import uuid

    server = os.environ.get("TEST_DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
    return Stack(
        app_env="test",
        port_base=port_base,
        database_server=server,
        database_prefix=f"e2e_{uuid.uuid4().hex[:6]}_",
        redis_url=redis_url,
        var_dir=ROOT / "var" / f"test-{port_base}",
        log_dir=ROOT / "var" / f"test-{port_base}" / "logs",
        fast_password_hashing=True,
    )


def _serve(stack: Stack, seed: bool, demo_calendar: bool = False) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with running(stack, seed=seed):
            if demo_calendar:  # run mode only: the test stacks expect an empty calendar
                book_and_report(stack.gateway_url, DEMO_PASSWORD)
            _print_banner(stack)
            while True:  # the supervisor restarts what exits; Ctrl-C or SIGTERM ends it all
                time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopped.")
    finally:
        if stack.app_env == "test" and stack.database_server is not None:
            from clinic_shared.db import drop_database

            for spec in stack.services():
                drop_database(stack.database_url(spec))


def main() -> None:
    """``make run`` / ``make run-mariadb`` / the browser tests' ``test-server``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "command",
        choices=["run", "migrate", "seed", "test-server", "free-port-base"],
        nargs="?",
        default="run",
    )
    parser.add_argument("--no-seed", action="store_true", help="do not seed the demo clinic")
    parser.add_argument("--port-base", type=int, default=8000, help="gateway port; services +1..5")
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        choices=range(1, 10),
        metavar="N",
        help=f"processes per service (the n-th on its port + {REPLICA_PORT_STEP}×n); default 1",
    )
    args = parser.parse_args()
    if args.command == "free-port-base":
        # For the browser tests: Playwright must know the port before it starts the stack.
        from clinic_shared.testing.ports import free_port_base

        print(free_port_base())
        return
    if args.command == "test-server":
        from clinic_shared.testing.redis_lease import leased_redis_url

        # A Redis database of its own (emptied: an earlier run's streams would replay into the
        # fresh databases), so a second run on this machine cannot empty it under this one.
        redis_server = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
        with leased_redis_url(redis_server) as redis_url:
            test_stack = _test_stack(args.port_base, redis_url)
            test_stack.replicas = args.replicas
            _serve(test_stack, seed=True)
        return
    stack = Stack(
        database_server=os.environ.get("DATABASE_URL") or None,
        redis_url=os.environ.get("REDIS_URL") or None,
        port_base=args.port_base,
        replicas=args.replicas,
    )
    if stack.replicas > 1 and stack.database_server is None:
        # SQLite has no row locks for the outbox relays to share the work with (SKIP LOCKED).
        parser.error("--replicas needs MariaDB and Redis: use make run-mariadb or set DATABASE_URL")
    if args.command == "migrate":
        stack.prepare(seed=False)
        return
    if args.command == "seed":
        stack.prepare(seed=True)
        return
    _serve(stack, seed=not args.no_seed, demo_calendar=not args.no_seed)


if __name__ == "__main__":
    main()
