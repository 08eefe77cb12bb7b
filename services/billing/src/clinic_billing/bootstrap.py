"""The composition root: what one billing process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from clinic_billing.config import BillingSettings
from clinic_billing.infrastructure.pdf_cache import PdfCache
from clinic_billing.infrastructure.tables import idempotency_keys, outbox
from clinic_shared.contracts import billing as billing_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.services import ServiceParts


@dataclass(frozen=True, kw_only=True)
class BillingServices(ServiceParts):
    """The shared parts plus the settings and the clinic's time zone."""

    settings: BillingSettings
    # Issue dates are the clinic's calendar days; built once, not per request.
    zone: ZoneInfo
    # Rendered invoice PDFs (a reprint skips WeasyPrint's ~70 ms of CPU).
    pdfs: PdfCache


def build_services(settings: BillingSettings) -> BillingServices:
    """The engine, sessions, outbox writer, idempotency store and time zone of ``settings``."""
    engine = create_engine_for(settings.database_url, timeouts=settings.db_timeouts)
    return BillingServices(
        settings=settings,
        zone=ZoneInfo(settings.clinic_time_zone),
        pdfs=PdfCache(),
        engine=engine,
        sessions=make_session_factory(engine),
        events=OutboxWriter(outbox, settings.events_stream, billing_contracts.PRODUCER),
        idempotency=IdempotencyStore(engine, idempotency_keys),
    )
