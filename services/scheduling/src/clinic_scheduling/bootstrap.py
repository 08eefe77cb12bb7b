"""The composition root: what one scheduling process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic_scheduling.config import SchedulingSettings
from clinic_scheduling.infrastructure.tables import idempotency_keys, outbox
from clinic_shared.contracts import scheduling as scheduling_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.read_replica import read_replica_for
from clinic_shared.services import ServiceParts


@dataclass(frozen=True, kw_only=True)
class SchedulingServices(ServiceParts):
    """The shared parts plus the settings and the clinic's time zone."""

    settings: SchedulingSettings
    # Working hours are wall-clock times in this zone; built once, not per request.
    zone: ZoneInfo


def build_services(settings: SchedulingSettings) -> SchedulingServices:
    """The engine, sessions, outbox writer, idempotency store and time zone of ``settings``."""
    engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    return SchedulingServices(
        settings=settings,
        zone=ZoneInfo(settings.clinic_time_zone),
        engine=engine,
        sessions=make_session_factory(engine),
        events=OutboxWriter(outbox, settings.events_stream, scheduling_contracts.PRODUCER),
        idempotency=IdempotencyStore(engine, idempotency_keys),
        replica=read_replica_for(settings),
    )
