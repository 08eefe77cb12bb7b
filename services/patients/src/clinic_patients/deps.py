"""FastAPI dependencies: the process's parts, a DB session, the signed-in staff member, If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from clinic_patients.bootstrap import PatientsServices
from clinic_shared.deps import (
    AdminUser,
    DbSession,
    IfMatch,
    ReadDbSession,
    StaffUser,
    get_services,
)

ServicesDep = Annotated[PatientsServices, Depends(get_services)]

__all__ = ["AdminUser", "DbSession", "IfMatch", "ReadDbSession", "ServicesDep", "StaffUser"]
