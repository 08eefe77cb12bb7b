"""Routes that exist only with APP_ENV=test, for end-to-end suites."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_patients.deps import DbSession, ServicesDep
from clinic_patients.seed import empty_database, seed_demo

router = APIRouter(tags=["test"])


@router.post("/api/test/reset-db", status_code=204)
def reset_db(db: DbSession, services: ServicesDep) -> Response:
    """Empty the patients tables, then register the demo patients again."""
    empty_database(db)
    seed_demo(db, services.events, services.settings)
    return Response(status_code=204)
