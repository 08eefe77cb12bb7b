"""``make bench``: start a throw-away stack on MariaDB + Redis and run each benchmark on it.

``bench/run.py scheduling`` (or ``make bench BENCH=scheduling``) runs only the benchmarks
whose script name contains one of the given words, to iterate on one of them; arguments after
``--`` go to each of them (``bench/run.py records -- --entries 200000``: a smaller clinic).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from stack import Stack, running  # noqa: E402

BENCHMARKS = [
    "gateway_overhead.py",
    "patients_search.py",
    "scheduling_calendar.py",
    "billing_invoices.py",
    "billing_pdf.py",
    "records_timeline.py",
]
# Benchmarks that seed a service's database directly get its URL as --<service>-db.
SEEDS_DATABASE = {
    "patients_search.py": "patients",
    "scheduling_calendar.py": "scheduling",
    "billing_invoices.py": "billing",
    "records_timeline.py": "records",
}
# Benchmarks that read what the stack generated under its var dir (records' dev key).
NEEDS_VAR_DIR = {"records_timeline.py"}


def selected(words: list[str]) -> list[str]:
    """The benchmarks whose script name contains one of ``words`` (all without words)."""
    chosen = [s for s in BENCHMARKS if not words or any(w in s for w in words)]
    if not chosen:
        raise SystemExit(f"no benchmark matches {' '.join(words)}; there are {BENCHMARKS}")
    return chosen


def main() -> int:
    """Run each (selected) benchmark script against a fresh stack; print their tables."""
    words, extra = sys.argv[1:], []
    if "--" in words:
        words, extra = words[: words.index("--")], words[words.index("--") + 1 :]
    scripts = selected(words)
    prefix = f"bench_{uuid.uuid4().hex[:6]}_"
    stack = Stack(
        app_env="test",
        port_base=int(os.environ.get("BENCH_PORT_BASE", "28000")),
        database_server=os.environ.get("DATABASE_URL", "mysql+pymysql://root@127.0.0.1:3306"),
        database_prefix=prefix,
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"),
        var_dir=ROOT / "var" / "bench",
        log_dir=ROOT / "var" / "bench" / "logs",
    )
    failures = 0
    try:
        with running(stack):
            specs = {spec.name: spec for spec in stack.services()}
            identity = stack.service_url(specs["identity"])
            for script in scripts:
                command = [sys.executable, str(ROOT / "bench" / script),
                           "--gateway", stack.gateway_url, "--identity", identity]  # fmt: skip
                service = SEEDS_DATABASE.get(script)
                if service is not None:
                    command += [f"--{service}-db", stack.database_url(specs[service])]
                if script in NEEDS_VAR_DIR:
                    command += ["--var-dir", str(stack.var_dir)]
                command += extra
                failures += subprocess.run(command, check=False).returncode != 0
    finally:
        _drop_databases(stack)
    return 1 if failures else 0


def _drop_databases(stack: Stack) -> None:
    from clinic_shared.db import drop_database

    for spec in stack.services():
        drop_database(stack.database_url(spec))


if __name__ == "__main__":
    sys.exit(main())
