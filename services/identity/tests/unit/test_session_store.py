"""The session store's statements touch exactly the rows they name (on SQLite; the API tests
run them on MariaDB). Neighbours are ids that sort before and after the one named, so a
``==`` turned into ``<=`` or ``>=`` is noticed too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_identity.models import Base, RefreshSession, RefreshToken, User
from clinic_identity.session_store import (
    SqlSessionStore,
    purge_expired_sessions,
    revoke_user_sessions,
    session_is_live,
)
from clinic_shared.db import create_engine_for

NOW = datetime(2026, 12, 7, 12, 0, 0)
LATER = NOW + timedelta(hours=1)
# Users and sessions: "m" is the one named, "a" and "z" sort before and after it.
USERS = ("user-a", "user-m", "user-z")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'identity.sqlite'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for user_id in USERS:
            session.add(
                User(
                    id=user_id,
                    email=f"{user_id}@example.test",
                    full_name=user_id,
                    roles=["ROLE_STAFF"],
                    locale="es",
                    password_hash="x",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        session.flush()
        yield session
    engine.dispose()


def sessions(db: Session, user_id: str, *ids: str, expires_at: datetime = LATER) -> None:
    store = SqlSessionStore(db)
    for session_id in ids:
        store.create_session(session_id, user_id, NOW - timedelta(days=30), expires_at)


def column(db: Session, name: str) -> dict[str, object]:
    db.expire_all()
    rows = db.execute(select(RefreshSession.id, getattr(RefreshSession, name))).all()
    return {session_id: value for session_id, value in rows}


def test_a_session_reads_back_and_an_unknown_one_is_none(db: Session) -> None:
    store = SqlSessionStore(db)
    sessions(db, "user-m", "s-m")

    state = store.get_session("s-m")

    assert state is not None
    assert (state.id, state.user_id, state.expires_at, state.revoked) == (
        "s-m",
        "user-m",
        LATER,
        False,
    )
    assert store.get_session("s-x") is None


def test_a_token_is_claimed_once_and_an_unknown_one_never(db: Session) -> None:
    store = SqlSessionStore(db)
    sessions(db, "user-m", "s-m")
    for token_hash in ("hash-a", "hash-m", "hash-z"):
        store.add_token("s-m", token_hash, NOW)

    state = store.find_token("hash-m")
    assert state is not None
    assert (state.session_id, state.rotated) == ("s-m", False)
    assert store.claim_token("hash-m", NOW)
    assert not store.claim_token("hash-m", NOW)  # the second caller loses
    assert not store.claim_token("hash-x", NOW)
    rotated = {
        token.token_hash: token.rotated_at is not None for token in db.scalars(select(RefreshToken))
    }
    assert rotated == {"hash-a": False, "hash-m": True, "hash-z": False}
    assert store.find_token("hash-x") is None


def test_a_new_token_marks_only_its_session_used(db: Session) -> None:
    sessions(db, "user-m", "s-a", "s-m", "s-z")
    used = NOW + timedelta(minutes=5)

    SqlSessionStore(db).add_token("s-m", "hash-m", used)

    earlier = NOW - timedelta(days=30)
    assert column(db, "last_used_at") == {"s-a": earlier, "s-m": used, "s-z": earlier}


def test_revoking_and_extending_touch_only_the_session_named(db: Session) -> None:
    store = SqlSessionStore(db)
    sessions(db, "user-m", "s-a", "s-m", "s-z")
    store.revoke_session("s-m", NOW, "reuse")
    store.revoke_session("s-m", LATER, "logout")  # the first reason stays
    store.extend_session("s-m", LATER + timedelta(days=1))

    assert column(db, "revoked_reason") == {"s-a": None, "s-m": "reuse", "s-z": None}
    assert column(db, "revoked_at") == {"s-a": None, "s-m": NOW, "s-z": None}
    assert column(db, "expires_at") == {
        "s-a": LATER,
        "s-m": LATER + timedelta(days=1),
        "s-z": LATER,
    }
    state = store.get_session("s-m")
    assert state is not None
    assert state.revoked


@pytest.mark.parametrize("keep", ["s-m1", "s-m2", "s-m3"])  # first, middle and last by id
def test_revoking_a_users_sessions_keeps_the_one_asked_and_other_users(
    db: Session, keep: str
) -> None:
    sessions(db, "user-a", "s-a")
    sessions(db, "user-m", "s-m1", "s-m2", "s-m3")
    sessions(db, "user-z", "s-z")

    revoke_user_sessions(db, "user-m", NOW, "password", keep=keep)

    expected = {"s-a": None, "s-m1": "password", "s-m2": "password", "s-m3": "password"}
    assert column(db, "revoked_reason") == {**expected, keep: None, "s-z": None}


def test_revoking_all_a_users_sessions(db: Session) -> None:
    sessions(db, "user-a", "s-a")
    sessions(db, "user-m", "s-m1", "s-m2")
    sessions(db, "user-z", "s-z")

    revoke_user_sessions(db, "user-m", NOW, "deactivated")
    revoke_user_sessions(db, "user-m", LATER, "again")  # already revoked: the first reason stays

    assert column(db, "revoked_reason") == {
        "s-a": None,
        "s-m1": "deactivated",
        "s-m2": "deactivated",
        "s-z": None,
    }


def test_a_session_is_live_for_its_user_until_its_end(db: Session) -> None:
    sessions(db, "user-m", "s-m")
    sessions(db, "user-a", "s-a")
    sessions(db, "user-z", "s-z")

    assert session_is_live(db, "s-m", "user-m", NOW)
    assert not session_is_live(db, "s-m", "user-a", NOW)
    assert not session_is_live(db, "s-m", "user-z", NOW)
    assert not session_is_live(db, "s-a", "user-m", NOW)
    assert not session_is_live(db, "s-m", "user-m", LATER)  # its last instant is past
    assert not session_is_live(db, "s-m", "user-m", LATER + timedelta(seconds=1))
    SqlSessionStore(db).revoke_session("s-m", NOW, "logout")
    assert not session_is_live(db, "s-m", "user-m", NOW)


def test_sessions_expired_over_a_week_ago_are_purged_with_their_tokens(db: Session) -> None:
    week = timedelta(days=7)
    store = SqlSessionStore(db)
    sessions(db, "user-m", "s-m1", expires_at=NOW - week - timedelta(hours=12))  # purged
    sessions(db, "user-m", "s-m2", expires_at=NOW - week)  # exactly a week: kept
    sessions(db, "user-m", "s-m3", expires_at=NOW - week + timedelta(hours=12))
    sessions(db, "user-a", "s-a", expires_at=NOW - timedelta(days=30))  # another user's
    sessions(db, "user-z", "s-z", expires_at=NOW - timedelta(days=30))
    for session_id in ("s-m1", "s-m2", "s-a"):
        store.add_token(session_id, f"hash-{session_id}", NOW)

    purge_expired_sessions(db, "user-m", NOW)

    assert sorted(column(db, "id")) == ["s-a", "s-m2", "s-m3", "s-z"]
    assert sorted(db.scalars(select(RefreshToken.token_hash))) == ["hash-s-a", "hash-s-m2"]
