"""Routes that exist only with APP_ENV=test, for end-to-end suites."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_records.entrypoints.deps import DbSession
from clinic_records.seed import reset

router = APIRouter(tags=["test"])


@router.post("/api/test/reset-db", status_code=204)
def reset_db(db: DbSession) -> Response:
    """Empty entries, episodes and sessions (the read audit is append-only and stays)."""
    reset(db)
    return Response(status_code=204)
