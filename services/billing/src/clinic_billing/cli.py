"""``clinic-billing``: migrate, seed the demo data, verify the Verifactu chain, event commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_billing.config import MIGRATIONS_VERSION_TABLE, BillingSettings
from clinic_billing.entrypoints.consumers import HANDLERS
from clinic_billing.infrastructure.tables import outbox, processed_events
from clinic_billing.seed import seed_demo
from clinic_shared.cli import CliError, console_main, one_off_session
from clinic_shared.db import run_migrations
from clinic_shared.events import commands as event_commands

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERIFY_CHAIN = "verify-chain"


def migrate(settings: BillingSettings) -> None:
    """Create the billing database if missing and upgrade it to the latest revision."""
    run_migrations(settings.database_url, MIGRATIONS_DIR, MIGRATIONS_VERSION_TABLE)


def verify_chain(settings: BillingSettings) -> str:
    """Recompute every issuer's Verifactu chain; raises CliError naming the first bad record."""
    from clinic_billing.application.chain import verify

    with one_off_session(settings.database_url) as db:
        report = verify(db)
    if not report.ok:
        raise CliError(report.message)
    return report.message


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-billing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create/upgrade the billing database schema")
    commands.add_parser("seed-demo", help="the demo letterhead and service catalogue")
    commands.add_parser(
        VERIFY_CHAIN, help="recompute the Verifactu hash chain; exit 1 at the first bad record"
    )
    event_commands.add_replay_dead(commands)
    event_commands.add_republish_outbox(commands)
    return parser


def run(argv: Sequence[str], settings: BillingSettings) -> str:
    """Execute one command; returns what to print."""
    args = _build_parser().parse_args(argv)
    if args.command == "migrate":
        migrate(settings)
        return "billing database is up to date"
    if args.command == VERIFY_CHAIN:
        return verify_chain(settings)
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
    return f"billing demo rows added: {added or 'none (already there)'}"


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return console_main(run, BillingSettings, argv)


if __name__ == "__main__":
    sys.exit(main())
