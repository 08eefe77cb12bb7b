"""A Redis database of its own for each test stack, so two runs on one machine never meet.

A test stack (end-to-end suite, browser tests' server, benchmarks) empties the Redis database
its streams live in before it starts: an earlier run's events would otherwise replay into its
fresh MariaDB databases. With a fixed database number, a second run on the same machine (another
checkout, CI beside a developer) would empty the first's streams under it, and both would fail
in ways that look like bugs of the code under test. So a stack leases one of Redis' numbered
databases: a key ``clinic:test-redis-lease:<n>`` in database 0, set only if absent, holding
``host:pid`` of its holder. A lease whose holder process is gone (a run killed before its
cleanup) is taken over; one held by a live process is never touched.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import redis

LEASE_KEY = "clinic:test-redis-lease:{number}"
# Database 0 holds the leases and the integration tests' uniquely named streams; make run's own
# default is elsewhere (the embedded server, or REDIS_URL).
LEASABLE = range(1, 16)
# A holder that never releases (its machine lost power) frees the database after a day anyway.
LEASE_SECONDS = 24 * 3600


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder_is_gone(holder: str) -> bool:
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's (a shared Redis): its lease expires on its own
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# Compare-and-set and compare-and-delete, atomic in Redis: the holder read is the one replaced.
_REPLACE_IF = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0"
)
_DELETE_IF = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
)


def _claim(client: redis.Redis, number: int, holder: str) -> bool:
    key = LEASE_KEY.format(number=number)
    if client.set(key, holder, nx=True, ex=LEASE_SECONDS):
        return True
    current = client.get(key)
    held_by = current.decode() if isinstance(current, bytes) else current
    if held_by is None or not _holder_is_gone(held_by):
        return False  # a live holder's, or released just now (the next database will do)
    return bool(client.eval(_REPLACE_IF, 1, key, held_by, holder, LEASE_SECONDS))


def _release(client: redis.Redis, number: int, holder: str) -> None:
    client.eval(_DELETE_IF, 1, LEASE_KEY.format(number=number), holder)


@contextmanager
def leased_redis_url(server_url: str) -> Iterator[str]:
    """The URL of an emptied Redis database on ``server_url``'s server, this process's alone.

    ``server_url`` is any URL of the server (its database number is ignored); the lease ends
    when the block does.
    """
    base = server_url.rstrip("/")
    if base.rsplit("/", 1)[-1].isdigit():
        base = base.rsplit("/", 1)[0]
    leases = redis.Redis.from_url(f"{base}/0")
    holder = _holder()
    try:
        number = next((n for n in LEASABLE if _claim(leases, n, holder)), None)
        if number is None:
            raise RuntimeError(f"Redis databases {LEASABLE.start}-{LEASABLE.stop - 1} all leased")
        url = f"{base}/{number}"
        redis.Redis.from_url(url).flushdb()
        try:
            yield url
        finally:
            _release(leases, number, holder)
    finally:
        leases.close()
