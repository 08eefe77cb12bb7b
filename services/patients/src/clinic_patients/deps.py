"""FastAPI dependencies: the process's collaborators, a DB session, the signed-in staff member."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_patients.config import PatientsSettings
from clinic_shared.auth import ALL_ROLES, Principal, require_roles


@dataclass(frozen=True)
class PatientsContext:
    """Settings and database of one patients process."""

    settings: PatientsSettings
    engine: Engine
    session_factory: sessionmaker[Session]

    def new_session(self) -> Session:
        """A session with no implicit transaction: every use case opens its own explicitly."""
        return self.session_factory(autobegin=False)


async def get_context(request: Request) -> PatientsContext:
    """The collaborators built by ``create_app``."""
    context: PatientsContext = request.app.state.patients
    return context


Context = Annotated[PatientsContext, Depends(get_context)]


def get_db(context: Context) -> Iterator[Session]:
    """A session per request; use cases open their transactions explicitly."""
    with context.new_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
# Every staff role works with patients; a token without one of them gets 403.
StaffUser = Annotated[Principal, Depends(require_roles(*ALL_ROLES))]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
