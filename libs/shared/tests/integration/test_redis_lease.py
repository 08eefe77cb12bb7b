"""Each test stack's Redis database is its own while it runs (``testing.redis_lease``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
import redis

from clinic_shared.testing.redis_lease import LEASE_KEY, _claim, _release, leased_redis_url

# Not a database number: the claim logic is tried on a key no real stack leases.
PRETEND_NUMBER = 99


@pytest.fixture
def leases(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url.rsplit("/", 1)[0] + "/0")
    client.delete(LEASE_KEY.format(number=PRETEND_NUMBER))
    yield client
    client.delete(LEASE_KEY.format(number=PRETEND_NUMBER))
    client.close()


def _finished_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_two_stacks_at_once_get_two_emptied_databases_of_their_own(redis_url: str) -> None:
    with leased_redis_url(redis_url) as first, leased_redis_url(redis_url) as second:
        assert first != second
        one, other = redis.Redis.from_url(first), redis.Redis.from_url(second)
        one.xadd("events.patients", {"n": "1"})
        assert other.exists("events.patients") == 0
    with leased_redis_url(redis_url) as again:
        # The first database was released, and a new lease starts empty.
        assert redis.Redis.from_url(again).dbsize() == 0


def test_a_lease_ends_with_its_block(redis_url: str, leases: redis.Redis) -> None:
    with leased_redis_url(redis_url) as url:
        number = int(url.rsplit("/", 1)[1])
        holder = leases.get(LEASE_KEY.format(number=number))
        assert holder == f"{socket.gethostname()}:{os.getpid()}".encode()
    assert leases.get(LEASE_KEY.format(number=number)) != holder


def test_a_lease_of_a_live_process_is_never_taken(leases: redis.Redis) -> None:
    key = LEASE_KEY.format(number=PRETEND_NUMBER)
    live = f"{socket.gethostname()}:{os.getppid()}"
    leases.set(key, live)
    assert not _claim(leases, PRETEND_NUMBER, "me:1")
    assert leases.get(key) == live.encode()


def test_a_lease_of_a_process_that_is_gone_is_taken_over(leases: redis.Redis) -> None:
    key = LEASE_KEY.format(number=PRETEND_NUMBER)
    leases.set(key, f"{socket.gethostname()}:{_finished_pid()}")
    assert _claim(leases, PRETEND_NUMBER, "me:1")
    assert leases.get(key) == b"me:1"


def test_another_machines_lease_is_left_to_expire(leases: redis.Redis) -> None:
    key = LEASE_KEY.format(number=PRETEND_NUMBER)
    leases.set(key, f"not-{socket.gethostname()}:{_finished_pid()}")
    assert not _claim(leases, PRETEND_NUMBER, "me:1")


def test_only_the_holder_releases_a_lease(leases: redis.Redis) -> None:
    key = LEASE_KEY.format(number=PRETEND_NUMBER)
    leases.set(key, "someone:2")
    _release(leases, PRETEND_NUMBER, "me:1")
    assert leases.get(key) == b"someone:2"
    _release(leases, PRETEND_NUMBER, "someone:2")
    assert leases.exists(key) == 0
