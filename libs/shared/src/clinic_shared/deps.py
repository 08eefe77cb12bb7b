"""FastAPI dependencies every service shares: its parts, a database session, the staff roles.

Each service's ``deps.py`` re-exports these next to its own aliases, typed with its own
parts class (``ServicesDep = Annotated[PatientsServices, Depends(get_services)]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from clinic_shared.auth import ALL_ROLES, ROLE_ADMIN, Principal, require_roles
from clinic_shared.etags import IfMatch
from clinic_shared.services import ServiceParts


async def get_services(request: Request) -> Any:
    """The parts ``create_service_app`` keeps (typed by each service's own alias)."""
    return request.app.state.services


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; use cases open their transactions explicitly."""
    services: ServiceParts = request.app.state.services
    with services.new_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
# Every staff role works with patients and the calendar; a token without one gets 403.
StaffUser = Annotated[Principal, Depends(require_roles(*ALL_ROLES))]
AdminUser = Annotated[Principal, Depends(require_roles(ROLE_ADMIN))]

__all__ = ["AdminUser", "DbSession", "IfMatch", "StaffUser", "get_db", "get_services"]
