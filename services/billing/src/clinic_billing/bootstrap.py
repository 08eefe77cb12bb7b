"""The composition root: what one billing process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic_billing.application.issuing_line import IssuingLine
from clinic_billing.config import BillingSettings
from clinic_billing.infrastructure.pdf_cache import PdfCache
from clinic_billing.infrastructure.tables import idempotency_keys, outbox
from clinic_shared.contracts import billing as billing_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.read_replica import read_replica_for
from clinic_shared.services import ServiceParts


@dataclass(frozen=True, kw_only=True)
class BillingServices(ServiceParts):
    """The shared parts plus the settings and the clinic's time zone."""

    settings: BillingSettings
    # Issue dates are the clinic's calendar days; built once, not per request.
    zone: ZoneInfo
    # Rendered invoice PDFs (a reprint skips WeasyPrint's ~70 ms of CPU).
    pdfs: PdfCache
    # Issues taken in turns, several under one hold of the numbering locks.
    issuing: IssuingLine


def build_services(settings: BillingSettings) -> BillingServices:
    """The engine, sessions, outbox writer, idempotency store and time zone of ``settings``."""
    # Multi-statements: issuing sends its writes under the numbering locks in one round trip.
    engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        multi_statements=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    sessions = make_session_factory(engine)
    events = OutboxWriter(outbox, settings.events_stream, billing_contracts.PRODUCER)
    zone = ZoneInfo(settings.clinic_time_zone)
    return BillingServices(
        settings=settings,
        zone=zone,
        pdfs=PdfCache(),
        issuing=IssuingLine(lambda: sessions(autobegin=False), events, zone),
        engine=engine,
        sessions=sessions,
        events=events,
        idempotency=IdempotencyStore(engine, idempotency_keys),
        replica=read_replica_for(settings),
    )
