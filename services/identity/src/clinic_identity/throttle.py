"""Login throttling: a growing delay per account after repeated failures, an hourly cap per
account and per client IP. State lives in Redis so every replica sees the same counts."""

from __future__ import annotations

import hashlib
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis

HOUR = 3600.0


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, how the delay grows, and the hourly cap."""

    free_failures: int = 5
    base_delay: float = 30.0
    max_delay: float = 900.0
    hourly_limit: int = 100

    def lockout_seconds(self, consecutive_failures: int) -> float:
        """The wait imposed after the n-th consecutive failure: 0, then base doubling to max."""
        if consecutive_failures < self.free_failures:
            return 0.0
        doublings = min(consecutive_failures - self.free_failures, 30)
        return float(min(self.base_delay * 2**doublings, self.max_delay))


@dataclass(frozen=True)
class ThrottleState:
    """What the store knows: consecutive account failures and the last hour's failure times."""

    consecutive_failures: int = 0
    last_failure_at: float = 0.0
    account_failures_last_hour: tuple[float, ...] = ()
    ip_failures_last_hour: tuple[float, ...] = ()


class ThrottleStore(Protocol):
    """Where throttle state is kept (Redis in the service, a dict in unit tests)."""

    def load(self, account: str, ip: str, now: float) -> ThrottleState:
        """The state of ``account`` and ``ip`` as of ``now`` (older failures forgotten)."""

    def add_failure(self, account: str, ip: str, now: float) -> None:
        """Record a failed attempt at ``now``."""

    def reset_account(self, account: str) -> None:
        """Forget the consecutive failures of ``account`` (its hourly count stays)."""


class LoginThrottledError(Exception):
    """Too many failures: the client must wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


def account_key(email: str) -> str:
    """The throttle identity of an email (hashed: addresses do not belong in Redis keys)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class LoginThrottle:
    """Decides whether a login attempt may proceed, and records its outcome."""

    def __init__(
        self,
        store: ThrottleStore,
        policy: ThrottlePolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock

    def check(self, email: str, ip: str) -> None:
        """Raise ``LoginThrottledError`` when this account or IP must wait before trying again."""
        now = self.clock()
        state = self.store.load(account_key(email), ip, now)
        waits = [
            state.last_failure_at + self.policy.lockout_seconds(state.consecutive_failures) - now
        ]
        for failures in (state.account_failures_last_hour, state.ip_failures_last_hour):
            if len(failures) >= self.policy.hourly_limit:
                # Capped until enough of the hour's failures age out to fall below the limit.
                oldest_to_expire = sorted(failures)[len(failures) - self.policy.hourly_limit]
                waits.append(oldest_to_expire + HOUR - now)
        wait = max(waits)
        if wait > 0:
            raise LoginThrottledError(max(1, math.ceil(wait)))

    def record_failure(self, email: str, ip: str) -> None:
        """Count a wrong password (or unknown email) against the account and the IP."""
        self.store.add_failure(account_key(email), ip, self.clock())

    def record_success(self, email: str) -> None:
        """A successful login resets the account's consecutive failures."""
        self.store.reset_account(account_key(email))


class RedisThrottleStore:
    """``ThrottleStore`` in Redis: a hash per account, a sorted set per account and per IP."""

    def __init__(self, client: redis.Redis, prefix: str, max_delay: float) -> None:
        self.client = client
        self.prefix = prefix
        self._account_ttl = math.ceil(max(max_delay * 2, HOUR))

    def _keys(self, account: str, ip: str) -> tuple[str, str, str]:
        return (
            f"{self.prefix}:acct:{account}",
            f"{self.prefix}:acct-hour:{account}",
            f"{self.prefix}:ip-hour:{ip}",
        )

    def load(self, account: str, ip: str, now: float) -> ThrottleState:
        """The state of ``account`` and ``ip`` as of ``now``."""
        consecutive_key, account_hour, ip_hour = self._keys(account, ip)
        pipe = self.client.pipeline(transaction=False)
        pipe.hmget(consecutive_key, ["failures", "last"])
        for key in (account_hour, ip_hour):
            pipe.zremrangebyscore(key, "-inf", now - HOUR)
            pipe.zrange(key, 0, -1, withscores=True)
        (failures, last), _, account_rows, _, ip_rows = pipe.execute()
        return ThrottleState(
            consecutive_failures=int(failures or 0),
            last_failure_at=float(last or 0.0),
            account_failures_last_hour=tuple(score for _, score in account_rows),
            ip_failures_last_hour=tuple(score for _, score in ip_rows),
        )

    def add_failure(self, account: str, ip: str, now: float) -> None:
        """Record a failed attempt at ``now``."""
        consecutive_key, account_hour, ip_hour = self._keys(account, ip)
        member = f"{now:.6f}:{uuid.uuid4().hex[:8]}"
        pipe = self.client.pipeline(transaction=True)
        pipe.hincrby(consecutive_key, "failures", 1)
        pipe.hset(consecutive_key, "last", repr(now))
        pipe.expire(consecutive_key, self._account_ttl)
        for key in (account_hour, ip_hour):
            pipe.zadd(key, {member: now})
            pipe.expire(key, math.ceil(HOUR))
        pipe.execute()

    def reset_account(self, account: str) -> None:
        """Forget the consecutive failures of ``account``."""
        self.client.delete(f"{self.prefix}:acct:{account}")

    def clear(self) -> None:
        """Delete every throttle key (test reset)."""
        for key in self.client.scan_iter(match=f"{self.prefix}:*", count=500):
            self.client.delete(key)
