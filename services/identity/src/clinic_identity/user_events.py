"""The user.* events identity writes to its outbox (validated against the shared contracts)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_identity.models import User, outbox
from clinic_shared.contracts import contract_for
from clinic_shared.contracts.identity import PRODUCER
from clinic_shared.events.envelope import EventEnvelope
from clinic_shared.events.outbox import add_event


def user_event_data(user: User, event_type: str) -> dict[str, object]:
    """The payload of ``event_type`` for ``user``: its public state, never the hash."""
    payload = contract_for(event_type).model_validate(
        {
            "userId": user.id,
            "email": user.email,
            "fullName": user.full_name,
            "roles": list(user.roles),
            "active": user.active,
            "color": user.color,
            "locale": user.locale,
        }
    )
    return payload.to_data()


def emit_user_event(db: Session, stream: str, event_type: str, user: User) -> EventEnvelope:
    """Add ``event_type`` about ``user`` to the outbox, inside ``db``'s open transaction."""
    return add_event(
        db,
        outbox,
        stream=stream,
        type=event_type,
        data=user_event_data(user, event_type),
        producer=PRODUCER,
    )
