"""The outbox relay: publishes committed outbox rows to their Redis streams.

It runs in a daemon thread (the services' endpoints and SQLAlchemy sessions are sync, and
the relay must never block the event loop). It is woken right after a transaction that
added events commits, and polls every ``poll_interval`` seconds as a safety net. Rows are
claimed with ``FOR UPDATE SKIP LOCKED`` so several replicas never publish the same row;
SQLite ignores the clause, which is fine since it serialises writers anyway. When Redis
is unreachable the rows stay pending with ``attempts``/``last_error`` updated: an outage
delays events, never loses them. A crash between XADD and the commit republishes the row,
so delivery is at-least-once and consumers dedupe by event id.

Redis losing its data (FLUSHALL, a restart without persistence, a failover to a stale
replica) would silently lose events the outbox already marked published. The relay keeps
the last entry id it published per stream and, once per ``poll_interval``, checks that the
stream still holds it. When it does not, the stream went backwards: the relay logs it at
ERROR, counts it (``stream_regressions``) and marks pending again the rows of that stream
published since ``republish_window`` seconds before the last check that found the stream
whole (:func:`republish`), which it then publishes again. Re-publishing more than was lost
is harmless: consumers skip event ids they processed and older entity versions. What the
relay cannot see (it restarted meanwhile, or consumers lagged further behind than the
window) an operator re-publishes with each service's ``republish-outbox --since`` command.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, cast

import redis
from sqlalchemy import Engine, Table, select, update

from clinic_shared.clock import utcnow
from clinic_shared.events.envelope import ENVELOPE_FIELD
from clinic_shared.events.wakeup import notify, register_waker

log = logging.getLogger(__name__)

_MAX_ERROR_LENGTH = 2000


class _Pending(NamedTuple):
    id: int
    stream: str
    payload: str


class OutboxRelay:
    """Publishes the pending rows of one outbox table; ``start()``/``stop()`` around its life."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        redis_url: str,
        *,
        poll_interval: float = 2.0,
        batch_size: int = 100,
        redis_timeout: float = 5.0,
        republish_window: float = 600.0,
    ) -> None:
        if poll_interval <= 0 or batch_size <= 0:
            raise ValueError("poll_interval and batch_size must be positive")
        self._engine = engine
        self._table = table
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._redis = redis.Redis.from_url(
            redis_url, socket_connect_timeout=redis_timeout, socket_timeout=redis_timeout
        )
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unregister: Callable[[], None] | None = None
        self._republish_window = timedelta(seconds=republish_window)
        # Per stream: the last entry id published, and when the stream last still held it.
        self._last_entry: dict[str, str] = {}
        self._verified_at: dict[str, datetime] = {}
        self._started_at = utcnow()
        self._last_check = 0.0
        self.stream_regressions = 0
        self.republished = 0

    @property
    def running(self) -> bool:
        """Whether the background thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the background thread; it publishes any backlog at once."""
        if self.running:
            return
        self._stopping.clear()
        self._unregister = register_waker(self._table, self.wake)
        self._thread = threading.Thread(
            target=self._run, name=f"outbox-relay-{self._table.name}", daemon=True
        )
        self._thread.start()
        self.wake()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (finishing the batch in flight) and close the Redis client."""
        if self._unregister is not None:
            self._unregister()
            self._unregister = None
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("outbox relay for %s did not stop in %ss", self._table.name, timeout)
            self._thread = None
        self._redis.close()

    def wake(self) -> None:
        """Ask the thread to publish now instead of at the next poll."""
        self._wakeup.set()

    def publish_pending(self) -> int:
        """Publish one batch of pending rows in id order; returns how many were published.

        Raises :class:`RelayPublishError` after recording the error on rows Redis refused.
        """
        table = self._table
        with self._engine.begin() as conn:
            # The batch is chosen by a plain read (committed rows only), then claimed by a
            # locking read of just those rows by primary key. A locking scan of the pending
            # index would also lock the gaps between its entries, where the producers insert
            # their events: a transaction writing several (a turn of invoice issues) then waits
            # on the relay while the relay waits on the row it just wrote — a deadlock MariaDB
            # breaks by failing one of them. SKIP LOCKED leaves rows another relay claimed.
            candidates = list(
                conn.execute(
                    select(table.c.id)
                    .where(table.c.published_at.is_(None))
                    .order_by(table.c.id)
                    .limit(self._batch_size)
                ).scalars()
            )
            if not candidates:
                return 0
            primary = "FORCE INDEX (PRIMARY)"
            rows: list[_Pending] = [
                _Pending(*row)
                for row in conn.execute(
                    select(table.c.id, table.c.stream, table.c.payload)
                    .with_hint(table, primary, "mysql")
                    .with_hint(table, primary, "mariadb")
                    .where(table.c.id.in_(candidates), table.c.published_at.is_(None))
                    .order_by(table.c.id)
                    .with_for_update(skip_locked=True)
                )
            ]
            if not rows:
                return 0
            published, failed = self._xadd(rows)
            if published:
                conn.execute(
                    update(table)
                    .where(table.c.id.in_([row.id for row, _ in published]))
                    .values(published_at=utcnow())
                )
            for error, ids in _group_by_error(failed).items():
                conn.execute(
                    update(table)
                    .where(table.c.id.in_(ids))
                    .values(attempts=table.c.attempts + 1, last_error=error)
                )
        for row, entry_id in published:
            self._last_entry[row.stream] = entry_id
        if failed:
            raise RelayPublishError(f"{len(failed)} event(s) not published: {failed[0][1]}")
        return len(published)

    def check_streams(self) -> list[str]:
        """Check every stream this relay published to still holds its last entry.

        A stream that lost it went backwards (Redis lost its data): logged at ERROR, counted,
        and the rows published to it since shortly before it was last found whole are marked
        pending again. Returns the streams found lost. Redis errors are left to the next check.
        """
        if not self._last_entry:
            return []
        streams = list(self._last_entry.items())
        pipe = self._redis.pipeline(transaction=False)
        for stream, entry_id in streams:
            pipe.xrange(stream, min=entry_id, max=entry_id, count=1)
        try:
            found = pipe.execute()
        except redis.RedisError as exc:
            log.debug("outbox relay for %s: streams not checked: %s", self._table.name, exc)
            return []
        now = utcnow()
        lost: list[str] = []
        for (stream, entry_id), entries in zip(streams, found, strict=True):
            if entries:
                self._verified_at[stream] = now
                continue
            lost.append(stream)
            since = self._verified_at.get(stream, self._started_at) - self._republish_window
            count = republish(self._engine, self._table, since=since, stream=stream)
            self.stream_regressions += 1
            self.republished += count
            log.error(
                "stream %s went backwards: entry %s, published by this relay, is gone (Redis "
                "lost its data); %d event(s) published since %s are published again",
                stream,
                entry_id,
                count,
                since.isoformat(),
            )
            # Only the entries published from now on identify the new stream.
            if self._last_entry.get(stream) == entry_id:
                del self._last_entry[stream]
        return lost

    def _xadd(
        self, rows: Sequence[_Pending]
    ) -> tuple[list[tuple[_Pending, str]], list[tuple[int, str]]]:
        # One round trip per batch; per-command errors come back as values, not raised.
        pipe = self._redis.pipeline(transaction=False)
        for row in rows:
            pipe.xadd(row.stream, {ENVELOPE_FIELD: row.payload})
        try:
            results = pipe.execute(raise_on_error=False)
        except redis.RedisError as exc:
            error = _describe(exc)
            return [], [(row.id, error) for row in rows]
        published: list[tuple[_Pending, str]] = []
        failed: list[tuple[int, str]] = []
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, Exception):
                failed.append((row.id, _describe(result)))
            else:
                entry = cast("bytes | str", result)
                published.append((row, entry.decode() if isinstance(entry, bytes) else entry))
        return published, failed

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.wait(self._poll_interval)
            # Cleared before publishing so a commit landing mid-batch triggers another round.
            self._wakeup.clear()
            if self._stopping.is_set():
                break
            try:
                if time.monotonic() - self._last_check >= self._poll_interval:
                    self._last_check = time.monotonic()
                    self.check_streams()
                while self.publish_pending() == self._batch_size:
                    if self._stopping.is_set():
                        break
            except RelayPublishError as exc:
                log.warning("outbox relay for %s: %s", self._table.name, exc)
                # Redis is failing: retry on the poll, not on every commit's wake-up.
                self._stopping.wait(self._poll_interval)
            except Exception:
                log.exception("outbox relay for %s failed; retrying", self._table.name)
                self._stopping.wait(self._poll_interval)


def republish(engine: Engine, table: Table, *, since: datetime, stream: str | None = None) -> int:
    """Mark pending again the rows published at or after ``since`` (of ``stream``, or all).

    The relay publishes them again on its next round. Used when a stream lost entries
    (automatically by the relay, or by an operator through ``republish-outbox``); consumers
    skip what they already processed, so re-publishing more than was lost is harmless.
    ``since`` is naive or aware UTC, as the outbox stores ``published_at``.
    """
    if since.tzinfo is not None:
        since = since.astimezone(UTC).replace(tzinfo=None)
    condition = table.c.published_at >= since
    if stream is not None:
        condition = condition & (table.c.stream == stream)
    with engine.begin() as conn:
        result = conn.execute(
            update(table).where(condition).values(published_at=None, attempts=0, last_error=None)
        )
    notify(table)
    return int(result.rowcount or 0)


class RelayPublishError(RuntimeError):
    """Some rows of a batch could not be published; they stay pending for the next poll."""


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_MAX_ERROR_LENGTH]


def _group_by_error(failed: list[tuple[int, str]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for row_id, error in failed:
        grouped.setdefault(error, []).append(row_id)
    return grouped
