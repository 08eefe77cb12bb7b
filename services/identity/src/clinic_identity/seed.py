"""The demo clinic's staff accounts (password ``demo1234``), never created in production."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clinic_identity.config import IdentitySettings
from clinic_identity.models import Base, User
from clinic_identity.passwords import PasswordHasher
from clinic_identity.schemas import UserCreate
from clinic_identity.service import create_user
from clinic_shared.auth import ROLE_ADMIN, ROLE_PRACTITIONER, ROLE_RECEPTIONIST
from clinic_shared.errors import ConflictError
from clinic_shared.events.outbox import OutboxWriter

DEMO_PASSWORD = "demo1234"

DEMO_USERS: tuple[dict[str, object], ...] = (
    {"email": "admin@demo.clinic", "full_name": "Ana García", "roles": [ROLE_ADMIN]},
    {
        "email": "fisio@demo.clinic",
        "full_name": "Laura Martínez",
        "roles": [ROLE_PRACTITIONER],
        "color": "#2563eb",
    },
    {
        "email": "fisio2@demo.clinic",
        "full_name": "Jordi Puig",
        "roles": [ROLE_PRACTITIONER],
        "color": "#16a34a",
    },
    {"email": "recepcion@demo.clinic", "full_name": "Carmen López", "roles": [ROLE_RECEPTIONIST]},
)


def seed_demo(
    db: Session, hasher: PasswordHasher, events: OutboxWriter, settings: IdentitySettings
) -> list[str]:
    """Create the demo accounts that are missing (idempotent); returns the emails created."""
    if settings.app_env == "prod":
        raise RuntimeError("the demo accounts are never created in production")
    created: list[str] = []
    for demo in DEMO_USERS:
        with db.begin():
            exists = db.execute(select(User.id).where(User.email == demo["email"])).first()
        if exists:
            continue
        data = UserCreate.model_validate({**demo, "locale": "es", "password": DEMO_PASSWORD})
        try:
            create_user(db, hasher, events, data)
        except ConflictError:  # created meanwhile by a concurrent seed: fine
            continue
        created.append(data.email)
    return created


def empty_database(db: Session) -> None:
    """Delete every row identity owns (idempotency keys too), children first (test resets only)."""
    with db.begin():
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(delete(table))
