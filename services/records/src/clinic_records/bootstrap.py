"""The composition root: what one records process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from clinic_records.config import RecordsSettings
from clinic_records.infrastructure.audit import ParallelAudit
from clinic_records.infrastructure.crypto import Cipher, SealedAnswers, load_cipher
from clinic_records.infrastructure.replay_audit import AuditedReplays
from clinic_records.infrastructure.tables import idempotency_keys, outbox
from clinic_shared.contracts import records as records_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import OutboxWriter
from clinic_shared.services import ServiceParts

# Audit rows written at once; each holds one connection for an INSERT and a commit (~5 ms), so
# a few keep up with the service's 40 request threads.
AUDIT_WRITERS = 8


@dataclass(frozen=True, kw_only=True)
class RecordsServices(ServiceParts):
    """The shared parts plus the settings, the clinic's time zone and the key ring."""

    settings: RecordsSettings
    zone: ZoneInfo
    # Seals and opens the clinical text (AES-GCM, keys by id).
    cipher: Cipher
    # Writes the timeline's audit rows beside the reads (its own small pool of connections).
    read_audit: ParallelAudit
    audit_engine: Engine

    def close(self) -> None:
        """Release the database pools and the audit writers."""
        self.read_audit.close()
        self.audit_engine.dispose()
        super().close()


def build_services(settings: RecordsSettings) -> RecordsServices:
    """The engine, sessions, outbox writer, idempotency store, zone and cipher of ``settings``."""
    engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    audit_engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        pool_size=AUDIT_WRITERS,
        max_overflow=0,
    )
    cipher = load_cipher(
        settings.encryption_keys.get_secret_value(), settings.app_env, settings.keys_dir
    )
    sessions = make_session_factory(engine)
    return RecordsServices(
        settings=settings,
        zone=ZoneInfo(settings.clinic_time_zone),
        cipher=cipher,
        read_audit=ParallelAudit(make_session_factory(audit_engine), AUDIT_WRITERS),
        audit_engine=audit_engine,
        engine=engine,
        sessions=sessions,
        events=OutboxWriter(outbox, settings.events_stream, records_contracts.PRODUCER),
        # Replayed answers are clinical content too: the store audits each one it hands back.
        idempotency=AuditedReplays(engine, idempotency_keys, SealedAnswers(cipher), sessions),
    )
