"""What every service's composition root builds once and every request borrows.

Each service's ``bootstrap.py`` subclasses :class:`ServiceParts` with its own parts (settings,
key ring, throttle…) and builds it in ``build_services(settings)``; ``create_service_app``
keeps it at ``app.state.services``, runs its events for the app's life and closes it at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_shared.clock import Clock, system_clock
from clinic_shared.events.outbox import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.read_replica import ReadReplica


@dataclass(frozen=True, kw_only=True)
class ServiceParts:
    """A service's database, outbox writer, idempotency store and clock."""

    engine: Engine
    sessions: sessionmaker[Session]
    events: OutboxWriter
    idempotency: IdempotencyStore
    clock: Clock = system_clock
    # Where read-heavy lists may read (``read_replica_for(settings)``); None: the primary.
    replica: ReadReplica | None = None

    def new_session(self) -> Session:
        """A session with no implicit transaction: every use case opens its own explicitly."""
        return self.sessions(autobegin=False)

    def new_read_session(self) -> Session:
        """A session on the replica while it is usable, else on the primary (read-only use)."""
        replica_session = self.replica.session() if self.replica is not None else None
        return replica_session if replica_session is not None else self.new_session()

    def close(self) -> None:
        """Release what the parts hold (the database pools; subclasses add theirs)."""
        self.engine.dispose()
        if self.replica is not None:
            self.replica.close()
