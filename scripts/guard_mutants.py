"""The guard mutants: remove a line that keeps a promise, run the one test that must notice.

Each mutant below deletes or weakens one guard (a row lock, a role check, the clash check, an
If-Match check, a dedup check) and names the tests that must fail against it. The working tree
is never touched: the mutated package is a copy in a temporary folder put first on
``PYTHONPATH`` (the workspace's packages are installed as plain path entries, which come after
it), so this is safe to run beside other test runs. Exit status 1 when a mutant survives or
no longer applies (the line it removes was changed: update the mutant with it).

    uv run --frozen python scripts/guard_mutants.py            # all of them (~1.5 minutes)
    uv run --frozen python scripts/guard_mutants.py refresh    # those whose name contains it
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    package: str  # the package folder, relative to the repository
    file: str  # relative to the package folder
    old: str
    new: str
    tests: tuple[str, ...]
    count: int = 1  # how many times ``old`` occurs (all are replaced)


SCHEDULING = "services/scheduling/src/clinic_scheduling"
IDENTITY = "services/identity/src/clinic_identity"
BILLING = "services/billing/src/clinic_billing"
SHARED = "libs/shared/src/clinic_shared"
SCHEDULING_TESTS = "services/scheduling/tests/integration"

MUTANTS = [
    Mutant(
        "scheduling: no row locks on the practitioner and patient (double booking)",
        SCHEDULING,
        "infrastructure/read_models.py",
        "return session.execute(query.with_for_update()).first()",
        "return session.execute(query).first()",
        (
            f"{SCHEDULING_TESTS}/test_booking_race.py::test_ten_patients_racing_for_one_practitioner_slot[mariadb]",
        ),
        count=2,
    ),
    Mutant(
        "scheduling: no row lock on the appointment edited (lost update)",
        SCHEDULING,
        "application/booking.py",
        "require_active=False)\n        current = repo.get(session, appointment_id, lock=True)",
        "require_active=False)\n        current = repo.get(session, appointment_id, lock=False)",
        (
            f"{SCHEDULING_TESTS}/test_booking_race.py::test_two_simultaneous_edits_of_one_version_one_wins[mariadb]",
        ),
    ),
    Mutant(
        "scheduling: no clash check when an appointment is moved",
        SCHEDULING,
        "application/booking.py",
        "allowed=draft.allow_outside_hours, before=current)\n"
        "        check_free(session, updated)\n",
        "allowed=draft.allow_outside_hours, before=current)\n",
        (f"{SCHEDULING_TESTS}/test_move_clashes.py",),
    ),
    Mutant(
        "scheduling: no If-Match check when an appointment is changed",
        SCHEDULING,
        "application/booking.py",
        "        expected.check(current.version)\n        as_kind",
        "        as_kind",
        (
            f"{SCHEDULING_TESTS}/test_appointments_api.py::test_edits_need_if_match_and_fail_when_stale",
        ),
    ),
    Mutant(
        "scheduling: any staff member may create appointment types",
        SCHEDULING,
        "entrypoints/appointment_types_api.py",
        "body: AppointmentTypeCreate, _user: AdminUser,",
        "body: AppointmentTypeCreate, _user: StaffUser,",
        (
            f"{SCHEDULING_TESTS}/test_route_roles.py::test_who_may_call_each_route"
            "[POST /api/appointment-types]",
        ),
    ),
    Mutant(
        "identity: any signed-in user may edit a user (make herself admin)",
        IDENTITY,
        "users_api.py",
        "    body: UserUpdate,\n    _admin: AdminUser,",
        "    body: UserUpdate,\n    _admin: LiveUser,",
        (
            "services/identity/tests/integration/test_users_single_access.py::test_staff_cannot_make_themselves_admin",
        ),
    ),
    Mutant(
        "identity: any signed-in user may read a user",
        IDENTITY,
        "users_api.py",
        "def get_user(user_id: str, _admin: AdminUser,",
        "def get_user(user_id: str, _admin: LiveUser,",
        (
            "services/identity/tests/integration/test_users_single_access.py::test_staff_cannot_read_a_user_not_even_themselves",
        ),
    ),
    Mutant(
        "identity: a refresh token claimed twice (two simultaneous refreshes both win)",
        IDENTITY,
        "session_store.py",
        "RefreshToken.token_hash == token_hash, RefreshToken.rotated_at.is_(None)",
        "RefreshToken.token_hash == token_hash",
        ("services/identity/tests/integration/test_refresh_race.py",),
    ),
    Mutant(
        "identity: the admin's session maximum is not enforced on refresh",
        IDENTITY,
        "sessions.py",
        "if session.expires_at <= now or hard_end <= now:",
        "if session.expires_at <= now:",
        (
            "services/identity/tests/integration/test_session_policy.py::test_a_refresh_beyond_the_maximum_is_401_however_active_the_user",
        ),
    ),
    Mutant(
        "billing: the invoice counter and chain head are not locked (duplicate numbers)",
        BILLING,
        "infrastructure/counters.py",
        '.where(counters.c.series == bindparam("counter_series"))\n    .with_for_update()',
        '.where(counters.c.series == bindparam("counter_series"))',
        (
            "services/billing/tests/integration/test_issuing_race.py::test_two_hundred_simultaneous_issues_take_consecutive_numbers[mariadb]",
        ),
    ),
    Mutant(
        "shared: a redelivered event is applied again (no dedup)",
        SHARED,
        "events/processing.py",
        "        except IntegrityError:\n"
        "            session.rollback()\n            return False\n",
        "        except IntegrityError:\n            session.rollback()\n",
        (
            "libs/shared/tests/integration/test_events_consumer.py::test_duplicate_delivery_is_applied_once",
        ),
    ),
]


def _overlay(mutant: Mutant, folder: Path, *, mutate: bool = True) -> None:
    """Copy the mutant's package into ``folder`` and mutate the copy (or only check it would)."""
    source = ROOT / mutant.package
    copy = folder / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / mutant.file
    text = target.read_text(encoding="utf-8")
    found = text.count(mutant.old)
    if found != mutant.count:
        raise LookupError(
            f"{mutant.package}/{mutant.file}: the guarded code is found {found} times, "
            f"expected {mutant.count} — update the mutant along with the code"
        )
    if mutate:
        target.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


def _imports_from(folder: Path, package: str, env: dict[str, str]) -> bool:
    module = Path(package).name
    probe = subprocess.run(
        [sys.executable, "-c", f"import {module}; print({module}.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.strip().startswith(str(folder))


def run(mutant: Mutant, verbose: bool, *, mutate: bool = True) -> str:
    """'killed', 'survived' or 'broken: why' (unmutated: 'survived' is the good answer)."""
    with tempfile.TemporaryDirectory(prefix="guard-mutant-") as tmp:
        folder = Path(tmp)
        try:
            _overlay(mutant, folder, mutate=mutate)
        except LookupError as exc:
            return f"broken: {exc}"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([tmp, os.environ.get("PYTHONPATH", "")])}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        if not _imports_from(folder, mutant.package, env):
            return "broken: the mutated copy is not the one imported"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *mutant.tests,
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
        ]
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if verbose:
            print(result.stdout[-3000:], result.stderr[-2000:], sep="\n")
        if result.returncode == 1:
            return "killed"
        if result.returncode == 0:
            return "survived"
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        return f"broken: pytest exit {result.returncode}: {' | '.join(tail)}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("only", nargs="*", help="run the mutants whose name contains one of these")
    parser.add_argument("-v", "--verbose", action="store_true", help="show pytest's output")
    parser.add_argument(
        "--clean",
        action="store_true",
        help="run each mutant's tests on the unmutated copy instead: they must all pass",
    )
    args = parser.parse_args()
    wanted = "survived" if args.clean else "killed"
    chosen = [m for m in MUTANTS if not args.only or any(w in m.name for w in args.only)]
    failures = 0
    started = time.monotonic()
    for mutant in chosen:
        begun = time.monotonic()
        outcome = run(mutant, args.verbose, mutate=not args.clean)
        ok = outcome == wanted
        failures += not ok
        mark = "ok  " if ok else "FAIL"
        print(f"{mark} {outcome:<8} {time.monotonic() - begun:5.1f}s  {mutant.name}", flush=True)
        if not ok:
            print(f"       tests: {' '.join(mutant.tests)}", flush=True)
    what = "clean runs passed" if args.clean else "guard mutants killed"
    print(f"{len(chosen) - failures}/{len(chosen)} {what} in {time.monotonic() - started:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
