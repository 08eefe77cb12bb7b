"""FastAPI dependencies: the process's parts, a DB session, who may read clinical records.

Clinical records are for practitioners and admins. Receptionists get 403 on every records
route (the seed's v1.2 roles: they see patients, appointments and invoices, never a history).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Depends

from clinic_records.bootstrap import RecordsServices
from clinic_records.infrastructure.audit import Reader
from clinic_shared.auth import ROLE_ADMIN, ROLE_PRACTITIONER, Principal, require_roles
from clinic_shared.deps import AdminUser, DbSession, IfMatch, get_services
from clinic_shared.request_id import current_request_id

ServicesDep = Annotated[RecordsServices, Depends(get_services)]
ClinicalUser = Annotated[Principal, Depends(require_roles(ROLE_ADMIN, ROLE_PRACTITIONER))]


def reader_of(user: Principal) -> Reader:
    """The caller as the read audit records them (with this request's id)."""
    return Reader(user.user_id, user.roles, current_request_id())


def today(services: RecordsServices) -> date:
    """The clinic's calendar day now."""
    return services.clock().astimezone(services.zone).date()


def now(services: RecordsServices) -> datetime:
    """Now, aware UTC."""
    return services.clock()


__all__ = [
    "AdminUser",
    "ClinicalUser",
    "DbSession",
    "IfMatch",
    "ServicesDep",
    "now",
    "reader_of",
    "today",
]
