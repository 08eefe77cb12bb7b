"""Replaying events into a consumer's handlers (CLI use).

- :func:`replay`: a whole stream from the start, to rebuild a read model;
- :func:`replay_dead`: the entries a consumer parked in ``dead.<service>``, once the cause
  (a bug, a missing read-model row, a contract mismatch) is fixed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import cast

import redis
from sqlalchemy import Table

from clinic_shared.events.envelope import from_fields
from clinic_shared.events.processing import (
    EventHandler,
    SessionFactory,
    apply_and_mark,
    apply_once,
)

log = logging.getLogger(__name__)


def replay(
    redis_url: str,
    stream: str,
    handler: EventHandler,
    *,
    session_factory: SessionFactory,
    processed_table: Table | None = None,
    consumer: str = "replay",
    start: str = "-",
    end: str = "+",
    batch_size: int = 500,
) -> int:
    """Feed every event of ``stream`` (XRANGE ``start``..``end``) to ``handler``; returns the count.

    Each event runs in its own transaction. Events already marked processed are applied
    again (the caller is rebuilding, usually from emptied tables); with ``processed_table``
    the others are marked so the live consumer skips them later. Entries that are not
    envelopes are logged and skipped.
    """
    client = redis.Redis.from_url(redis_url)
    applied = 0
    cursor = start
    try:
        while True:
            entries = cast(
                "list[tuple[bytes, dict[bytes, bytes]]]",
                client.xrange(stream, min=cursor, max=end, count=batch_size) or [],
            )
            for entry_id, fields in entries:
                try:
                    envelope = from_fields(fields)
                except ValueError:
                    log.warning("replay %s: skipping %r, not an event envelope", stream, entry_id)
                    continue
                apply_and_mark(session_factory, processed_table, consumer, envelope, handler)
                applied += 1
            if len(entries) < batch_size:
                return applied
            # "(" makes the range exclusive: continue after the last entry read.
            cursor = "(" + entries[-1][0].decode()
    finally:
        client.close()


@dataclass
class DeadReplay:
    """What :func:`replay_dead` did: entries applied, already applied before, still failing."""

    applied: int = 0
    already_processed: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        text = f"{self.applied} applied, {self.already_processed} already processed"
        if self.failed:
            text += f", {len(self.failed)} still failing (kept): " + "; ".join(self.failed[:5])
        return text


def replay_dead(
    redis_url: str,
    service: str,
    handler: EventHandler,
    *,
    session_factory: SessionFactory,
    processed_table: Table,
    batch_size: int = 500,
) -> DeadReplay:
    """Apply every entry of ``dead.<service>`` again, oldest first; delete those that succeed.

    Each runs like a live delivery (:func:`apply_once`: one transaction with the processed
    mark), so an event applied in the meantime is only removed. An entry that fails again,
    or is not an event envelope, stays in the dead stream with its error reported; run the
    command again after the next fix. Safe to run while the consumer runs.
    """
    client = redis.Redis.from_url(redis_url)
    stream = f"dead.{service}"
    result = DeadReplay()
    cursor = "-"
    try:
        while True:
            entries = cast(
                "list[tuple[bytes, dict[bytes, bytes]]]",
                client.xrange(stream, min=cursor, max="+", count=batch_size) or [],
            )
            for entry_id, fields in entries:
                name = entry_id.decode()
                try:
                    envelope = from_fields(fields)
                    applied = apply_once(
                        session_factory, processed_table, service, envelope, handler
                    )
                except Exception as exc:
                    log.warning("replay of %s %s failed again: %s", stream, name, exc)
                    result.failed.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
                    continue
                if applied:
                    result.applied += 1
                else:
                    result.already_processed += 1
                client.xdel(stream, entry_id)
            if len(entries) < batch_size:
                return result
            cursor = "(" + entries[-1][0].decode()
    finally:
        client.close()
