"""Replaying a stream from the start into a handler, to rebuild a read model (CLI use)."""

from __future__ import annotations

import logging
from typing import cast

import redis
from sqlalchemy import Table

from clinic_shared.events.envelope import from_fields
from clinic_shared.events.processing import EventHandler, SessionFactory, apply_and_mark

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
