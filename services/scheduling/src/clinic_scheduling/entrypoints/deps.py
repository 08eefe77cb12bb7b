"""FastAPI dependencies: the process's collaborators, a DB session, the signed-in staff member."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_scheduling.config import SchedulingSettings
from clinic_shared.auth import ALL_ROLES, ROLE_ADMIN, Principal, require_roles


@dataclass(frozen=True)
class SchedulingContext:
    """Settings and database of one scheduling process."""

    settings: SchedulingSettings
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's time zone (working hours are wall-clock times there)."""
        return ZoneInfo(self.settings.clinic_time_zone)

    def new_session(self) -> Session:
        """A session with no implicit transaction: every use case opens its own explicitly."""
        return self.session_factory(autobegin=False)


async def get_context(request: Request) -> SchedulingContext:
    """The collaborators built by ``create_app``."""
    context: SchedulingContext = request.app.state.scheduling
    return context


Context = Annotated[SchedulingContext, Depends(get_context)]


def get_db(context: Context) -> Iterator[Session]:
    """A session per request; use cases open their transactions explicitly."""
    with context.new_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
# Every staff role works with the calendar; only admins manage appointment types.
StaffUser = Annotated[Principal, Depends(require_roles(*ALL_ROLES))]
AdminUser = Annotated[Principal, Depends(require_roles(ROLE_ADMIN))]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
