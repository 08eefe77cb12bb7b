"""The operator's event commands every service's CLI offers (``clinic-<name> …``).

- ``replay-dead`` (consuming services): apply ``dead.<service>`` again once the cause of the
  failures is fixed; what succeeds leaves the dead stream, what fails again stays.
- ``republish-outbox --since 2026-12-01T10:00:00Z [--stream events.x]`` (producing
  services): mark pending again the outbox rows published since then, for the relay to
  publish again — after Redis lost data the running relay could not see (it restarted
  meanwhile, or consumers lagged further behind than its automatic window). Consumers skip
  what they already processed, so going back further than needed is harmless.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Table

from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events.envelope import EventEnvelope
from clinic_shared.events.processing import EventHandler
from clinic_shared.events.relay import republish
from clinic_shared.events.replay import replay_dead

REPLAY_DEAD = "replay-dead"
REPUBLISH_OUTBOX = "republish-outbox"


def add_replay_dead(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``replay-dead`` on a CLI's subcommands."""
    commands.add_parser(REPLAY_DEAD, help="apply the dead-lettered events again (dead.<service>)")


def add_republish_outbox(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``republish-outbox --since ISO [--stream NAME]`` on a CLI's subcommands."""
    parser = commands.add_parser(
        REPUBLISH_OUTBOX, help="publish again the outbox events published since a moment"
    )
    parser.add_argument("--since", required=True, type=_moment, help="ISO 8601 with offset")
    parser.add_argument("--stream", default=None, help="only this stream (default: all)")


def run_replay_dead(
    database_url: str,
    redis_url: str,
    service: str,
    handlers: Mapping[str, EventHandler],
    processed_table: Table,
) -> str:
    """``replay-dead``: one line saying what was applied and what still fails."""
    engine = create_engine_for(database_url, pool_size=1, max_overflow=0)

    def dispatch(session: object, envelope: EventEnvelope) -> None:
        handler = handlers.get(envelope.type)
        if handler is not None:
            handler(session, envelope)  # type: ignore[arg-type]

    try:
        result = replay_dead(
            redis_url,
            service,
            dispatch,
            session_factory=make_session_factory(engine),
            processed_table=processed_table,
        )
    finally:
        engine.dispose()
    return f"dead.{service}: {result.summary()}"


def run_republish_outbox(database_url: str, outbox: Table, args: argparse.Namespace) -> str:
    """``republish-outbox``: how many rows the relay will publish again."""
    engine = create_engine_for(database_url, pool_size=1, max_overflow=0)
    try:
        count = republish(engine, outbox, since=args.since, stream=args.stream)
    finally:
        engine.dispose()
    where = f" of {args.stream}" if args.stream else ""
    return f"{count} event(s){where} published since {args.since.isoformat()} marked pending again"


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset (Z or +01:00)")
    return moment.astimezone(UTC)
