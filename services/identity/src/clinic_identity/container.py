"""The collaborators identity builds once per process and hands to every request."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_identity.config import IdentitySettings
from clinic_identity.keys import KeyRing, load_keyring
from clinic_identity.passwords import PasswordHasher
from clinic_identity.throttle import LoginThrottle, RedisThrottleStore, ThrottlePolicy
from clinic_identity.tokens import TokenIssuer
from clinic_shared.db import create_engine_for, make_session_factory


@dataclass(frozen=True)
class Identity:
    """Settings, database, keys, hasher and throttle of one identity process."""

    settings: IdentitySettings
    engine: Engine
    session_factory: sessionmaker[Session]
    keyring: KeyRing
    tokens: TokenIssuer
    hasher: PasswordHasher
    redis: redis.Redis
    throttle_store: RedisThrottleStore
    throttle: LoginThrottle

    def new_session(self) -> Session:
        """A session with no implicit transaction: every use case opens its own explicitly."""
        return self.session_factory(autobegin=False)

    def close(self) -> None:
        """Release the database pool and the Redis connections."""
        self.engine.dispose()
        self.redis.close()


def build_identity(settings: IdentitySettings) -> Identity:
    """Wire identity's collaborators from its settings (generating a dev key if needed)."""
    engine = create_engine_for(settings.database_url)
    keyring = load_keyring(settings)
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    policy = ThrottlePolicy(
        free_failures=settings.login_free_failures,
        base_delay=settings.login_base_delay_seconds,
        max_delay=settings.login_max_delay_seconds,
        hourly_limit=settings.login_hourly_failure_limit,
    )
    store = RedisThrottleStore(client, settings.throttle_key_prefix, policy.max_delay)
    return Identity(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        keyring=keyring,
        tokens=TokenIssuer(
            key=keyring.signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime_seconds=settings.access_token_seconds,
        ),
        hasher=PasswordHasher(
            settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_max_concurrency
        ),
        redis=client,
        throttle_store=store,
        throttle=LoginThrottle(store, policy),
    )
