"""What every service's ``clinic-<name>`` command shares: a one-off session and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.errors import ClinicError

SettingsT = TypeVar("SettingsT")


class CliError(Exception):
    """A problem to print without a traceback (exit status 1)."""


@contextmanager
def one_off_session(database_url: str) -> Iterator[Session]:
    """A session on a one-connection engine, disposed afterwards (commands run once)."""
    engine = create_engine_for(database_url, pool_size=1, max_overflow=0)
    try:
        with make_session_factory(engine)(autobegin=False) as session:
            yield session
    finally:
        engine.dispose()


def console_main(
    run: Callable[[Sequence[str], SettingsT], str],
    settings: Callable[[], SettingsT],
    argv: Sequence[str] | None = None,
) -> int:
    """Run one command and print its result: 0 done, 1 refused by a rule, 2 invalid input."""
    try:
        print(run(sys.argv[1:] if argv is None else argv, settings()))
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            print(f"error: {field}: {error['msg']}", file=sys.stderr)
        return 2
    except (ClinicError, CliError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
