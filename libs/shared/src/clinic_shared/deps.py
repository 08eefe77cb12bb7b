"""FastAPI dependencies every service shares: its parts, a database session, the staff roles.

Each service's ``deps.py`` re-exports these next to its own aliases, typed with its own
parts class (``ServicesDep = Annotated[PatientsServices, Depends(get_services)]``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from clinic_shared.auth import ALL_ROLES, ROLE_ADMIN, Principal, require_roles
from clinic_shared.etags import IfMatch
from clinic_shared.services import ServiceParts


async def get_services(request: Request) -> Any:
    """The parts ``create_service_app`` keeps (typed by each service's own alias)."""
    return request.app.state.services


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request; use cases open their transactions explicitly."""
    # Async on purpose: FastAPI enters and leaves a sync generator dependency on its thread
    # pool, two thread hand-offs per request (each a wake-up and a fight for the interpreter
    # lock under load). A session without autobegin holds no connection outside its use
    # case's transactions, so making and closing it here does no I/O on the event loop.
    services: ServiceParts = request.app.state.services
    with services.new_session() as session:
        yield session


def get_read_db(request: Request) -> Iterator[Session]:
    """A session for a read-heavy list that writes nothing: the replica's when it is usable."""
    services: ServiceParts = request.app.state.services
    with services.new_read_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
# Only for routes that write nothing: what they read may be up to replica_max_lag_seconds old.
ReadDbSession = Annotated[Session, Depends(get_read_db)]
# Every staff role works with patients and the calendar; a token without one gets 403.
StaffUser = Annotated[Principal, Depends(require_roles(*ALL_ROLES))]
AdminUser = Annotated[Principal, Depends(require_roles(ROLE_ADMIN))]

__all__ = [
    "AdminUser",
    "DbSession",
    "IfMatch",
    "ReadDbSession",
    "StaffUser",
    "get_db",
    "get_read_db",
    "get_services",
]
