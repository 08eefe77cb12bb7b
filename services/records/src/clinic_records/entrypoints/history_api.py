"""The patient's clinical history as a PDF (practitioners and admins; audited as one read).

The gateway sends ``/api/patients/...`` to the patients service; this one path is routed to
records by its own gateway rule. A long history comes in parts (``part``; the
``Clinical-History-Parts`` header says how many), each a bounded render: see
``application/history_pdf.py``.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from clinic_records.application.history_pdf import print_history
from clinic_records.entrypoints.deps import ClinicalUser, DbSession, ServicesDep, now, reader_of
from clinic_records.infrastructure.history_text import Language

router = APIRouter(tags=["records"])

PARTS_HEADER = "Clinical-History-Parts"
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {}},
        "description": "The clinical history PDF (one part of it).",
        "headers": {
            PARTS_HEADER: {
                "description": "How many parts the history has (1 unless it is very long).",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    }
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
    part: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The patient's whole history (episodes, signed entries with their amendments, outcome
    measures) as an A4 PDF, for the patient's right of access; Spanish unless ``lang=en``; a
    very long one in parts of 200 entries (``part``, 404 past the last)."""
    printed = print_history(
        db,
        services.cipher,
        patient_id,
        reader_of(user),
        language=lang,
        zone=services.zone,
        now=now(services),
        part=part,
    )
    return Response(
        printed.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{printed.filename}"',
            # Health data: no browser or proxy keeps a copy.
            "Cache-Control": "no-store",
            PARTS_HEADER: str(printed.parts),
        },
    )
