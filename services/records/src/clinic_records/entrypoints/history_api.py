"""The patient's clinical history as a PDF (practitioners and admins; audited as one read).

The gateway sends ``/api/patients/...`` to the patients service; this one path is routed to
records by its own gateway rule.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from clinic_records.application.history_pdf import print_history
from clinic_records.entrypoints.deps import ClinicalUser, DbSession, ServicesDep, now, reader_of
from clinic_records.infrastructure.history_text import Language

router = APIRouter(tags=["records"])

PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The clinical history PDF."}
}


@router.get(
    "/api/patients/{patient_id}/clinical-history.pdf",
    response_class=Response,
    responses=PDF_RESPONSE,
)
def clinical_history_pdf(
    patient_id: UUID,
    user: ClinicalUser,
    db: DbSession,
    services: ServicesDep,
    lang: Annotated[Language, Query()] = "es",
) -> Response:
    """The patient's whole history (episodes, signed entries with their amendments, outcome
    measures) as an A4 PDF, for the patient's right of access; Spanish unless ``lang=en``."""
    printed = print_history(
        db,
        services.cipher,
        patient_id,
        reader_of(user),
        language=lang,
        zone=services.zone,
        now=now(services),
    )
    return Response(
        printed.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{printed.filename}"',
            # Health data: no browser or proxy keeps a copy.
            "Cache-Control": "no-store",
        },
    )
