"""FastAPI dependencies: the process's parts, a DB session, who may bill, If-Match.

Billing is for the front desk and the owner: receptionists and admins. Practitioners get 403
on every billing route (the seed's v1.2 roles: they see clinical records, not invoices).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from clinic_billing.bootstrap import BillingServices
from clinic_shared.auth import ROLE_ADMIN, ROLE_RECEPTIONIST, Principal, require_roles
from clinic_shared.deps import AdminUser, DbSession, IfMatch, ReadDbSession, get_services

ServicesDep = Annotated[BillingServices, Depends(get_services)]
BillingUser = Annotated[Principal, Depends(require_roles(ROLE_ADMIN, ROLE_RECEPTIONIST))]

__all__ = ["AdminUser", "BillingUser", "DbSession", "IfMatch", "ReadDbSession", "ServicesDep"]
