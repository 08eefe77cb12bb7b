"""A POST retried with its ``Idempotency-Key`` is answered again: that answer is audited too.

The replay is served by the shared middleware (``clinic_shared.idempotency_http``) from the
stored answer, without running any route. The only records code on that path is the store:
``IdempotencyStore.claim`` opens the stored answer with records' seal (``crypto.SealedAnswers``).
So records' store writes the audit row right there, once the claim has found the answer and
before the middleware sends it; a row that cannot be written fails the claim, and the replay
with it (a 503 on an outage), like a read whose row cannot be written.

The claim knows the caller's id only (the middleware keeps no more of the token); the roles the
row records come from ``retrying_caller``, noted for the request by records' outermost
middleware (``entrypoints.replay_caller``).
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table
from sqlalchemy.orm import Session, sessionmaker

from clinic_records.infrastructure import audit
from clinic_records.infrastructure.audit import Reader
from clinic_shared.auth import Principal
from clinic_shared.clock import utcnow
from clinic_shared.idempotency import BodySeal, Claim, IdempotencyStore, StoredResponse
from clinic_shared.request_id import current_request_id

RECORD_REPLAYED = "record.replayed"
EPISODE_REPLAYED = "episode.replayed"
MEASURE_REPLAYED = "measure.replayed"
# A stored answer about a patient of no shape known below: audited all the same.
ANSWER_REPLAYED = "answer.replayed"
# What tells the kinds of answer apart: a top-level field only that kind has.
_KIND_BY_FIELD = (
    ("instrument", MEASURE_REPLAYED),
    ("retainUntil", EPISODE_REPLAYED),
    ("authorId", RECORD_REPLAYED),
)

# Who sent the POST now being served, when it carries an Idempotency-Key and a valid token.
retrying_caller: ContextVar[Principal | None] = ContextVar("retrying_caller", default=None)


@dataclass(frozen=True)
class ReplayedContent:
    """Whose clinical content a stored answer holds, and what the audit calls it."""

    action: str
    patient_id: str
    resource_id: str | None


def replayed_content(stored: StoredResponse) -> ReplayedContent | None:
    """The clinical content of ``stored`` (an entry, an episode, a measure), if any."""
    try:
        answer = json.loads(stored.body)
    except ValueError:
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("patientId"), str):
        return None
    action = next((kind for field, kind in _KIND_BY_FIELD if field in answer), ANSWER_REPLAYED)
    resource = answer.get("id")
    return ReplayedContent(
        action, answer["patientId"], resource if isinstance(resource, str) else None
    )


class AuditedReplays(IdempotencyStore):
    """The idempotency store, auditing each stored answer it hands back for a replay."""

    def __init__(
        self, engine: Engine, table: Table, seal: BodySeal, audit_sessions: sessionmaker[Session]
    ) -> None:
        super().__init__(engine, table, seal=seal)
        self._audit_sessions = audit_sessions

    def claim(self, caller: str, key: str, print_: str, now: datetime | None = None) -> Claim:
        """``IdempotencyStore.claim``; a replay of clinical content first writes its row."""
        now = now or utcnow()
        claim = super().claim(caller, key, print_, now)
        if claim.outcome == "replay" and claim.stored is not None:
            content = replayed_content(claim.stored)
            if content is not None:
                self._audit(caller, content, now)
        return claim

    def _audit(self, caller: str, content: ReplayedContent, now: datetime) -> None:
        principal = retrying_caller.get()
        # The keys belong to the caller, so the noted principal is theirs; should it be
        # missing, the row still says who (by id) rather than the replay going unrecorded.
        roles = principal.roles if principal is not None and principal.user_id == caller else ()
        reader = Reader(caller, roles, current_request_id())
        with self._audit_sessions() as session, session.begin():
            audit.record_read(
                session, reader, content.action, content.patient_id, content.resource_id, now
            )
