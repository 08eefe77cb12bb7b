"""Patients' composition root: what one process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_patients.config import PatientsSettings
from clinic_patients.models import idempotency_keys, outbox
from clinic_shared.contracts import patients as patients_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events.outbox import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.read_replica import read_replica_for
from clinic_shared.services import ServiceParts


@dataclass(frozen=True, kw_only=True)
class PatientsServices(ServiceParts):
    """The shared parts (database, outbox writer, idempotency store, clock) and the settings."""

    settings: PatientsSettings


def events_writer(settings: PatientsSettings) -> OutboxWriter:
    """The patients' way to emit: their outbox, their stream, their producer (also the CLI's)."""
    return OutboxWriter(outbox, settings.events_stream, patients_contracts.PRODUCER)


def build_services(settings: PatientsSettings) -> PatientsServices:
    """Wire the patients service's parts from its settings."""
    engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    return PatientsServices(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        events=events_writer(settings),
        idempotency=IdempotencyStore(engine, idempotency_keys),
        replica=read_replica_for(settings),
    )
