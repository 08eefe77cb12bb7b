"""Reads that may be a little behind go to a MariaDB replica while it is up and close enough.

A service given ``DATABASE_REPLICA_URL`` serves its read-heavy lists (patient search, invoice
lists, calendar views: the routes that take ``ReadDbSession``) from that replica. Everything
else, and so every read that follows a write in the same request, uses the primary.

The replica is used only while ``SHOW REPLICA STATUS`` says it replicates and is at most
``max_lag_seconds`` behind; asked at most every ``check_seconds`` (the answer is kept in
between), so a replica that stops, dies or falls behind loses its reads within that time and
gets them back once it has caught up. A server that is not replicating at all (no status row,
or a stopped thread: ``Seconds_Behind_Master`` is NULL) counts as too far behind: its data may
be anything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.db import create_engine_for

if TYPE_CHECKING:
    from clinic_shared.settings import ServiceSettings

log = logging.getLogger("clinic.read_replica")


class ReadReplica:
    """Chooses, per request, the replica's sessions or the primary's."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_lag_seconds: float,
        check_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._max_lag = max_lag_seconds
        self._check_every = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._usable = False

    def lag_seconds(self) -> float | None:
        """How far the replica is behind (None: not replicating, or unreachable)."""
        try:
            with self.engine.connect() as conn:
                row = conn.execute(text("SHOW REPLICA STATUS")).mappings().first()
        except SQLAlchemyError as exc:
            log.warning("read replica unreachable: %s", type(exc).__name__)
            return None
        if row is None:
            return None
        behind = row.get("Seconds_Behind_Master")
        return None if behind is None else float(behind)

    def usable(self) -> bool:
        """Whether reads may go to the replica now (checked at most every ``check_seconds``)."""
        now = self._clock()
        with self._lock:
            if self._checked_at is not None and now - self._checked_at < self._check_every:
                return self._usable
            lag = self.lag_seconds()
            usable = lag is not None and lag <= self._max_lag
            if usable != self._usable:
                state = "in use" if usable else f"not used (lag {lag})"
                log.warning("read replica %s", state)
            self._usable, self._checked_at = usable, self._clock()
            return usable

    def session(self) -> Session | None:
        """A replica session when the replica is usable, else None (read the primary)."""
        return self._sessions(autobegin=False) if self.usable() else None

    def close(self) -> None:
        """Release the replica's pool."""
        self.engine.dispose()


def read_replica_for(settings: ServiceSettings) -> ReadReplica | None:
    """The replica ``settings`` name (``database_replica_url``), or None without one."""
    if not settings.database_replica_url:
        return None
    engine = create_engine_for(
        settings.database_replica_url,
        timeouts=settings.db_timeouts,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    return ReadReplica(
        engine,
        max_lag_seconds=settings.replica_max_lag_seconds,
        check_seconds=settings.replica_check_seconds,
    )
