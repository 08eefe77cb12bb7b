"""``clinic-patients``: migrate, seed the demo patients, rebuild the search index, events."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from clinic_patients.bootstrap import events_writer
from clinic_patients.config import MIGRATIONS_VERSION_TABLE, PatientsSettings
from clinic_patients.search.index import rebuild
from clinic_patients.seed import seed_demo
from clinic_shared.cli import console_main, one_off_session
from clinic_shared.db import create_engine_for, run_migrations
from clinic_shared.events import commands as event_commands

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migrate(settings: PatientsSettings) -> None:
    """Create the patients database if missing and upgrade it to the latest revision."""
    run_migrations(settings.database_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-patients", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create/upgrade the patients database schema")
    commands.add_parser("seed-demo", help="register the demo patients (not in production)")
    commands.add_parser(
        "rebuild-search-index", help="recompute the name search index from the patients"
    )
    event_commands.add_replay_dead(commands)
    event_commands.add_republish_outbox(commands)
    return parser


def run(argv: Sequence[str], settings: PatientsSettings) -> str:
    """Execute one command; returns what to print."""
    args = _build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate(settings)
        return "patients database is up to date"
    if args.command == "seed-demo":
        with one_off_session(settings.database_url) as db:
            created = seed_demo(db, events_writer(settings), settings)
        return f"demo patients created: {len(created) or 'none (already there)'}"
    if args.command == event_commands.REPLAY_DEAD:
        # Imported here: the consumers load the read-model code the other commands never need.
        from clinic_patients.consumers import HANDLERS
        from clinic_patients.models import processed_events

        return event_commands.run_replay_dead(
            settings.database_url,
            settings.redis_url,
            settings.service_name,
            HANDLERS,
            processed_events,
        )
    if args.command == event_commands.REPUBLISH_OUTBOX:
        from clinic_patients.models import outbox

        return event_commands.run_republish_outbox(settings.database_url, outbox, args)
    engine = create_engine_for(settings.database_url, pool_size=1, max_overflow=0)
    try:
        started = time.perf_counter()
        count = rebuild(engine)
        return f"search index rebuilt for {count} patients in {time.perf_counter() - started:.1f}s"
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return console_main(run, PatientsSettings, argv)


if __name__ == "__main__":
    sys.exit(main())
