"""``clinic-records``: migrate, seed the demo data, event commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_records.config import MIGRATIONS_VERSION_TABLE, RecordsSettings
from clinic_records.entrypoints.consumers import HANDLERS
from clinic_records.infrastructure.tables import outbox, processed_events
from clinic_records.seed import seed_demo
from clinic_shared.cli import console_main, one_off_session
from clinic_shared.db import run_migrations
from clinic_shared.events import commands as event_commands

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migrate(settings: RecordsSettings) -> None:
    """Create the records database if missing and upgrade it to the latest revision."""
    run_migrations(settings.database_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-records", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create/upgrade the records database schema")
    commands.add_parser("seed-demo", help="demo rows (none: everything comes from events)")
    event_commands.add_replay_dead(commands)
    event_commands.add_republish_outbox(commands)
    return parser


def run(argv: Sequence[str], settings: RecordsSettings) -> str:
    """Execute one command; returns what to print."""
    args = _build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate(settings)
        return "records database is up to date"
    if args.command == event_commands.REPLAY_DEAD:
        return event_commands.run_replay_dead(
            settings.database_url,
            settings.redis_url,
            settings.service_name,
            HANDLERS,
            processed_events,
        )
    if args.command == event_commands.REPUBLISH_OUTBOX:
        return event_commands.run_republish_outbox(settings.database_url, outbox, args)
    with one_off_session(settings.database_url) as db:
        added = seed_demo(db)
    return f"records demo rows added: {added or 'none (everything comes from events)'}"


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return console_main(run, RecordsSettings, argv)


if __name__ == "__main__":
    sys.exit(main())
