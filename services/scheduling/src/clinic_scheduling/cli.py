"""``clinic-scheduling``: migrate, seed the demo data, rebuild the read models, event commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from clinic_scheduling.application.read_models import forget_all
from clinic_scheduling.config import MIGRATIONS_VERSION_TABLE, SchedulingSettings
from clinic_scheduling.entrypoints.consumers import HANDLERS
from clinic_scheduling.infrastructure.tables import outbox, processed_events
from clinic_scheduling.seed import seed_demo
from clinic_shared.cli import console_main, one_off_session
from clinic_shared.db import create_engine_for, make_session_factory, run_migrations
from clinic_shared.events import EventEnvelope, replay
from clinic_shared.events import commands as event_commands

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migrate(settings: SchedulingSettings) -> None:
    """Create the scheduling database if missing and upgrade it to the latest revision."""
    run_migrations(settings.database_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE)


def rebuild_read_models(settings: SchedulingSettings) -> int:
    """Empty the practitioner and patient read models and replay both streams; returns the count."""
    engine = create_engine_for(settings.database_url, pool_size=1, max_overflow=0)
    sessions = make_session_factory(engine)

    def dispatch(session: Session, envelope: EventEnvelope) -> None:
        handler = HANDLERS.get(envelope.type)
        if handler is not None:
            handler(session, envelope)

    try:
        with sessions(autobegin=False) as session:
            forget_all(session)
        return sum(
            replay(
                settings.redis_url,
                stream,
                dispatch,
                session_factory=sessions,
                processed_table=processed_events,
                consumer=settings.service_name,
            )
            for stream in (settings.identity_stream, settings.patients_stream)
        )
    finally:
        engine.dispose()


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-scheduling", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create/upgrade the scheduling database schema")
    commands.add_parser("seed-demo", help="make sure the default appointment types exist")
    commands.add_parser(
        "rebuild-read-models", help="rebuild practitioners and patients from the event streams"
    )
    event_commands.add_replay_dead(commands)
    event_commands.add_republish_outbox(commands)
    return parser


def run(argv: Sequence[str], settings: SchedulingSettings) -> str:
    """Execute one command; returns what to print."""
    args = _build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate(settings)
        return "scheduling database is up to date"
    if args.command == "rebuild-read-models":
        return f"read models rebuilt from {rebuild_read_models(settings)} events"
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
    return f"appointment types added: {added or 'none (already there)'}"


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return console_main(run, SchedulingSettings, argv)


if __name__ == "__main__":
    sys.exit(main())
