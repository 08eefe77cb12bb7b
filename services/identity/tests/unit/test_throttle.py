"""Login throttling rules, on an in-memory store with a fake clock."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from clinic_identity.throttle import (
    HOUR,
    LoginThrottle,
    LoginThrottledError,
    ThrottlePolicy,
    ThrottleState,
    account_key,
)


@dataclass
class FakeClock:
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeStore:
    consecutive: dict[str, tuple[int, float]] = field(default_factory=dict)
    account_times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ip_times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def load(self, account: str, ip: str, now: float) -> ThrottleState:
        failures, last = self.consecutive.get(account, (0, 0.0))
        return ThrottleState(
            consecutive_failures=failures,
            last_failure_at=last,
            account_failures_last_hour=tuple(
                t for t in self.account_times[account] if t > now - HOUR
            ),
            ip_failures_last_hour=tuple(t for t in self.ip_times[ip] if t > now - HOUR),
        )

    def add_failure(self, account: str, ip: str, now: float) -> None:
        failures, _ = self.consecutive.get(account, (0, 0.0))
        self.consecutive[account] = (failures + 1, now)
        self.account_times[account].append(now)
        self.ip_times[ip].append(now)

    def reset_account(self, account: str) -> None:
        self.consecutive.pop(account, None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def throttle(clock: FakeClock) -> LoginThrottle:
    return LoginThrottle(FakeStore(), ThrottlePolicy(), clock)


def _retry_after(throttle: LoginThrottle, email: str = "ana@x.com", ip: str = "1.1.1.1") -> int:
    try:
        throttle.check(email, ip)
    except LoginThrottledError as exc:
        return exc.retry_after
    return 0


def test_delay_is_zero_then_doubles_up_to_the_cap() -> None:
    policy = ThrottlePolicy(free_failures=5, base_delay=30, max_delay=900)
    delays = [policy.lockout_seconds(n) for n in range(1, 12)]
    assert delays == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert policy.lockout_seconds(10_000) == 900


def test_sixth_attempt_after_five_failures_must_wait(throttle: LoginThrottle) -> None:
    for _ in range(5):
        assert _retry_after(throttle) == 0
        throttle.record_failure("ana@x.com", "1.1.1.1")
    assert _retry_after(throttle) == 30


def test_waiting_grows_with_each_further_failure(throttle: LoginThrottle, clock: FakeClock) -> None:
    for _ in range(5):
        throttle.record_failure("ana@x.com", "1.1.1.1")
    waits = []
    for _ in range(4):
        wait = _retry_after(throttle)
        waits.append(wait)
        clock.advance(wait - 1)
        assert _retry_after(throttle) == 1  # not a second early
        clock.advance(1)
        assert _retry_after(throttle) == 0
        throttle.record_failure("ana@x.com", "1.1.1.1")
    assert waits == [30, 60, 120, 240]


def test_success_resets_the_account(throttle: LoginThrottle) -> None:
    for _ in range(4):
        throttle.record_failure("ana@x.com", "1.1.1.1")
    throttle.record_success("ana@x.com")
    for _ in range(4):
        throttle.record_failure("ana@x.com", "1.1.1.1")
    assert _retry_after(throttle) == 0


def test_accounts_are_throttled_separately_and_case_insensitively(
    throttle: LoginThrottle,
) -> None:
    for _ in range(5):
        throttle.record_failure("Ana@X.com", "1.1.1.1")
    assert _retry_after(throttle, "ana@x.com") == 30
    assert _retry_after(throttle, "laura@x.com") == 0
    assert account_key("Ana@X.com ") == account_key("ana@x.com")


def test_one_ip_gets_at_most_the_hourly_limit(clock: FakeClock) -> None:
    policy = ThrottlePolicy(free_failures=5, hourly_limit=100)
    throttle = LoginThrottle(FakeStore(), policy, clock)
    for attempt in range(100):
        assert _retry_after(throttle, f"user{attempt}@x.com") == 0
        throttle.record_failure(f"user{attempt}@x.com", "6.6.6.6")
        clock.advance(10)
    # 100 failures in 1000 s: locked until the first one is an hour old.
    assert _retry_after(throttle, "fresh@x.com", "6.6.6.6") == HOUR - 1000
    assert _retry_after(throttle, "fresh@x.com", "7.7.7.7") == 0
    clock.advance(HOUR - 1000)
    assert _retry_after(throttle, "fresh@x.com", "6.6.6.6") == 0


def test_one_account_gets_at_most_the_hourly_limit_even_spread_out(clock: FakeClock) -> None:
    policy = ThrottlePolicy(free_failures=5, base_delay=1, max_delay=1, hourly_limit=100)
    throttle = LoginThrottle(FakeStore(), policy, clock)
    for attempt in range(100):
        throttle.check("ana@x.com", f"10.0.0.{attempt}")
        throttle.record_failure("ana@x.com", f"10.0.0.{attempt}")
        clock.advance(2)
    assert _retry_after(throttle, "ana@x.com", "10.9.9.9") == HOUR - 200
