"""Routes of the clinic's billing settings (admins change them; receptionists read them)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_billing.application import clinic_settings
from clinic_billing.entrypoints.deps import AdminUser, BillingUser, DbSession, IfMatch, ServicesDep
from clinic_billing.entrypoints.party_schemas import SettingsBody, SettingsPublic
from clinic_shared.etags import set_etag

router = APIRouter(tags=["settings"])


def _one(settings: clinic_settings.ClinicSettings, response: Response) -> SettingsPublic:
    set_etag(response, settings.version)
    return SettingsPublic.model_validate(settings)


@router.get("/api/billing-settings", response_model=SettingsPublic)
def get_billing_settings(_user: BillingUser, db: DbSession, response: Response) -> SettingsPublic:
    """The issuer and letterhead of every invoice (version 0 before an admin saves them)."""
    return _one(clinic_settings.get_settings(db), response)


@router.put("/api/billing-settings", response_model=SettingsPublic)
def update_billing_settings(
    body: SettingsBody,
    _user: AdminUser,
    db: DbSession,
    services: ServicesDep,
    response: Response,
    expected: IfMatch,
) -> SettingsPublic:
    """Replace the clinic's billing settings (admins, If-Match)."""
    saved = clinic_settings.update_settings(
        db,
        clinic_settings.ClinicSettings(**body.model_dump()),
        expected,
        production=services.settings.app_env == "prod",
    )
    return _one(saved, response)
