"""``make mutate``: mutation testing (cosmic-ray) of the modules that keep the promises.

For each module below, cosmic-ray makes every mutant of its file (an operator swapped, a
comparison turned, a constant changed, a ``break`` for a ``continue``...) and runs the module's
tests against it: a mutant the tests do not notice "survives". The mutants are applied in a
throw-away copy of the repository put first on ``PYTHONPATH`` (the workspace's packages are
installed as plain path entries, which come after it), never in the working tree, so other
runs on the machine are not disturbed.

Sessions are kept in ``var/mutate/<module>.sqlite`` (``cosmic-ray exec`` resumes one that was
interrupted; ``--fresh`` starts again) and the report is written to ``var/mutate/report.md``;
the scores of the last full run are copied into ``docs/testing.md`` by hand, with a word on
each survivor (killed by a new test, or why it is equivalent).

    uv run --frozen python scripts/mutate.py                     # every module (slow: ~hours)
    uv run --frozen python scripts/mutate.py billing-numbering   # those named
    uv run --frozen python scripts/mutate.py --list
    uv run --frozen python scripts/mutate.py --survivors events-consumer   # after new tests
    uv run --frozen python scripts/mutate.py --survivors events-consumer --tests NEW_TEST_FILE
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "mutate"
COPIED = ["pyproject.toml", "libs", "services", "gateway"]
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", ".mypy_cache", "var")


@dataclass(frozen=True)
class Module:
    name: str
    path: str  # the file mutated, relative to the repository
    # What runs against each mutant: keep it fast, it runs hundreds of times.
    tests: tuple[str, ...]
    timeout: float = 120.0
    unit: bool = True  # unit tests need neither the conftest nor the plugin (2 s saved a run)


SCHEDULING = "services/scheduling"
IDENTITY = "services/identity"
BILLING = "services/billing"
RECORDS = "services/records"
EVENTS = "libs/shared/src/clinic_shared/events"
SHARED_TESTS = "libs/shared/tests"

MODULES = [
    Module(
        "scheduling-appointments",
        f"{SCHEDULING}/src/clinic_scheduling/domain/appointments.py",
        (f"{SCHEDULING}/tests/unit",),
    ),
    Module(
        "scheduling-availability",
        f"{SCHEDULING}/src/clinic_scheduling/domain/availability.py",
        (f"{SCHEDULING}/tests/unit",),
    ),
    Module(
        "scheduling-booking",
        f"{SCHEDULING}/src/clinic_scheduling/application/booking.py",
        (
            f"{SCHEDULING}/tests/integration/test_appointments_api.py",
            f"{SCHEDULING}/tests/integration/test_move_clashes.py",
            f"{SCHEDULING}/tests/integration/test_outside_hours_api.py",
            f"{SCHEDULING}/tests/integration/test_booking_race.py",
            f"{SCHEDULING}/tests/contract/test_produced_events.py",
            f"{SCHEDULING}/tests/integration/test_booking_rules.py",
        ),
        timeout=240.0,
        unit=False,
    ),
    Module(
        "identity-sessions",
        f"{IDENTITY}/src/clinic_identity/sessions.py",
        (f"{IDENTITY}/tests/unit/test_sessions.py",),
    ),
    Module(
        "identity-session-store",
        f"{IDENTITY}/src/clinic_identity/session_store.py",
        (
            f"{IDENTITY}/tests/unit/test_session_store.py",
            f"{IDENTITY}/tests/integration/test_sessions.py",
            f"{IDENTITY}/tests/integration/test_refresh_race.py",
        ),
        timeout=240.0,
        unit=False,
    ),
    Module(
        "identity-guards",
        f"{IDENTITY}/src/clinic_identity/deps.py",
        (
            f"{IDENTITY}/tests/integration/test_users_admin.py",
            f"{IDENTITY}/tests/integration/test_users_single_access.py",
            f"{IDENTITY}/tests/unit/test_proxies.py",
        ),
        timeout=240.0,
        unit=False,
    ),
    Module(
        "billing-numbering",
        f"{BILLING}/src/clinic_billing/domain/numbering.py",
        (
            f"{BILLING}/tests/unit/test_numbering.py",
            f"{BILLING}/tests/unit/test_numbering_edges.py",
        ),
    ),
    Module(
        "billing-totals",
        f"{BILLING}/src/clinic_billing/domain/totals.py",
        (
            f"{BILLING}/tests/unit/test_totals.py",
            f"{BILLING}/tests/unit/test_totals_edges.py",
            f"{BILLING}/tests/unit/test_invoices.py",
        ),
    ),
    Module(
        "records-entries",
        f"{RECORDS}/src/clinic_records/domain/entries.py",
        (
            f"{RECORDS}/tests/unit/test_entries.py",
            f"{RECORDS}/tests/unit/test_entry_and_episode_edges.py",
        ),
    ),
    Module(
        "records-episodes",
        f"{RECORDS}/src/clinic_records/domain/episodes.py",
        (
            f"{RECORDS}/tests/unit/test_episodes.py",
            f"{RECORDS}/tests/unit/test_entry_and_episode_edges.py",
        ),
    ),
    Module(
        "records-measures",
        f"{RECORDS}/src/clinic_records/domain/measures.py",
        (
            f"{RECORDS}/tests/unit/test_measures.py",
            f"{RECORDS}/tests/unit/test_instrument_bounds.py",
        ),
    ),
    Module(
        "billing-verifactu",
        f"{BILLING}/src/clinic_billing/domain/verifactu.py",
        (
            f"{BILLING}/tests/unit/test_verifactu.py",
            f"{BILLING}/tests/unit/test_verifactu_edges.py",
        ),
    ),
    # Published once after commit, applied once: the outbox, its relay, the consumer's dedup.
    Module(
        "events-processing",
        f"{EVENTS}/processing.py",
        (f"{SHARED_TESTS}/unit/test_events_processing.py",),
    ),
    Module(
        "events-outbox",
        f"{EVENTS}/outbox.py",
        (
            f"{SHARED_TESTS}/unit/test_events_outbox.py",
            f"{SHARED_TESTS}/unit/test_events_writer.py",
        ),
    ),
    Module(
        "events-relay",
        f"{EVENTS}/relay.py",
        (
            f"{SHARED_TESTS}/integration/test_events_relay_edges.py",
            f"{SHARED_TESTS}/integration/test_events_outbox_relay.py",
            f"{SHARED_TESTS}/integration/test_events_lost_stream.py",
        ),
        unit=False,
    ),
    Module(
        "events-consumer",
        f"{EVENTS}/consumer.py",
        (
            f"{SHARED_TESTS}/integration/test_events_consumer.py",
            f"{SHARED_TESTS}/integration/test_events_consumer_resilience.py",
            f"{SHARED_TESTS}/integration/test_events_consumer_edges.py",
            f"{SHARED_TESTS}/integration/test_events_consumer_defaults.py",
            f"{SHARED_TESTS}/unit/test_events_consumer_timing.py",
        ),
        timeout=240.0,
        unit=False,
    ),
    # The gateway's edge auth: no request reaches a service without a valid token.
    Module(
        "gateway-edge-auth",
        "gateway/src/clinic_gateway/edge_auth.py",
        ("gateway/tests/unit/test_edge_auth.py",),
    ),
]


def _copy_repository(folder: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=SKIPPED)
        elif source.exists():
            shutil.copy2(source, folder / name)


def _python_path(folder: Path) -> str:
    sources = [folder / "libs" / "shared" / "src", folder / "gateway" / "src"]
    sources += sorted((folder / "services").glob("*/src"))
    return os.pathsep.join(str(path) for path in sources)


def _config(module: Module) -> str:
    existing = [test for test in module.tests if (ROOT / test.split("::")[0]).exists()]
    # Plugins are named rather than discovered: discovering them all (schemathesis, hypothesis…)
    # costs more than most of these test runs.
    plugins = ["-p", "no:cacheprovider", "-p", "pytest_asyncio.plugin", "-p", "anyio.pytest_plugin"]
    if module.unit:
        plugins += ["--noconftest", "-o", "addopts=--import-mode=importlib"]
    command = [sys.executable, "-m", "pytest", "-x", "-q", *plugins, *existing]
    return "\n".join(
        [
            "[cosmic-ray]",
            f"module-path = {json.dumps(module.path)}",
            f"timeout = {module.timeout}",
            "excluded-modules = []",
            f"test-command = {json.dumps(' '.join(command))}",
            "",
            "[cosmic-ray.distributor]",
            'name = "local"',
            "",
        ]
    )


def _annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the file's annotations are (``from __future__ import annotations``: never run)."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
            found += [node.returns, *(arg.annotation for arg in every)]
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        for annotation in found:
            if annotation is not None and annotation.end_lineno is not None:
                start = (annotation.lineno, annotation.col_offset)
                end = (annotation.end_lineno, annotation.end_col_offset or 0)
                spans.append((start, end))
    return spans


def _skip_annotations(session: Path, module: Module) -> int:
    """Mark the mutants inside annotations skipped: equivalent, as the file never evaluates
    them (``X | None`` → ``X + None`` everywhere would otherwise drown the report)."""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    if "from __future__ import annotations" not in (ROOT / module.path).read_text("utf-8"):
        return 0
    spans = _annotation_spans((ROOT / module.path).read_text("utf-8"))
    skipped = 0
    with use_db(str(session)) as db:
        for item in list(db.pending_work_items):
            inside = all(
                any(start <= tuple(m.start_pos) and tuple(m.end_pos) <= end for start, end in spans)
                for m in item.mutations
            )
            if inside:
                result = WorkResult(
                    worker_outcome=WorkerOutcome.SKIPPED, output="in an annotation: equivalent"
                )
                db.set_result(item.job_id, result)
                skipped += 1
    return skipped


def _counts(session: Path) -> dict[str, object]:
    """Killed, survived and the survivors' diffs, read from cosmic-ray's session database."""
    with sqlite3.connect(session) as db:
        rows = db.execute(
            "SELECT m.module_path, m.operator_name, m.occurrence, m.start_pos_row, r.test_outcome, "
            "r.worker_outcome, r.diff FROM mutation_specs m LEFT JOIN work_results r "
            "ON r.job_id = m.job_id"
        ).fetchall()
    done = [row for row in rows if row[4] is not None]
    survived = [row for row in done if str(row[4]).lower() == "survived"]
    killed = [row for row in done if str(row[4]).lower() == "killed"]
    incompetent = [row for row in done if str(row[4]).lower() == "incompetent"]
    return {
        "mutants": len(rows),
        "done": len(done),
        "killed": len(killed),
        "survived": survived,
        "incompetent": len(incompetent),
    }


def _report(results: dict[str, dict[str, object]]) -> str:
    lines = [
        "# Mutation testing report (scripts/mutate.py)",
        "",
        "| module | file | mutants | killed | survived | score |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for module in MODULES:
        counts = results.get(module.name)
        if counts is None:
            continue
        survived = counts["survived"]
        assert isinstance(survived, list)
        killed = counts["killed"]
        assert isinstance(killed, int)
        judged = killed + len(survived)
        score = f"{100 * killed / judged:.1f} %" if judged else "—"
        lines.append(
            f"| {module.name} | `{module.path}` | {counts['mutants']} | {killed} "
            f"| {len(survived)} | {score} |"
        )
    for module in MODULES:
        counts = results.get(module.name)
        if not counts or not counts["survived"]:
            continue
        lines += ["", f"## {module.name}: survivors", ""]
        survived = counts["survived"]
        assert isinstance(survived, list)
        for _path, operator, occurrence, row, _outcome, _worker, diff in survived:
            lines += [f"- line {row}, `{operator}` #{occurrence}", "", "```diff"]
            lines += [
                line for line in (diff or "").splitlines() if not line.startswith(("---", "+++"))
            ]
            lines += ["```"]
    return "\n".join(lines) + "\n"


def _forget_survivors(session: Path) -> int:
    """Drop the survivors' results, so ``cosmic-ray exec`` (which resumes) runs them again."""
    with sqlite3.connect(session) as db:
        return db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'").rowcount


def run(module: Module, fresh: bool, survivors: bool = False) -> dict[str, object]:
    OUT.mkdir(parents=True, exist_ok=True)
    session = OUT / f"{module.name}.sqlite"
    if survivors and session.exists() and not fresh:
        print(f"{module.name}: {_forget_survivors(session)} survivors to run again", flush=True)
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        folder = Path(tmp)
        _copy_repository(folder)
        config = folder / "cosmic-ray.toml"
        config.write_text(_config(module), encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": _python_path(folder),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        if fresh or not session.exists():
            session.unlink(missing_ok=True)
            subprocess.run(
                ["cosmic-ray", "init", str(config), str(session)], cwd=folder, env=env, check=True
            )
        skipped = _skip_annotations(session, module)
        if skipped:
            print(f"{module.name}: {skipped} mutants in annotations skipped", flush=True)
        subprocess.run(
            ["cosmic-ray", "exec", str(config), str(session)], cwd=folder, env=env, check=True
        )
    return _counts(session)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("only", nargs="*", help="the modules to run (default: all)")
    parser.add_argument("--fresh", action="store_true", help="start the sessions again")
    parser.add_argument("--list", action="store_true", help="list the modules and stop")
    parser.add_argument("--report", action="store_true", help="only rewrite the report")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the last run's survivors again, against today's tests",
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="TEST",
        help="with --survivors: only these (the new) tests; the survivors passed the others",
    )
    args = parser.parse_args()
    if args.list:
        for module in MODULES:
            print(f"{module.name:<26} {module.path}")
        return 0
    by_name = {m.name: m for m in MODULES}
    chosen = [by_name[name] for name in args.only if name in by_name] if args.only else MODULES
    if not chosen:
        parser.error(f"no such module; one of: {', '.join(m.name for m in MODULES)}")
    if args.tests:
        if not args.survivors:
            parser.error("--tests goes with --survivors")
        chosen = [replace(module, tests=tuple(args.tests)) for module in chosen]
    results: dict[str, dict[str, object]] = {}
    for module in chosen:
        if args.report:
            session = OUT / f"{module.name}.sqlite"
            if session.exists():
                results[module.name] = _counts(session)
            continue
        started = time.monotonic()
        results[module.name] = counts = run(module, args.fresh, args.survivors)
        survived = counts["survived"]
        assert isinstance(survived, list)
        print(
            f"{module.name}: {counts['killed']} killed, {len(survived)} survived "
            f"of {counts['mutants']} in {time.monotonic() - started:.0f}s",
            flush=True,
        )
    # The report covers every module that has a session, not only those run now.
    for module in MODULES:
        session = OUT / f"{module.name}.sqlite"
        if module.name not in results and session.exists():
            results[module.name] = _counts(session)
    (OUT / "report.md").write_text(_report(results), encoding="utf-8")
    print(f"report: {(OUT / 'report.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
