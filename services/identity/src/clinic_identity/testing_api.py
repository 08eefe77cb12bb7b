"""Routes that exist only with APP_ENV=test, for end-to-end suites."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_identity.deps import DbSession, ServicesDep
from clinic_identity.seed import empty_database, seed_demo

router = APIRouter(tags=["test"])


@router.post("/api/test/reset-db", status_code=204)
def reset_db(db: DbSession, services: ServicesDep) -> Response:
    """Empty identity's tables and throttle state, then seed the demo users again."""
    empty_database(db)
    services.throttle_store.clear()
    seed_demo(db, services.hasher, services.events, services.settings)
    return Response(status_code=204)
