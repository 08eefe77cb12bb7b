"""Routes without clinical text: the read audit, sessions without a note, templates, stats.

Registered before ``records_api`` so ``/api/records/audit`` is not taken for an entry id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request

from clinic_records.application import queries
from clinic_records.domain.templates import templates
from clinic_records.entrypoints.deps import AdminUser, ClinicalUser, DbSession, ServicesDep, today
from clinic_records.entrypoints.schemas import (
    AuditPublic,
    EntryType,
    SessionPublic,
    StatsPublic,
    TemplatePublic,
)
from clinic_shared.auth import ROLE_PRACTITIONER
from clinic_shared.pagination import Collection, Page

router = APIRouter(tags=["records"])


@router.get("/api/records/audit", response_model=Collection[AuditPublic])
def read_audit(
    _user: AdminUser,
    db: DbSession,
    page: Page,
    request: Request,
    patient_id: Annotated[UUID | None, Query(alias="patientId")] = None,
    user_id: Annotated[str | None, Query(alias="userId", max_length=36)] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
) -> Collection[AuditPublic]:
    """Who read whose clinical content and when, newest first (admins)."""
    rows = queries.audit_log(
        db,
        patient_id=str(patient_id) if patient_id else None,
        user_id=user_id,
        since=since,
        until=until,
        offset=page.offset,
        limit=page.fetch_limit,
    )
    return page.collection([AuditPublic.model_validate(r) for r in rows], request)


@router.get("/api/records/sessions-without-note", response_model=Collection[SessionPublic])
def sessions_without_note(
    user: ClinicalUser,
    db: DbSession,
    page: Page,
    request: Request,
    practitioner_id: Annotated[str | None, Query(alias="practitionerId", max_length=36)] = None,
) -> Collection[SessionPublic]:
    """Completed sessions still waiting for a signed note (yours unless practitionerId)."""
    found = queries.sessions_without_note(
        db, practitioner_id or user.user_id, offset=page.offset, limit=page.fetch_limit
    )
    return page.collection([SessionPublic.model_validate(s) for s in found], request)


@router.get("/api/record-templates", response_model=list[TemplatePublic])
def record_templates(
    _user: ClinicalUser,
    type: EntryType | None = None,
    lang: Literal["es", "en"] = "es",
) -> list[TemplatePublic]:
    """The prefilled SOAP sections of each entry type (or of one), in Spanish or English."""
    return [
        TemplatePublic(
            type=kind,
            lang=lang,
            subjective=soap.subjective,
            objective=soap.objective,
            assessment=soap.assessment,
            plan=soap.plan,
        )
        for kind, soap in templates(type, lang)
    ]


@router.get("/stats", response_model=StatsPublic)
def stats(user: ClinicalUser, db: DbSession, services: ServicesDep) -> StatsPublic:
    """Today's completed sessions without a signed note (yours; the clinic's for an admin)."""
    mine = user.user_id if user.has_any_role(ROLE_PRACTITIONER) else None
    count = queries.today_without_note(db, mine, today(services), services.zone)
    return StatsPublic(sessions_without_note=count)
