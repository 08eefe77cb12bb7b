"""The clinic's settings: the issuer's legal name and NIF, the letterhead, Verifactu's QR host.

Receptionists read them (the invoice screen prints the letterhead); only admins change them.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace

from sqlalchemy.orm import Session

from clinic_billing.infrastructure import clinic_settings as stored
from clinic_billing.infrastructure.clinic_settings import ClinicSettings
from clinic_shared.db import reading
from clinic_shared.errors import ExpectedVersion, FieldError
from clinic_shared.tax_ids import parse_spanish_tax_id

__all__ = ["ClinicSettings", "check_logo", "get_settings", "update_settings"]

# Inlined into every PDF and answer: a letterhead logo, not a photograph.
MAX_LOGO_LENGTH = 256 * 1024
_LOGO = re.compile(r"^data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$")
TEST_QR = "test"
# Before an admin saves them the settings are blank: invoices cannot be issued (409) until then.
BLANK = ClinicSettings(legal_name="", tax_id="", address="", version=0)


def check_logo(logo: str) -> None:
    """422 ``logo`` unless a PNG, JPEG or SVG ``data:`` URL in base64 of at most 256 KB."""
    if len(logo) > MAX_LOGO_LENGTH:
        raise FieldError("logo", f"must be at most {MAX_LOGO_LENGTH // 1024} KB")
    match = _LOGO.match(logo)
    if match is None:
        raise FieldError("logo", "must be a data:image/(png|jpeg|svg+xml);base64, URL")
    try:
        base64.b64decode(match.group(2), validate=True)
    except binascii.Error:
        raise FieldError("logo", "is not valid base64") from None


def get_settings(db: Session) -> ClinicSettings:
    """The settings (blank at version 0 before an admin first saves them)."""
    with reading(db):
        return stored.get(db) or BLANK


def update_settings(
    db: Session, settings: ClinicSettings, expected: ExpectedVersion, *, production: bool
) -> ClinicSettings:
    """Replace the settings (If-Match); the AEAT test host is refused in production."""
    tax_id = parse_spanish_tax_id(settings.tax_id, "taxId").number
    if production and settings.qr_environment == TEST_QR:
        # A production invoice whose QR points at AEAT's test host would never validate.
        raise FieldError("qrEnvironment", "the AEAT test host cannot be used in production")
    if settings.logo is not None:
        check_logo(settings.logo)
    with db.begin():
        current = stored.get(db, lock=True)
        version = current.version if current else 0
        expected.check(version, "the clinic settings")
        saved = replace(settings, tax_id=tax_id, version=version + 1)
        stored.save(db, saved, first=current is None)
        return saved
