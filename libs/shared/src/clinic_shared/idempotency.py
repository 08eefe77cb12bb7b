"""``Idempotency-Key`` on creating POSTs: a retried request gets the first answer, not a twin.

A receptionist's browser that loses the response to "book" retries with the same key; the
service answers with the stored response instead of booking again. Keys belong to the caller
(the verified token's subject) and live 24 hours in the service's own database. The same key
with another method, path or body is a client bug and gets 422; a retry while the first is
still running gets 409. Only 2xx answers are kept: a refused request created nothing, so
running it again is both harmless and honest (the clash may have gone since).

Each claim is stamped with the moment it was made (``created_at``, to the microsecond): the
request that made it completes or releases only that claim, so a late outcome (recorded once
the database answers again) never touches a claim another request has taken over since.
See docs/adr/0008-idempotency-keys.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy import (
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from clinic_shared.clock import utcnow
from clinic_shared.db import LongText, Timestamp

log = logging.getLogger(__name__)

KEY_LIFETIME = timedelta(hours=24)
# A "running" row older than this belongs to a process that died mid-request: take it over.
ABANDONED_AFTER = timedelta(minutes=2)
MAX_KEY_LENGTH = 255
# Headers a replay must repeat for the client to read it as the original answer.
REPLAYED_HEADERS = ("content-type", "location", "etag")


def idempotency_table(metadata: MetaData, name: str = "idempotency_keys") -> Table:
    """The stored first answers, by caller and key, added to ``metadata``."""
    return Table(
        name,
        metadata,
        Column("caller", String(64), nullable=False),
        Column("idem_key", String(MAX_KEY_LENGTH), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("headers", LongText, nullable=True),
        Column("body", LongText, nullable=True),
        Column("created_at", Timestamp, nullable=False),
        PrimaryKeyConstraint("caller", "idem_key", name=f"pk_{name}"),
        Index(f"ix_{name}_created_at", "created_at"),
    )


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same": method, target and exact body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode()):
        digest.update(part + b"\0")
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    """A first answer, to be replayed."""

    status_code: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """The outcome of presenting a key: run the request, replay, or refuse."""

    outcome: Literal["run", "replay", "mismatch", "in_progress"]
    stored: StoredResponse | None = None
    # For "run": the stamp of this claim (its ``created_at``), to complete or release it by.
    claimed_at: datetime | None = None


class BodySeal(Protocol):
    """Encrypts the stored answers of a service whose answers are secret (records' clinical
    text must not lie in plain text in ``idempotency_keys`` for the keys' 24 hours)."""

    def seal(self, plain: str) -> str:
        """The stored form of ``plain``."""
        ...

    def open(self, stored: str) -> str:
        """The plain text of ``stored``."""
        ...


class IdempotencyStore:
    """Keys and first answers in one table of the service's own database."""

    def __init__(self, engine: Engine, table: Table, seal: BodySeal | None = None) -> None:
        self._engine = engine
        self._table = table
        self._seal = seal

    def claim(self, caller: str, key: str, print_: str, now: datetime | None = None) -> Claim:
        """Reserve ``key`` for this request, or say what was stored under it.

        A claim this call makes is stamped ``now``: if the call fails (the database went away
        between the write and its acknowledgement), ``release(..., claimed_at=now)`` undoes it
        whether or not it was written.
        """
        now = now or utcnow()
        t = self._table
        where = and_(t.c.caller == caller, t.c.idem_key == key)
        with self._engine.begin() as conn:
            try:
                conn.execute(
                    insert(t).values(
                        caller=caller, idem_key=key, fingerprint=print_, created_at=now
                    )
                )
                return Claim("run", claimed_at=now)
            except IntegrityError:
                pass
        with self._engine.begin() as conn:
            row = conn.execute(select(t).where(where).with_for_update()).first()
            if row is None:  # expired and purged between the two statements
                conn.execute(
                    insert(t).values(
                        caller=caller, idem_key=key, fingerprint=print_, created_at=now
                    )
                )
                return Claim("run", claimed_at=now)
            expired = row.created_at < now - KEY_LIFETIME
            abandoned = row.status_code is None and row.created_at < now - ABANDONED_AFTER
            if expired or abandoned:
                conn.execute(
                    update(t)
                    .where(where)
                    .values(
                        fingerprint=print_,
                        status_code=None,
                        headers=None,
                        body=None,
                        created_at=now,
                    )
                )
                return Claim("run", claimed_at=now)
            if row.fingerprint != print_:
                return Claim("mismatch")
            if row.status_code is None:
                return Claim("in_progress")
            body = row.body or ""
            if body and self._seal is not None:
                body = self._seal.open(body)
            stored = StoredResponse(row.status_code, json.loads(row.headers or "{}"), body.encode())
            return Claim("replay", stored)

    def complete(
        self,
        caller: str,
        key: str,
        response: StoredResponse,
        claimed_at: datetime | None = None,
    ) -> None:
        """Keep the first answer under ``key`` (only on the claim stamped ``claimed_at``)."""
        t = self._table
        with self._engine.begin() as conn:
            conn.execute(
                update(t)
                .where(self._claimed(caller, key, claimed_at))
                .values(
                    status_code=response.status_code,
                    headers=json.dumps(response.headers),
                    body=self._stored_body(response.body),
                )
            )

    def _stored_body(self, body: bytes) -> str:
        text = body.decode("utf-8", errors="replace")
        return self._seal.seal(text) if self._seal is not None and text else text

    def release(self, caller: str, key: str, claimed_at: datetime | None = None) -> None:
        """Forget ``key``: the request failed and may be tried again.

        Only a claim still running (and, given ``claimed_at``, only the one stamped so) is
        forgotten: a stored answer, or a claim another request has taken over, stays.
        """
        with self._engine.begin() as conn:
            conn.execute(
                delete(self._table).where(
                    self._claimed(caller, key, claimed_at), self._table.c.status_code.is_(None)
                )
            )

    def _claimed(self, caller: str, key: str, claimed_at: datetime | None) -> ColumnElement[bool]:
        t = self._table
        where = and_(t.c.caller == caller, t.c.idem_key == key)
        return where if claimed_at is None else and_(where, t.c.created_at == claimed_at)

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete keys older than 24 hours; returns how many."""
        cutoff = (now or utcnow()) - KEY_LIFETIME
        with self._engine.begin() as conn:
            result = conn.execute(delete(self._table).where(self._table.c.created_at < cutoff))
        return int(result.rowcount)
