"""Routes of billing's billable sessions (receptionists and admins; practitioners get 403)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request

from clinic_billing.application import billable_sessions
from clinic_billing.entrypoints.deps import BillingUser, DbSession, ServicesDep
from clinic_billing.entrypoints.party_schemas import BillableSessionPublic
from clinic_shared.errors import FieldError
from clinic_shared.pagination import Collection, Page
from clinic_shared.schemas import CalendarDate

router = APIRouter(tags=["sessions"])

_DAY = "A date (YYYY-MM-DD) in the clinic's time zone, included."
FromDay = Annotated[CalendarDate | None, Query(alias="from", description=_DAY)]
ToDay = Annotated[CalendarDate | None, Query(description=_DAY)]


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


@router.get("/api/billable-sessions", response_model=Collection[BillableSessionPublic])
def list_billable_sessions(
    _user: BillingUser,
    db: DbSession,
    services: ServicesDep,
    page: Page,
    request: Request,
    patient_id: Annotated[UUID | None, Query(alias="patientId")] = None,
    payer_id: Annotated[UUID | None, Query(alias="payerId")] = None,
    uninvoiced: Annotated[bool, Query(description="Only sessions not invoiced yet.")] = False,
    from_: FromDay = None,
    to: ToDay = None,
) -> Collection[BillableSessionPublic]:
    """Completed sessions oldest first, by patient, payer, status and day."""
    if from_ is not None and to is not None and to < from_:
        raise FieldError("to", "must not be before from")
    found = billable_sessions.list_sessions(
        db,
        patient_id=patient_id,
        payer_id=payer_id,
        uninvoiced=uninvoiced,
        starts_from=_start_of(from_, services.zone) if from_ else None,
        starts_before=_start_of(to + timedelta(days=1), services.zone) if to else None,
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([BillableSessionPublic.model_validate(s) for s in found], request)
