"""Identity's composition root: what one process builds once and every request borrows."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from clinic_identity.config import IdentitySettings
from clinic_identity.keys import KeyRing, load_keyring
from clinic_identity.models import idempotency_keys, outbox
from clinic_identity.passwords import PasswordHasher
from clinic_identity.throttle import LoginThrottle, RedisThrottleStore, ThrottlePolicy
from clinic_identity.tokens import TokenIssuer
from clinic_shared.auth import JwksCache, JwtVerifier
from clinic_shared.contracts import identity as identity_contracts
from clinic_shared.db import create_engine_for, make_session_factory
from clinic_shared.events.outbox import OutboxWriter
from clinic_shared.idempotency import IdempotencyStore
from clinic_shared.services import ServiceParts


@dataclass(frozen=True, kw_only=True)
class IdentityServices(ServiceParts):
    """The shared parts plus identity's settings, keys, token issuer, hasher and throttle."""

    settings: IdentitySettings
    keyring: KeyRing
    tokens: TokenIssuer
    hasher: PasswordHasher
    redis: redis.Redis
    throttle_store: RedisThrottleStore
    throttle: LoginThrottle

    def close(self) -> None:
        """Release the database pool and the Redis connections."""
        super().close()
        self.redis.close()


def events_writer(settings: IdentitySettings) -> OutboxWriter:
    """Identity's way to emit: its outbox, its stream, its producer name (also the CLI's)."""
    return OutboxWriter(outbox, settings.events_stream, identity_contracts.PRODUCER)


def password_hasher(settings: IdentitySettings) -> PasswordHasher:
    """Argon2id with the configured cost and cap on concurrent hashes (also the CLI's)."""
    return PasswordHasher(
        settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_max_concurrency
    )


def build_services(settings: IdentitySettings) -> IdentityServices:
    """Wire identity's parts from its settings (generating a dev key if needed)."""
    engine = create_engine_for(
        settings.database_url,
        timeouts=settings.db_timeouts,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    keyring = load_keyring(settings)
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    policy = ThrottlePolicy(
        free_failures=settings.login_free_failures,
        base_delay=settings.login_base_delay_seconds,
        max_delay=settings.login_max_delay_seconds,
        hourly_limit=settings.login_hourly_failure_limit,
    )
    store = RedisThrottleStore(client, settings.throttle_key_prefix, policy.max_delay)
    return IdentityServices(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        events=events_writer(settings),
        idempotency=IdempotencyStore(engine, idempotency_keys),
        keyring=keyring,
        tokens=TokenIssuer(
            key=keyring.signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            lifetime_seconds=settings.access_token_seconds,
        ),
        hasher=password_hasher(settings),
        redis=client,
        throttle_store=store,
        throttle=LoginThrottle(store, policy),
    )


def own_verifier(services: IdentityServices) -> JwtVerifier:
    """Identity verifies its own tokens against its own key ring: no HTTP call to itself."""
    settings = services.settings
    keys = JwksCache(
        services.keyring.jwks,
        ttl=settings.jwks_cache_seconds,
        min_refetch_interval=settings.jwks_min_refetch_seconds,
    )
    return JwtVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
